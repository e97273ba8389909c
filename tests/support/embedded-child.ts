import { openPglite } from "@/db/client";
import { seedIfEmpty } from "@/lib/demo/seed";

/**
 * A second process on an embedded database, for tests/embedded-database.test.ts:
 * `hold DIR` opens it and keeps it open until killed; `boot DIR` seeds it as the app's first
 * start does (with 60 history orders). Each says "open" once the database is open, and `boot`
 * says each step of the seed.
 */
const [mode, dir] = process.argv.slice(2);
const conn = await openPglite(dir);
console.log("open");
if (mode === "boot") {
  // A smaller history than the app's first start, saying where it is, so the test can kill it half-way.
  await seedIfEmpty(conn.db, { historyOrders: 60, step: (what) => console.log(`step: ${what}`) });
  await conn.close();
  console.log("seeded");
} else {
  setInterval(() => {}, 1 << 30);
}
