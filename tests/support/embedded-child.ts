import { openPglite } from "@/db/client";
import { seedIfEmpty } from "@/lib/demo/seed";

/**
 * A second process on an embedded database, for tests/embedded-database.test.ts:
 * `hold DIR` opens it and keeps it open until killed; `boot DIR` seeds it as the app's first
 * start does. Each says "open" once the database is open.
 */
const [mode, dir] = process.argv.slice(2);
const conn = await openPglite(dir);
console.log("open");
if (mode === "boot") {
  await seedIfEmpty(conn.db);
  await conn.close();
  console.log("seeded");
} else {
  setInterval(() => {}, 1 << 30);
}
