import "server-only";
import { createReadStream } from "node:fs";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { S3Config } from "./config";
import type { FileStore } from "./types";

/**
 * S3-compatible object storage (AWS S3, Cloudflare R2, MinIO; tested against s3rver). The bucket
 * must allow the app's origin to PUT with CORS (docs/deploying.md has the rule). Uploads are
 * presigned PUTs whose signature covers the exact content length; downloads are presigned GETs
 * that name the file and its checked type.
 */
export class S3Store implements FileStore {
  readonly kind = "s3" as const;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // Checksums only where S3 requires one: otherwise the SDK signs a checksum of an empty body
      // into every presigned PUT, and the browser's upload would not match it (R2 rejects some too).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  /**
   * A PUT of exactly `size` bytes that only creates the object (If-None-Match: *, a signed header
   * the browser must send): once a file is checked and attached, the same URL cannot replace it.
   */
  async uploadUrl(key: string, { size, expiresInSeconds }: { size: number; expiresInSeconds: number }) {
    const url = await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentLength: size, IfNoneMatch: "*" }), {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(["if-none-match"]),
    });
    return { url, headers: { "If-None-Match": "*" } };
  }

  async stat(key: string) {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === "NotFound" || error.name === "NoSuchKey")) return null;
      throw error;
    }
  }

  async head(key: string, bytes: number) {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
    const all = await object.Body!.transformToByteArray();
    // A server that ignores Range sends everything: only the first bytes are asked for.
    return all.subarray(0, bytes);
  }

  async read(key: string) {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return object.Body!.transformToWebStream() as ReadableStream<Uint8Array>;
  }

  async downloadUrl(key: string, { filename, contentType, inline, expiresInSeconds }: { filename: string; contentType: string; inline: boolean; expiresInSeconds: number }) {
    const disposition = `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(filename.toWellFormed())}`;
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition, ResponseContentType: contentType, ResponseCacheControl: "private, no-store" }),
      { expiresIn: expiresInSeconds },
    );
  }

  async write(key: string, source: Uint8Array | { path: string; size: number }) {
    const body = source instanceof Uint8Array ? source : createReadStream(source.path);
    const size = source instanceof Uint8Array ? source.byteLength : source.size;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: size }));
  }

  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
