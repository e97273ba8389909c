/** The contract both stores keep (lib/storage/index.ts says how they are used). */

export interface FileStore {
  readonly kind: "local" | "s3";
  /** Where the browser PUTs the file's bytes, and the headers to send; valid for `expiresInSeconds`. */
  uploadUrl(key: string, options: { size: number; expiresInSeconds: number }): Promise<{ url: string; headers: Record<string, string> }>;
  /** The object's size, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
  /** The object's first `bytes` bytes (fewer when it is shorter): to tell its type by content. */
  head(key: string, bytes: number): Promise<Uint8Array>;
  /** The whole object, as the app streams it to a reader. */
  read(key: string): Promise<ReadableStream<Uint8Array>>;
  /**
   * A short-lived URL that serves the object under this name and type (S3: a presigned GET);
   * null when the app streams it itself (`read`).
   */
  downloadUrl(key: string, options: { filename: string; contentType: string; inline: boolean; expiresInSeconds: number }): Promise<string | null>;
  /** Writes an object from the server: bytes, or a file on this machine. */
  write(key: string, source: Uint8Array | { path: string; size: number }): Promise<void>;
  /** Removes the object; nothing when there is none. */
  delete(key: string): Promise<void>;
}

/** How long a signed upload URL lasts: enough to start a 100 MB upload on a slow line. */
export const UPLOAD_URL_SECONDS = 10 * 60;
/** How long a download link lasts: it is followed at once by the browser that asked. */
export const DOWNLOAD_URL_SECONDS = 60;

/**
 * Keys are chosen by the app, never by a client: lower-case letters, digits, `-`, `_`, `.` in
 * `/`-separated segments, none of them `.` or `..`.
 */
export function isValidKey(key: string): boolean {
  return key.length <= 300 && key.split("/").every((segment) => /^[a-z0-9_.-]+$/.test(segment) && segment !== "." && segment !== "..");
}
