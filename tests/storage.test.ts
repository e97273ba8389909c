import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, describe, expect, test } from "vitest";
import { PUT } from "@/app/api/files/[token]/route";
import { type FileStore, isValidKey, setFileStore } from "@/lib/storage";
import { s3UploadOrigin } from "@/lib/storage/config";
import { signUploadToken } from "@/lib/storage/local";
import { testLocalStore, testS3Store } from "./storage";

/**
 * The file store's contract, kept by both stores: the local folder and S3-compatible storage (a
 * real s3rver on 127.0.0.1, started for the run by tests/global-setup.ts). A browser's upload is
 * what it would send: a PUT of the bytes to the signed URL (the app's route for the folder).
 */

const local = testLocalStore();
afterAll(() => {
  local.remove();
  setFileStore(null);
});

const stores: [string, FileStore][] = [
  ["local folder", local.store],
  ["S3-compatible (s3rver)", testS3Store()],
];

/** PUTs bytes to an upload URL as the browser does: over HTTP for S3, through the app's route for the folder. */
async function browserPut(store: FileStore, url: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<number> {
  if (store.kind === "s3") return (await fetch(url, { method: "PUT", body, headers })).status;
  setFileStore(store);
  const token = url.replace("/api/files/", "");
  const response = await PUT(new Request(`http://localhost${url}`, { method: "PUT", body, headers: { "content-length": String(body.byteLength), ...headers }, duplex: "half" } as RequestInit), { params: Promise.resolve({ token }) });
  return response.status;
}

const readAll = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());
const pdf = (size: number): Uint8Array<ArrayBuffer> => {
  const bytes = randomBytes(size);
  bytes.set(Buffer.from("%PDF-1.7\n").subarray(0, size));
  return new Uint8Array(bytes);
};

describe.each(stores)("%s", (_name, store) => {
  test("a signed upload of the announced size, read back byte for byte: size, first bytes, the whole", async () => {
    const key = `attachments/${randomBytes(8).toString("hex")}`;
    const bytes = pdf(300_000);
    const { url, headers } = await store.uploadUrl(key, { size: bytes.byteLength, expiresInSeconds: 60 });
    expect(await store.stat(key)).toBeNull();
    expect(await browserPut(store, url, bytes, headers)).toBe(200);
    expect(await store.stat(key)).toEqual({ size: bytes.byteLength });
    expect(Buffer.from(await store.head(key, 16))).toEqual(Buffer.from(bytes.subarray(0, 16)));
    expect(Buffer.from(await readAll(await store.read(key)))).toEqual(Buffer.from(bytes));
    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await store.delete(key);
  });

  test("a download link names the file and its type (S3); the folder's files are streamed by the app", async () => {
    const key = `attachments/${randomBytes(8).toString("hex")}`;
    await store.write(key, pdf(1000));
    const url = await store.downloadUrl(key, { filename: "Plan (rev 2).pdf", contentType: "application/pdf", inline: true, expiresInSeconds: 60 });
    if (store.kind === "local") expect(url).toBeNull();
    else {
      const response = await fetch(url!);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("content-disposition")).toBe("inline; filename*=UTF-8''Plan%20(rev%202).pdf");
      expect((await response.arrayBuffer()).byteLength).toBe(1000);
    }
  });

  test("written from the server: bytes, or a file on this machine", async () => {
    const file = path.join(tmpdir(), `makeline-export-${randomBytes(4).toString("hex")}.csv`);
    writeFileSync(file, "a,b\r\n1,2\r\n");
    const key = `exports/${randomBytes(8).toString("hex")}.csv`;
    await store.write(key, { path: file, size: 10 });
    expect(new TextDecoder().decode(await readAll(await store.read(key)))).toBe("a,b\r\n1,2\r\n");
    await store.write(key, new TextEncoder().encode("replaced"));
    expect(new TextDecoder().decode(await readAll(await store.read(key)))).toBe("replaced");
  });

  test("an upload URL creates the file once: a second PUT to it cannot replace a file already checked", async () => {
    const key = `attachments/${randomBytes(8).toString("hex")}`;
    const { url, headers } = await store.uploadUrl(key, { size: 100, expiresInSeconds: 60 });
    expect(await browserPut(store, url, pdf(100), headers)).toBe(200);
    const second = await browserPut(store, url, new Uint8Array(Buffer.from("<html>".padEnd(100, " "))), headers);
    if (store.kind === "local") expect(second).toBe(412);
    else {
      // The signature covers If-None-Match: * (S3, R2 and MinIO refuse to replace the object;
      // s3rver does not implement conditional writes, so only the signature is checked here).
      expect(headers).toEqual({ "If-None-Match": "*" });
      expect(new URL(url).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;host;if-none-match");
    }
    if (store.kind === "local") expect(Buffer.from(await store.head(key, 5)).toString()).toBe("%PDF-");
  });

  test("an expired upload URL is refused", async () => {
    const key = `attachments/${randomBytes(8).toString("hex")}`;
    const { url } = await store.uploadUrl(key, { size: 10, expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await browserPut(store, url, pdf(10))).toBe(403);
    expect(await store.stat(key)).toBeNull();
  });
});

describe("the local folder's upload route", () => {
  const store = local.store;
  test("a tampered token, a body larger or shorter than granted, and a key outside the folder are refused; nothing is kept", async () => {
    const key = `attachments/${randomBytes(8).toString("hex")}`;
    const { url } = await store.uploadUrl(key, { size: 100, expiresInSeconds: 60 });
    const [payload, signature] = url.replace("/api/files/", "").split(".");
    const other = Buffer.from(JSON.stringify({ k: "attachments/theirs", n: 100, e: Date.now() + 60_000 })).toString("base64url");
    expect(await browserPut(store, `/api/files/${other}.${signature}`, pdf(100))).toBe(403);
    expect(await browserPut(store, `/api/files/${payload}.${signature}x`, pdf(100))).toBe(403);
    expect(await browserPut(store, `/api/files/${payload}`, pdf(100))).toBe(403);
    expect(await browserPut(store, url, pdf(101))).toBe(413);
    expect(await browserPut(store, url, pdf(99))).toBe(400);
    expect(await store.stat(key)).toBeNull();
    // A streamed body longer than the grant, with no length announced, is cut off at the grant.
    setFileStore(store);
    const token = url.replace("/api/files/", "");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(pdf(60));
        controller.enqueue(pdf(60));
        controller.close();
      },
    });
    const response = await PUT(new Request(`http://localhost${url}`, { method: "PUT", body: stream, duplex: "half" } as RequestInit), { params: Promise.resolve({ token }) });
    expect(response.status).toBe(413);
    expect(await store.stat(key)).toBeNull();
    // A grant the app never makes (a key leaving the folder) is refused even when signed.
    expect(await browserPut(store, `/api/files/${signUploadToken({ key: "../../etc/x", size: 1, expiresAt: Date.now() + 60_000 })}`, pdf(1))).toBe(403);
    expect(await browserPut(store, url, pdf(100))).toBe(200);
    expect(await store.stat(key)).toEqual({ size: 100 });
  });
});

test("keys are the app's own: no traversal, no upper case, no empty segment", () => {
  expect(isValidKey("attachments/0b4f-aa")).toBe(true);
  for (const bad of ["../x", "a//b", "a/./b", "A/b", "a/b c", "", "a/%2e%2e"]) expect(isValidKey(bad), bad).toBe(false);
});

test("the upload origin pages may send to (their CSP) is the one the AWS SDK signs for", async () => {
  const configs = [
    { bucket: "makeline", region: "us-east-1" },
    { bucket: "makeline", region: "eu-central-1" },
    { bucket: "make.line", region: "eu-central-1" },
    { bucket: "makeline", region: "auto", endpoint: "https://acc.r2.cloudflarestorage.com" },
    { bucket: "makeline", region: "us-east-1", endpoint: "http://minio.internal:9000", forcePathStyle: true },
    { bucket: "makeline", region: "us-east-1", endpoint: "http://127.0.0.1:4568", forcePathStyle: true },
  ];
  for (const c of configs) {
    const client = new S3Client({ ...c, forcePathStyle: c.forcePathStyle ?? false, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const signed = new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket: c.bucket, Key: "attachments/x", ContentLength: 1 }), { expiresIn: 60 }));
    expect(s3UploadOrigin({ ...c, forcePathStyle: c.forcePathStyle ?? false }), JSON.stringify(c)).toBe(signed.origin);
  }
});
