import { parseArgs } from "node:util";
import { openPglite, openPostgres } from "@/db/client";
import { isLocalDatabase, isSetUp, seedDemo } from "./seed";
import { env } from "@/lib/env";

/**
 * `npm run db:seed [-- --orders N]`: demo stores, accounts, rules and orders (N history orders
 * for KPIs), with the README's shared password. It refuses a database that may be a shop's
 * (a server that is not on this machine, or one `npm run setup` has set up) unless `--demo`
 * asks for the demo by name.
 */
const { values } = parseArgs({ options: { orders: { type: "string" }, demo: { type: "boolean", default: false } } });
const historyOrders = values.orders === undefined ? undefined : Number(values.orders);
if (historyOrders !== undefined && (!Number.isInteger(historyOrders) || historyOrders < 0)) {
  console.error("--orders takes a whole number, e.g. --orders 100000");
  process.exit(2);
}
const e = env();
const started = Date.now();
if (e.DATABASE_URL && !isLocalDatabase(e.DATABASE_URL) && !values.demo) {
  console.error(`Refusing to seed the demo (accounts with the shared demo password) into ${new URL(e.DATABASE_URL).hostname}, which is not on this machine. For a shop, run \`npm run setup\`; for a demo there, add --demo.`);
  process.exit(2);
}
const conn = e.DATABASE_URL ? await openPostgres(e.DATABASE_URL, { max: 4, migrate: true }) : await openPglite(e.MAKELINE_DATA_DIR);
if (!values.demo && (await isSetUp(conn.db))) {
  await conn.close();
  console.error("Refusing to seed the demo into a database that `npm run setup` has set up for a shop. Add --demo if that is really what you want.");
  process.exit(2);
}
try {
  let shown = false;
  await seedDemo(conn.db, {
    historyOrders,
    // Two chunks at a time on a server: one inserts while the other plans.
    connections: conn.driver === "postgres" ? 2 : 1,
    progress: (done, total) => {
      shown = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\r  history orders: ${done}/${total} (${Math.floor((done / total) * 100)} %, ${seconds} s)`);
    },
    step: (what) => {
      if (shown) process.stdout.write("\n");
      shown = false;
      console.log(`  ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
  });
  if (shown) process.stdout.write("\n");
  console.log(`Seeded (${conn.driver}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await conn.close();
}
