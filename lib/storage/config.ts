import path from "node:path";
import { env } from "@/lib/env";

/**
 * Where files live, read from the environment once (lib/env.ts). Pure: the proxy reads it too,
 * for the Content-Security-Policy (the browser sends uploads to the storage's origin).
 */

export type S3Config = {
  bucket: string;
  region: string;
  /** Unset: AWS S3. Cloudflare R2: https://<account>.r2.cloudflarestorage.com; MinIO: its address. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset: the SDK's own chain (AWS_* variables, an instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

export type StorageConfig = { kind: "local"; dir: string } | ({ kind: "s3" } & S3Config);

export function storageConfig(): StorageConfig {
  const e = env();
  if (!e.S3_BUCKET) {
    // Beside the embedded database's folder (.data/pglite → .data/files), not inside it. A path
    // from configuration: the build's file tracer must not follow it (it would take the whole
    // project, package.json's "type": "module" included, and the standalone server.js, CommonJS,
    // would no longer start).
    return { kind: "local", dir: path.resolve(/*turbopackIgnore: true*/ e.MAKELINE_FILES_DIR ?? path.join(path.dirname(e.MAKELINE_DATA_DIR), "files")) };
  }
  return {
    kind: "s3",
    bucket: e.S3_BUCKET,
    region: e.S3_REGION,
    endpoint: e.S3_ENDPOINT,
    forcePathStyle: e.S3_FORCE_PATH_STYLE === "1",
    credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined,
  };
}

/**
 * The origin a browser uploads to with a signed URL, as the AWS SDK builds it: path style on the
 * endpoint, or the bucket as a subdomain of the endpoint (AWS: of s3.<region>.amazonaws.com,
 * except for a bucket name with dots, which the SDK addresses by path). A test holds it to the
 * SDK's own URLs.
 */
export function s3UploadOrigin(c: Pick<S3Config, "bucket" | "region" | "endpoint" | "forcePathStyle">): string {
  const byPath = c.forcePathStyle || c.bucket.includes(".");
  if (c.endpoint) {
    const url = new URL(c.endpoint);
    return byPath ? url.origin : `${url.protocol}//${c.bucket}.${url.host}`;
  }
  const host = `s3.${c.region}.amazonaws.com`;
  return byPath ? `https://${host}` : `https://${c.bucket}.${host}`;
}

/** Origins pages may send uploads to besides their own (none for the local folder, whose upload URL is the app's). */
export function uploadOrigins(): string[] {
  const c = storageConfig();
  return c.kind === "s3" ? [s3UploadOrigin(c)] : [];
}
