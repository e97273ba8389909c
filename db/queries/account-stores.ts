import "server-only";
import { sql } from "drizzle-orm";
import { storeMembers } from "../schema";

/** An account's stores, for a query over accounts left-joined to store_members and grouped by account. */
export const accountStoreIds = sql<number[]>`coalesce(array_agg(${storeMembers.storeId}) filter (where ${storeMembers.storeId} is not null), '{}')`;
