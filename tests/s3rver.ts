import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** The S3-compatible server (s3rver) the tests use: its address and bucket. */
export type TestS3 = { endpoint: string; bucket: string };

/** Lets any page PUT and GET: the tests' pages and the e2e server are on 127.0.0.1 at random ports. */
export const corsForTests = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * A real S3-compatible server on 127.0.0.1 (s3rver: the S3 API, signatures included, over a
 * temporary folder), with one bucket, for the whole run: storage is tested against it, not a mock.
 */
export async function startS3rver(bucket = "makeline-test"): Promise<TestS3 & { close: () => Promise<void> }> {
  const { default: S3rver } = await import("s3rver");
  const directory = await mkdtemp(path.join(tmpdir(), "makeline-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [corsForTests] }] });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Migrates once for the whole run rather than once per test file: PGlite's initdb alone costs
 * seconds a file. On PGlite the result is a data-directory tarball; on a PostgreSQL server it is
 * a template database, dropped again at the end.
 */
