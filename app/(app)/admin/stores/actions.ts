"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { archiveStore, createStore, updateStore } from "@/lib/stores/commands";
import { archiveStoreSchema, createStoreSchema, updateStoreSchema } from "@/lib/stores/schemas";

/** The stores page's server actions; each command checks the manageStores grant itself. */

const refresh = () => {
  // Store names and choices show on most pages (orders, board, KPIs, new order).
  revalidatePath("/", "layout");
};

export const createStoreAction = validatedAction(createStoreSchema, (input, ctx) => createStore(ctx, input), ({ store }) => {
  refresh();
  return `Store ${store.name} created.`;
});

export const updateStoreAction = validatedAction(updateStoreSchema, (input, ctx) => updateStore(ctx, input), ({ store }) => {
  refresh();
  return `Saved ${store.name}.`;
});

export const archiveStoreAction = validatedAction(archiveStoreSchema, (input, ctx) => archiveStore(ctx, input), ({ store }, { archived }) => {
  refresh();
  return archived ? `${store.name} archived: it takes no new orders.` : `${store.name} restored: it takes orders again.`;
});
