import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { applyMigrations, openPglite, openPostgres } from "@/db/client";

/** Where each test file copies its database from (see tests/database.ts). */
export type TestDatabaseSource =
  | { driver: "pglite"; empty: string; migrated: string }
  | { driver: "postgres"; template: string };

/** The S3-compatible server (s3rver) every test file may use: its address and bucket. */
export type TestS3 = { endpoint: string; bucket: string };

declare module "vitest" {
  interface ProvidedContext {
    testDatabaseSource: TestDatabaseSource;
    testS3: TestS3;
  }
}

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
export default async function setup(project: TestProject) {
  const s3 = await startS3rver();
  project.provide("testS3", { endpoint: s3.endpoint, bucket: s3.bucket });
  const closeDatabase = await setupDatabase(project);
  return async () => {
    await closeDatabase();
    await s3.close();
  };
}

async function setupDatabase(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = await mkdtemp(path.join(tmpdir(), "makeline-test-"));
    const conn = await openPglite(null, { migrate: false });
    const client = (conn.db as unknown as { $client: PGlite }).$client;
    const dump = async (name: string) => {
      const file = path.join(dir, name);
      await writeFile(file, new Uint8Array(await (await client.dumpDataDir("none")).arrayBuffer()));
      return file;
    };
    const empty = await dump("empty.tar");
    await applyMigrations(conn);
    const migrated = await dump("migrated.tar");
    await conn.close();
    project.provide("testDatabaseSource", { driver: "pglite", empty, migrated });
    return () => rm(dir, { recursive: true, force: true });
  }

  const template = `makeline_template_${randomBytes(6).toString("hex")}`;
  const dropTemplate = async () => {
    const admin = await openPostgres(url, { max: 1 });
    await admin.db.execute(`drop database if exists ${template} with (force)`);
    await admin.close();
  };
  const admin = await openPostgres(url, { max: 1 });
  await admin.db.execute(`create database ${template}`);
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${template}`;
  try {
    // Closed before any copy: CREATE DATABASE … TEMPLATE refuses a template with open connections.
    const conn = await openPostgres(target.toString(), { max: 1, migrate: true });
    await conn.close();
  } catch (error) {
    await dropTemplate();
    throw error;
  }
  project.provide("testDatabaseSource", { driver: "postgres", template });
  return dropTemplate;
}
