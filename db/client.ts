import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;
export type Driver = "pglite" | "postgres";

export type Connection = { db: Db; driver: Driver; close: () => Promise<void> };

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/**
 * Opens PGlite at `dataDir` (or in memory when null), migrated unless told otherwise.
 * `loadDataDir` starts it from a `dumpDataDir()` tarball instead of an empty cluster.
 */
export async function openPglite(dataDir: string | null, options: { migrate?: boolean; loadDataDir?: Blob } = {}): Promise<Connection> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  // PGlite does not create missing parent folders.
  if (dataDir) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  // pg_trgm (the order search's index) is loaded with every instance: PGlite keeps an extension's
  // code outside its data, so a database that has it needs it loaded to open.
  const client = new PGlite({ dataDir: dataDir ?? undefined, loadDataDir: options.loadDataDir, extensions: { pg_trgm } });
  await client.waitReady;
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  const conn: Connection = { db, driver: "pglite", close: () => client.close() };
  if (options.migrate !== false) await applyMigrations(conn);
  return conn;
}

/** Connects to a PostgreSQL server; migrations are applied by `npm run db:migrate` (or `migrate`). */
export async function openPostgres(url: string, options: { max?: number; migrate?: boolean } = {}): Promise<Connection> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  const conn: Connection = { db, driver: "postgres", close: () => client.end({ timeout: 5 }) };
  if (options.migrate) await applyMigrations(conn);
  return conn;
}

/** Applies the committed migrations that the database has not applied yet. */
export async function applyMigrations(conn: Connection) {
  const { migrate } = conn.driver === "pglite" ? await import("drizzle-orm/pglite/migrator") : await import("drizzle-orm/postgres-js/migrator");
  await migrate(conn.db as never, { migrationsFolder });
}

type Holder = { connection?: Promise<Connection> };
const holder = ((globalThis as { __makelineDb?: Holder }).__makelineDb ??= {});

/**
 * The app's one database connection, opened on first use (never at import, so `next build`
 * does not open it). Embedded PGlite is migrated on open; whether to seed it is the app's
 * decision at boot (instrumentation.ts), not the client's.
 */
export function connection(): Promise<Connection> {
  holder.connection ??= (async () => {
    const e = env();
    if (e.DATABASE_URL) return openPostgres(e.DATABASE_URL);
    return openPglite(e.MAKELINE_DATA_DIR);
  })().catch((error) => {
    holder.connection = undefined;
    throw error;
  });
  return holder.connection;
}

export async function getDb(): Promise<Db> {
  return (await connection()).db;
}

/** Tests point the app at their own database. */
export function setConnection(conn: Connection) {
  holder.connection = Promise.resolve(conn);
}

/** Rows of a raw `execute` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
