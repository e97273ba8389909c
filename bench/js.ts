import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, desc, eq } from "drizzle-orm";
import { openPglite } from "@/db/client";
import { orders, stores } from "@/db/schema";
import { demoAccounts } from "@/lib/demo/accounts";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { stages } from "@/lib/workflow";
import { chromiumJs, jsFloor, sessionCookie, startServer, stopServer } from "./server";

/**
 * `npm run bench:js` (needs `npm run build` first): the JS each page loads in Chromium, next to
 * the framework's floor (a hello-world page of the same Next version), in about a minute: a fresh
 * demo database (1,000 history orders), every page as a role that opens it, and the order page
 * in each stage as that stage's owner (each sees its own forms), and a draft as dispatch. The goal (issue 17): every page
 * within 15 kB of the floor. `npm run bench` measures the same at 100k orders with its HTTP cases.
 * With `-- --scripts`, each page's scripts too, largest first, and on how many pages each is.
 */

const dir = mkdtempSync(path.join(tmpdir(), "makeline-bench-js-"));
const conn = await openPglite(dir);
const secret = randomBytes(32).toString("base64");
try {
  await seedDemo(conn.db, { historyOrders: 1000 });
  const roleEmail = (role: string) => demoAccounts.find((a) => a.roles.includes(role as never))!.email;
  const cookieOf = async (email: string) => sessionCookie(await demoActor(conn.db, email), secret, conn);
  const cases: { name: string; path: string; as: string; cookie: string }[] = [];
  const add = async (name: string, p: string, email: string) => cases.push({ name, path: p, as: email.split("@")[0], cookie: await cookieOf(email) });
  for (const stage of stages) {
    const [order] = await conn.db.select({ id: orders.id, storeId: orders.storeId }).from(orders).where(and(eq(orders.stage, stage.key), eq(orders.state, "active"))).orderBy(asc(orders.id)).limit(1);
    if (!order) continue;
    const email = stage.owner === "storeManager" ? await demoOwnerOfStore(order.storeId) : roleEmail(stage.owner);
    await add(`/orders/[id] in ${stage.name}`, `/orders/${order.id}`, email);
  }
  const [any] = await conn.db.select({ id: orders.id }).from(orders).orderBy(asc(orders.id)).limit(1);
  // A draft as dispatch, who reads it before it is sent: the order `npm run bench` opens (the newest active one) is often one.
  const [draft] = await conn.db.select({ id: orders.id }).from(orders).where(and(eq(orders.stage, stages[0].key), eq(orders.state, "active"))).orderBy(desc(orders.id)).limit(1);
  const dispatch = roleEmail("dispatchTeam");
  const ops = roleEmail("ops");
  const admin = roleEmail("admin");
  for (const [name, p, email] of [
    ["/orders/[id] in Store Order", `/orders/${draft.id}`, dispatch],
    ["/orders", "/orders", dispatch],
    ["/orders/new", "/orders/new", roleEmail("storeManager")],
    ["/work", "/work", dispatch],
    ["/board", "/board", dispatch],
    ["/inbox", "/inbox", dispatch],
    ["/capacity", "/capacity", dispatch],
    ["/orders/[id]/traveller", `/orders/${any.id}/traveller`, dispatch],
    ["/account", "/account", dispatch],
    ["/kpi", "/kpi", ops],
    ["/kpi/exports", "/kpi/exports", ops],
    ["/admin/rules", "/admin/rules", admin],
    ["/admin/users", "/admin/users", admin],
    ["/admin/users/new", "/admin/users/new", admin],
    ["/admin/stores", "/admin/stores", admin],
    ["/admin/calendars", "/admin/calendars", admin],
    ["/admin/capacity", "/admin/capacity", admin],
    ["/admin/fail-reasons", "/admin/fail-reasons", admin],
    ["/admin/api-keys", "/admin/api-keys", admin],
    ["/admin/webhooks", "/admin/webhooks", admin],
    ["/admin/audit", "/admin/audit", admin],
  ] as const) await add(name, p, email);
  await conn.close();

  const floor = await jsFloor();
  console.log(`# JS in Chromium, gzip (floor: a hello-world page of the same Next, ${floor.chromium?.toFixed(1) ?? "?"} kB)\n`);
  const { child, base } = await startServer({ MAKELINE_DATA_DIR: dir, MAKELINE_ALLOW_DEMO: "1" }, secret);
  try {
    const scripts: Map<string, number>[] = [];
    const sizes = await chromiumJs(base, cases, scripts);
    console.log("| page | as | JS | over the floor |\n|---|---|---:|---:|");
    for (const [i, c] of cases.entries()) {
      const kb = sizes[i];
      const over = kb === null || floor.chromium === null ? "" : `+${(kb - floor.chromium).toFixed(1)} kB${kb - floor.chromium > 15 ? " (goal ≤ +15)" : ""}`;
      console.log(`| ${c.name} | ${c.as} | ${kb?.toFixed(1) ?? "?"} kB | ${over} |`);
    }
    if (process.argv.includes("--scripts")) {
      // Each page's scripts, largest first, with the pages that load them: where the bytes are.
      for (const [i, c] of cases.entries()) {
        console.log(`\n${c.name} (as ${c.as}):`);
        for (const [url, bytes] of [...scripts[i]].sort((a, b) => b[1] - a[1])) console.log(`  ${(bytes / 1024).toFixed(1).padStart(5)} kB  ${new URL(url).pathname}  (on ${scripts.filter((s) => s.has(url)).length} of ${cases.length} pages)`);
      }
    }
  } finally {
    await stopServer(child);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function demoOwnerOfStore(storeId: number) {
  const [store] = await conn.db.select({ key: stores.code }).from(stores).where(eq(stores.id, storeId));
  return demoAccounts.find((a) => a.store === store?.key)?.email ?? demoAccounts.find((a) => a.roles.includes("storeManager"))!.email;
}
