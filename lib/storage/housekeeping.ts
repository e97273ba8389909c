import "server-only";
import { lt } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { fileUploads } from "@/db/schema";
import { logger } from "@/lib/log";
import { fileStore } from "./index";

/** Removes files from the store; one that cannot be removed is logged and left (the store's own lifecycle rules may sweep it). */
export async function discardFiles(keys: readonly string[]) {
  await Promise.all(keys.map((key) => fileStore().delete(key).catch((error: unknown) => logger.error({ where: "file store", err: error instanceof Error ? error.message : String(error) }, "could not remove a file from the store"))));
}

/** Uploads never attached, a day after their URL expired: their rows and files go. */
export async function removeAbandonedUploads(db: Executor, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - 24 * 3600_000);
  const gone = await db.delete(fileUploads).where(lt(fileUploads.expiresAt, before)).returning({ key: fileUploads.key });
  await discardFiles(gone.map((g) => g.key));
  return gone.length;
}
