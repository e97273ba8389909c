import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { applyMigrations, openPglite, openPostgres } from "@/db/client";
import { type TestS3, startS3rver } from "./s3rver";

/** Where each test file copies its database from (see tests/database.ts). */
export type TestDatabaseSource =
  | { driver: "pglite"; empty: string; migrated: string }
  | { driver: "postgres"; template: string };

declare module "vitest" {
  interface ProvidedContext {
    testDatabaseSource: TestDatabaseSource;
    testS3: TestS3;
  }
}

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
