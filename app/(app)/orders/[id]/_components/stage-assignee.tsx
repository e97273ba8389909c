import { ActionAnswer, ActionForm, ActionScope } from "@/components/order/action-form";
import { SubmitButton } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { assignStageAction } from "../../actions";

/**
 * Who works the current stage: claim it, let go of it, or (the stage's owner) assign it. Drawn on
 * the server; the forms share one answer, shown above them.
 */
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
  const mine = assignee?.id === viewerId;
  const ids = (
    <>
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
    </>
  );
  return (
    <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="stage-assignee">
      <p>{assignee ? <>Worked by <span className="font-medium">{assignee.name}</span>{mine && " (you)"}</> : "Nobody has claimed this stage yet."}</p>
      <ActionScope action={assignStageAction}>
        <ActionAnswer />
        <div className="flex flex-wrap items-end gap-2">
          {canClaim && !assignee && (
            <ActionForm key="claim">
              {ids}
              <input type="hidden" name="accountId" value="me" />
              <SubmitButton variant="secondary" pendingText="Claiming…">Claim this stage</SubmitButton>
            </ActionForm>
          )}
          {mine && (
            <ActionForm key="release">
              {ids}
              <input type="hidden" name="accountId" value="" />
              <SubmitButton variant="secondary" pendingText="Releasing…">Release</SubmitButton>
            </ActionForm>
          )}
          {canAssign && (
            <ActionForm key="assign" className="flex flex-wrap items-end gap-2">
              {ids}
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
            </ActionForm>
          )}
        </div>
      </ActionScope>
    </div>
  );
}
