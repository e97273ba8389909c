import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, link, mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { authSecret } from "@/lib/env";
import { type FileStore, isValidKey } from "./types";

/**
 * The local folder: each object a file under `dir`, at its key's path. A browser upload is a PUT
 * to the app's own route /api/files/<token>, where the token names the key, the exact size and
 * the time it expires, signed with a key derived from AUTH_SECRET: the same contract as an S3
 * presigned URL, so the browser code is the same for both.
 */

type UploadGrant = { key: string; size: number; expiresAt: number };

const signingKey = () => createHmac("sha256", authSecret()).update("makeline:file-upload").digest();
const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const sign = (payload: string) => createHmac("sha256", signingKey()).update(payload).digest();

export function signUploadToken(grant: UploadGrant): string {
  const payload = b64(JSON.stringify({ k: grant.key, n: grant.size, e: grant.expiresAt }));
  return `${payload}.${b64(sign(payload))}`;
}

/** The grant a token carries, or why it carries none (tampered, malformed, expired). */
export function verifyUploadToken(token: string, now = Date.now()): UploadGrant | "invalid" | "expired" {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return "invalid";
  const given = Buffer.from(signature, "base64url");
  const expected = sign(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
  try {
    const { k, n, e } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { k: unknown; n: unknown; e: unknown };
    if (typeof k !== "string" || typeof n !== "number" || typeof e !== "number") return "invalid";
    return e < now ? "expired" : { key: k, size: n, expiresAt: e };
  } catch {
    return "invalid";
  }
}

export class LocalFolderStore implements FileStore {
  readonly kind = "local" as const;

  constructor(readonly dir: string) {}

  /** The file of a key: always inside `dir` (keys are made by the app and checked again here). */
  pathOf(key: string): string {
    const file = path.resolve(this.dir, key);
    if (!file.startsWith(path.resolve(this.dir) + path.sep)) throw new Error(`Not a file key: ${key}`);
    return file;
  }

  async uploadUrl(key: string, { size, expiresInSeconds }: { size: number; expiresInSeconds: number }) {
    this.pathOf(key);
    const token = signUploadToken({ key, size, expiresAt: Date.now() + expiresInSeconds * 1000 });
    return { url: `/api/files/${token}`, headers: {} };
  }

  async stat(key: string) {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async head(key: string, bytes: number) {
    const file = await open(this.pathOf(key), "r");
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await file.read(buffer, 0, bytes, 0);
      return new Uint8Array(buffer.subarray(0, bytesRead));
    } finally {
      await file.close();
    }
  }

  async read(key: string) {
    const file = this.pathOf(key);
    await stat(file);
    return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  }

  async downloadUrl() {
    return null;
  }

  async write(key: string, source: Uint8Array | { path: string; size: number }) {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Written beside, then renamed: a reader never sees half a file.
    const part = `${file}.part-${randomBytes(6).toString("hex")}`;
    try {
      if (source instanceof Uint8Array) await writeFile(part, source);
      else await copyFile(source.path, part);
      await rename(part, file);
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
  }

  /**
   * Takes a browser's PUT to /api/files/<token>: the body streamed to disk, at most the granted
   * size, and kept only when it is exactly that size and no file has that key yet (a checked,
   * attached file is never replaced through its old URL). 403 for a token that is not ours or has
   * expired, 413 for a body larger than granted, 400 for a shorter one, 412 when the file exists.
   */
  async receive(token: string, request: Request): Promise<Response> {
    const grant = verifyUploadToken(token);
    if (grant === "invalid") return new Response("This upload link is not valid.", { status: 403 });
    if (grant === "expired") return new Response("This upload link has expired: choose the file again.", { status: 403 });
    if (!isValidKey(grant.key)) return new Response("This upload link is not valid.", { status: 403 });
    const declared = request.headers.get("content-length");
    if (declared !== null && Number(declared) > grant.size) return new Response("The file is larger than announced.", { status: 413 });
    if (!request.body) return new Response("The upload is empty.", { status: 400 });
    const file = this.pathOf(grant.key);
    if (await this.stat(grant.key)) return new Response("This file has been sent already.", { status: 412 });
    await mkdir(path.dirname(file), { recursive: true });
    const part = `${file}.part-${randomBytes(6).toString("hex")}`;
    const out = await open(part, "w");
    let received = 0;
    let ok = false;
    try {
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > grant.size) {
          await reader.cancel();
          return new Response("The file is larger than announced.", { status: 413 });
        }
        await out.write(value);
      }
      if (received !== grant.size) return new Response("The upload stopped before the whole file arrived.", { status: 400 });
      ok = true;
    } finally {
      await out.close();
      if (!ok) await rm(part, { force: true });
    }
    try {
      // A hard link, unlike a rename, refuses a name that exists: of two uploads at once, one wins.
      if (ok) await link(part, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      return new Response("This file has been sent already.", { status: 412 });
    } finally {
      await rm(part, { force: true });
    }
    return new Response(null, { status: 200 });
  }

  async delete(key: string) {
    await rm(this.pathOf(key), { force: true });
  }
}
