"use client";

import { type ComponentType, createElement, lazy } from "react";
import { loadCompoundControl } from "@/components/order/lazy-compound-control";
import type { StageFormProps } from "./stage-form";

/**
 * The order page's forms that only some viewers see, each in its own chunk, which the browser
 * loads only when the form is on the page: a store manager following an order in production loads
 * no stage form, dispatch no inspection form (issue 17's JS budget, `npm run bench:js`).
 *
 * They are drawn on the server inline, as before, so each works before and without JavaScript:
 * there is no Suspense boundary around them, so the server finishes each before it sends the page
 * rather than streaming it in later (which a browser without script would never show). In the
 * browser the page becomes interactive once the chunks it names have arrived. React's `lazy`
 * rather than next/dynamic, whose preloading machinery outweighed the smaller forms it split off.
 * (A server component cannot split a client component itself: the split is made here, on the client.)
 */
function split<P extends object>(load: () => Promise<ComponentType<P>>) {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function Split(props: P) {
    return createElement(Lazy, props);
  };
}

const LazyStageForm = split(() => import("./stage-form").then((m) => m.StageForm));
/**
 * The stage form. For a stage with a field of parts (a decision and its reason, a schedule…), the
 * chunk of their controls, which the form loads as it draws them (stage-form.tsx), starts loading
 * beside the form's rather than after it. One component for every stage: completing a stage
 * keeps the form, and with it the message that says where the order went.
 */
export function StageForm(props: StageFormProps) {
  if (props.fields.some((f) => f.input.kind in props.compoundParts)) void loadCompoundControl();
  return createElement(LazyStageForm, props);
}
export const AttachmentForm = split(() => import("./attachment-form").then((m) => m.AttachmentForm));
export const InspectionForm = split(() => import("./inspection-form").then((m) => m.InspectionForm));
export const ReadyForReinspectionForm = split(() => import("./inspection-form").then((m) => m.ReadyForReinspectionForm));
export const ProposeForm = split(() => import("./proposal").then((m) => m.ProposeForm));
export const AcceptProposalForm = split(() => import("./proposal").then((m) => m.AcceptProposalForm));
export const ReviseForm = split(() => import("./order-actions").then((m) => m.ReviseForm));
export const CancelForm = split(() => import("./order-actions").then((m) => m.CancelForm));
export const ReplacementForm = split(() => import("./replacement-form").then((m) => m.ReplacementForm));
