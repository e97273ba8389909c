"use client";

import { useEffect } from "react";
import { markOrderReadAction } from "../../../inbox/actions";

/** Marks the viewer's alerts about this order read once the page is shown, if it has any unread. */
export function MarkReadOnOpen({ orderId }: { orderId: number }) {
  useEffect(() => {
    const form = new FormData();
    form.set("orderId", String(orderId));
    void markOrderReadAction(form);
  }, [orderId]);
  return null;
}
