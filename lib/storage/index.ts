import "server-only";
import { storageConfig } from "./config";
import { LocalFolderStore } from "./local";
import { S3Store } from "./s3";
import type { FileStore } from "./types";

/**
 * Files outside the database (decision 021): attachments and export files are objects under a
 * key, in S3-compatible object storage (AWS S3, Cloudflare R2, MinIO) when S3_BUCKET is set, else
 * in a local folder (MAKELINE_FILES_DIR, by default `files` beside the embedded database).
 *
 * Both stores take an upload straight from the browser: `uploadUrl` signs a PUT of exactly `size`
 * bytes to one key, valid for a few minutes (S3: a presigned URL; the folder: an app route,
 * /api/files/<token>, whose token is signed the same way). Nothing here decides who may upload
 * or read: the caller asks the policy first, then hands out the URL or the bytes.
 */

const holder = ((globalThis as { __makelineFiles?: { store?: FileStore } }).__makelineFiles ??= {});

/** The app's one file store, made from the environment on first use. */
export function fileStore(): FileStore {
  if (!holder.store) {
    const c = storageConfig();
    holder.store = c.kind === "s3" ? new S3Store(c) : new LocalFolderStore(c.dir);
  }
  return holder.store;
}

/** Tests point the app at a store of their own (a temporary folder, an S3-compatible server). */
export function setFileStore(store: FileStore | null) {
  holder.store = store ?? undefined;
}

export { LocalFolderStore, S3Store };
export { DOWNLOAD_URL_SECONDS, type FileStore, UPLOAD_URL_SECONDS, isValidKey } from "./types";
export { verifyUploadToken } from "./local";
