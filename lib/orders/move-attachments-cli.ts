import { connection } from "@/db/client";
import { storageConfig } from "@/lib/storage/config";
import { moveAttachmentsToStore } from "./move-attachments";

/**
 * `npm run attachments:move`: moves attachments still held in the database to the file store
 * (S3_BUCKET, else the local folder), on DATABASE_URL or the embedded database. Safe to run while
 * the app runs, and again after an interruption.
 */
const conn = await connection();
try {
  const c = storageConfig();
  console.log(`Moving attachments from the database to ${c.kind === "s3" ? `bucket ${c.bucket}` : c.dir} …`);
  const started = Date.now();
  const { moved, bytes, left } = await moveAttachmentsToStore(conn.db, { log: (line) => console.log(`  ${line}`) });
  console.log(`Moved ${moved} files (${(bytes / 1024 / 1024).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${left} left in the database.`);
  if (left) process.exitCode = 1;
} finally {
  await conn.close();
}
