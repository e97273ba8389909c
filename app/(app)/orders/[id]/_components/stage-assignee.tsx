"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { assignStageAction } from "../../actions";

/** Who works the current stage: claim it, let go of it, or (the stage's owner) assign it. */
export function StageAssignee({
  orderId,
  version,
  assignee,
  viewerId,
  canClaim,
  canAssign,
  workers,
}: {
  orderId: number;
  version: number;
  assignee: { id: number; name: string } | null;
  viewerId: number;
  canClaim: boolean;
  canAssign: boolean;
  workers: { id: number; name: string }[];
}) {
  const [state, action] = useActionState(assignStageAction, {} as ActionState);
  const mine = assignee?.id === viewerId;
  return (
    <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="stage-assignee">
      <p>{assignee ? <>Worked by <span className="font-medium">{assignee.name}</span>{mine && " (you)"}</> : "Nobody has claimed this stage yet."}</p>
      <ActionFeedback state={state} />
      <div className="flex flex-wrap items-end gap-2">
        {canClaim && !assignee && (
          <form action={action}>
            <input type="hidden" name="orderId" value={orderId} />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="accountId" value="me" />
            <SubmitButton variant="secondary" pendingText="Claiming…">Claim this stage</SubmitButton>
          </form>
        )}
        {mine && (
          <form action={action}>
            <input type="hidden" name="orderId" value={orderId} />
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="accountId" value="" />
            <SubmitButton variant="secondary" pendingText="Releasing…">Release</SubmitButton>
          </form>
        )}
        {canAssign && (
          <form action={action} className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="orderId" value={orderId} />
            <input type="hidden" name="version" value={version} />
            <label className="text-xs font-medium text-slate-600">
              Assign to
              <select key={assignee ? String(assignee.id) : ""} name="accountId" defaultValue={assignee ? String(assignee.id) : ""} className={inputClass}>
                <option value="">Nobody</option>
                {workers.map((w) => (
                  <option key={w.id} value={w.id}>{w.name}</option>
                ))}
              </select>
            </label>
            <SubmitButton variant="secondary" pendingText="Assigning…">Assign</SubmitButton>
          </form>
        )}
      </div>
    </div>
  );
}
