import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { migrateDatabase } from "./migrator";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;
export type Driver = "pglite" | "postgres";

/** Stops a `listen`. */
export type Unlisten = () => Promise<void>;

/**
 * `url`: the server's address, for work that needs a session of its own (the migration lock).
 * `listen`: LISTEN on a channel; `onPayload` gets each NOTIFY's payload after its transaction
 * commits, and `onListening` runs each time the listen is (re)established (a server connection
 * that dropped and came back missed what was sent meanwhile).
 */
export type Connection = {
  db: Db;
  driver: Driver;
  close: () => Promise<void>;
  url?: string;
  listen: (channel: string, onPayload: (payload: string) => void, onListening?: () => void) => Promise<Unlisten>;
};

export { migrationsFolder } from "./migrator";

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
  // One process at a time: a second opener of the same folder fails here, before PGlite reads it.
  const lock = dataDir ? (await import("./folder-lock")).lockDataDir(dataDir) : null;
  let client: InstanceType<typeof PGlite>;
  try {
    // pg_trgm (the order search's index) is loaded with every instance: PGlite keeps an extension's
    // code outside its data, so a database that has it needs it loaded to open.
    client = new PGlite({ dataDir: dataDir ?? undefined, loadDataDir: options.loadDataDir, extensions: { pg_trgm } });
    await client.waitReady;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  const conn: Connection = {
    db,
    driver: "pglite",
    // One connection: a NOTIFY sent in a transaction reaches this listener when it commits.
    listen: async (channel, onPayload, onListening) => {
      const stop = await client.listen(channel, onPayload);
      onListening?.();
      return () => stop();
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
  if (options.migrate !== false) {
    try {
      await applyMigrations(conn);
    } catch (error) {
      await conn.close();
      throw error;
    }
  }
  return conn;
}

export type PostgresOptions = {
  max?: number;
  migrate?: boolean;
  /** Behind a transaction pooler (PgBouncer, Neon, Supabase): no prepared statements, no startup settings. */
  pooler?: boolean;
  /** Server-side limit per statement (0: none); a stuck query fails instead of holding a page. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection before failing (a hung or unreachable server). */
  connectTimeoutS?: number;
};

/**
 * Connects to a PostgreSQL server; migrations are applied by the release command (`npm run
 * release`, db/migrator.ts). The app's own connection takes its settings from the environment
 * (DATABASE_POOL_MAX, DATABASE_POOLER, DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_CONNECT_TIMEOUT_S).
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Connection> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const statementTimeout = options.statementTimeoutMs ?? 0;
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutS ?? 10,
    // A transaction pooler hands each transaction to any server connection: a statement
    // prepared on one is unknown on the next, and startup parameters are refused.
    // No JIT: its compile time (LLVM, on every statement the planner costs above 100,000) is paid
    // per execution and outweighed the work it saved (My work at 1M orders: 576 ms with it,
    // 206 ms without; docs/performance.md).
    ...(options.pooler ? { prepare: false } : { connection: { application_name: "makeline", jit: "off", ...(statementTimeout ? { statement_timeout: statementTimeout } : {}) } }),
  });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  const conn: Connection = {
    db,
    driver: "postgres",
    close: () => client.end({ timeout: 5 }),
    url,
    // postgres-js keeps one connection of its own for every LISTEN of this client and reconnects it.
    listen: async (channel, onPayload, onListening) => {
      const request = await client.listen(channel, onPayload, onListening);
      return () => request.unlisten();
    },
  };
  if (options.migrate) await applyMigrations(conn);
  return conn;
}

/** The app's PostgreSQL settings, from the environment. */
export function postgresOptionsFromEnv(): PostgresOptions {
  const e = env();
  return {
    max: e.DATABASE_POOL_MAX,
    pooler: e.DATABASE_POOLER === "1",
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutS: e.DATABASE_CONNECT_TIMEOUT_S,
  };
}

/** Applies the committed migrations that the database has not applied yet (under the release lock on a server). */
export async function applyMigrations(conn: Connection) {
  await migrateDatabase(conn as never);
}

/** Awaits `work` and fails after `ms` if the database has not answered (a hung server never does). */
export async function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
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
    if (e.DATABASE_URL) return openPostgres(e.DATABASE_URL, postgresOptionsFromEnv());
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
