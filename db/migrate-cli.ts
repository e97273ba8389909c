import { openPglite, openPostgres } from "./client";
import { env } from "@/lib/env";

/** `npm run db:migrate`: applies committed migrations to DATABASE_URL, or to the embedded database. */
const e = env();
const started = Date.now();
const conn = e.DATABASE_URL ? await openPostgres(e.DATABASE_URL, { max: 1, migrate: true }) : await openPglite(e.MAKELINE_DATA_DIR);
await conn.close();
console.log(`Migrations applied (${conn.driver}) in ${Date.now() - started} ms`);
