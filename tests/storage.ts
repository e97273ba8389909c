import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { LocalFolderStore, S3Store, setFileStore } from "@/lib/storage";

/**
 * File stores for tests: a local folder in a temporary directory, or the run's S3-compatible
 * server (s3rver, started by tests/global-setup.ts). Every test file gets a local folder of its
 * own by default (tests/database.ts); a test that needs S3 sets it with `setFileStore`.
 */

/** s3rver checks signatures against these. */
export const s3rverCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export function testS3Config() {
  const { endpoint, bucket } = inject("testS3");
  return { bucket, region: "us-east-1", endpoint, forcePathStyle: true, credentials: s3rverCredentials };
}

export const testS3Store = () => new S3Store(testS3Config());

/** A folder store in a new temporary directory, and a way to remove it. */
export function testLocalStore(): { store: LocalFolderStore; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "makeline-files-"));
  return { store: new LocalFolderStore(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Points the app at a fresh local folder; returns what removes it. */
export function pointAtTestLocalStore(): () => void {
  const { store, remove } = testLocalStore();
  setFileStore(store);
  return remove;
}
