import "server-only";
import { and, asc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { attachments } from "@/db/schema";
import { type FileStore, fileStore } from "@/lib/storage";

/**
 * Moves the files still held in the database (attachments.data, from before decision 021) to the
 * file store, a few at a time: each is written under its own key, then its row points there and
 * its bytes are emptied, conditionally on the row not having been moved meanwhile. Stopped at any
 * point, it starts again where it was (a file written but not yet recorded is written again).
 * This is the expand step; a later release drops the emptied column.
 */
export async function moveAttachmentsToStore(db: Db, options: { store?: FileStore; batch?: number; log?: (line: string) => void } = {}) {
  const store = options.store ?? fileStore();
  const batch = options.batch ?? 20;
  let moved = 0;
  let bytes = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .select({ id: attachments.id, data: attachments.data })
      .from(attachments)
      .where(and(isNotNull(attachments.data), isNull(attachments.storageKey), gt(attachments.id, after)))
      .orderBy(asc(attachments.id))
      .limit(batch);
    if (!rows.length) break;
    for (const row of rows) {
      const key = `attachments/moved-${row.id}`;
      await store.write(key, new Uint8Array(row.data!));
      const [done] = await db
        .update(attachments)
        .set({ storageKey: key, data: null })
        .where(and(eq(attachments.id, row.id), isNull(attachments.storageKey)))
        .returning({ id: attachments.id });
      if (done) {
        moved++;
        bytes += row.data!.byteLength;
      }
      after = row.id;
    }
    options.log?.(`moved ${moved} files (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
  }
  const [{ left }] = await db.select({ left: sql<number>`count(*)`.mapWith(Number) }).from(attachments).where(isNull(attachments.storageKey));
  return { moved, bytes, left };
}
