"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { type ActionState, withActor } from "@/lib/auth/action";
import { addAttachments, cancelOrder, completeStage, createOrder, recordInspection, reviseOrder, saveFields, toggleTodo } from "@/lib/orders/commands";
import { readStageFields } from "@/lib/orders/form";
import { isFieldKey, stage as stageDef } from "@/lib/workflow";

/**
 * The order page's server actions. Each is a public endpoint: withActor reloads the account and
 * the command authorises against the loaded order through the workflow's permission table.
 */

const id = (formData: FormData) => Number(formData.get("orderId"));
const version = (formData: FormData) => Number(formData.get("version"));

function done(state: ActionState, orderId: number, message?: string): ActionState {
  if (state.ok) {
    revalidatePath(`/orders/${orderId}`);
    return { ok: true, message };
  }
  return state;
}

export async function createOrderAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  let createdId = 0;
  const state = await withActor(formData, async (ctx) => {
    const files = formData.getAll("attachments").filter((f): f is File => f instanceof File);
    const result = await createOrder(
      ctx,
      {
        storeId: Number(formData.get("storeId")),
        productSpecifications: String(formData.get("productSpecifications") ?? ""),
        orderQuantity: String(formData.get("orderQuantity") ?? ""),
        requiredDeliveryDate: String(formData.get("requiredDeliveryDate") ?? ""),
      },
      files,
    );
    if (result.ok) createdId = result.order.id;
    return result;
  });
  if (!state.ok) return state;
  revalidatePath("/orders");
  redirect(`/orders/${createdId}`);
}

/** The stage form: saves the fields this account may edit, then completes the stage when asked. */
export async function saveStageAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const orderId = id(formData);
  const intent = formData.get("intent") === "complete" ? "complete" : "save";
  const editable = String(formData.get("editable") ?? "").split(",").filter(isFieldKey);
  const stageKey = stageDef(String(formData.get("stage")) as never)?.key;
  let message = "Saved";
  const state = await withActor(formData, async (ctx) => {
    let current = version(formData);
    if (stageKey && editable.length) {
      const saved = await saveFields(ctx, { orderId, version: current, values: readStageFields(stageKey, formData, editable) });
      if (!saved.ok) return saved;
      current = saved.order.version;
      message = saved.changed.length ? `Saved ${saved.changed.length} field${saved.changed.length > 1 ? "s" : ""}` : "No changes to save";
    }
    if (intent === "save") return { ok: true };
    const completed = await completeStage(ctx, { orderId, version: current, confirmOpenTodos: formData.get("confirmOpenTodos") ?? undefined });
    if (completed.ok) {
      const o = completed.order;
      message = o.state === "completed" ? "Order completed" : o.state === "onHold" ? "Order put on hold: the store has been alerted" : `Stage completed: now in ${stageDef(o.stage).name}`;
      revalidatePath(`/orders/${orderId}`);
    }
    return completed;
  });
  return done(state, orderId, message);
}

export async function toggleTodoAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const orderId = id(formData);
  const state = await withActor(formData, (ctx) =>
    toggleTodo(ctx, { orderId, version: version(formData), todo: String(formData.get("todo") ?? ""), done: String(formData.get("done") ?? "") }),
  );
  return done(state, orderId);
}

export async function recordInspectionAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const orderId = id(formData);
  const state = await withActor(formData, (ctx) =>
    recordInspection(ctx, {
      orderId,
      version: version(formData),
      inspection: { result: String(formData.get("qualityCheckResults.result") ?? "") as "pass", notes: String(formData.get("qualityCheckResults.notes") ?? "") },
    }),
  );
  return done(state, orderId, "Inspection recorded");
}

export async function addAttachmentsAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const orderId = id(formData);
  const files = formData.getAll("attachments").filter((f): f is File => f instanceof File);
  const state = await withActor(formData, (ctx) => addAttachments(ctx, { orderId, version: version(formData), files }));
  return done(state, orderId, "Attached");
}

export async function reviseOrderAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const orderId = id(formData);
  const state = await withActor(formData, (ctx) => reviseOrder(ctx, { orderId, version: version(formData) }));
  return done(state, orderId, "Order back in Store Order: revise it and complete the stage to resubmit");
}

export async function cancelOrderAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const orderId = id(formData);
  const state = await withActor(formData, (ctx) => cancelOrder(ctx, { orderId, version: version(formData), reason: String(formData.get("reason") ?? "") }));
  return done(state, orderId, "Order cancelled");
}

