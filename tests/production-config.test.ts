import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { Connection } from "@/db/client";
import { accounts, devMailbox, notifications, orders, stores } from "@/db/schema";
import { deliverPendingEmails } from "@/lib/email/outbox";
import { seedBase } from "@/lib/demo/seed";
import { testDatabase } from "./database";

/** lib/env.ts reads the environment once per process; a fresh module graph reads it anew. */
async function withEnv(vars: Record<string, string>) {
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
  vi.resetModules();
  return {
    env: await import("@/lib/env"),
    send: await import("@/lib/email/send"),
  };
}
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const complete = {
  NODE_ENV: "production",
  AUTH_SECRET: "s".repeat(44),
  DATABASE_URL: "postgres://makeline@db.internal:5432/makeline",
  APP_URL: "https://makeline.shop.example",
  RESEND_API_KEY: "re_live_key",
};
const without = (...names: string[]) => Object.fromEntries(Object.entries(complete).filter(([k]) => !names.includes(k)));

describe("a production start checks its configuration once, and names every problem in one line", () => {
  test("complete: nothing to say", async () => {
    const { env } = await withEnv({});
    expect(env.productionProblems(complete)).toEqual([]);
  });

  test("each missing variable is named; the embedded database and the mailbox count only when chosen on purpose", async () => {
    const { env } = await withEnv({});
    const problems = env.productionProblems({ NODE_ENV: "production" });
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["AUTH_SECRET", "DATABASE_URL", "APP_URL", "RESEND_API_KEY"]);
    const line = env.productionProblemLine(env.productionProblems(without("APP_URL")));
    expect(line).toBe("Makeline cannot start: APP_URL is missing (the public address email links point to). See .env.example and docs/deploying.md.");
    expect(line).not.toContain("\n");
    expect(env.productionProblems({ ...without("DATABASE_URL", "RESEND_API_KEY"), MAKELINE_EMBEDDED_DB: "1", MAKELINE_DEV_MAILBOX: "1" })).toEqual([]);
  });

  test("on Vercel, CRON_SECRET too; invalid values are named as such; outside production nothing is required", async () => {
    const { env } = await withEnv({});
    expect(env.productionProblems({ ...complete, VERCEL: "1" })).toEqual([expect.stringMatching(/^CRON_SECRET is missing/)]);
    expect(env.productionProblems({ ...complete, AUTH_SECRET: "short" })).toEqual([expect.stringMatching(/^AUTH_SECRET: .*at least 32/)]);
    expect(env.productionProblems({ ...complete, DATABASE_POOL_MAX: "lots" })).toEqual([expect.stringMatching(/^DATABASE_POOL_MAX: .*whole number/)]);
    expect(env.productionProblems({})).toEqual([]);
  });
});

describe("email never falls silently into the development mailbox", () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await testDatabase();
    await seedBase(conn.db);
  });
  afterAll(() => conn.close());

  test("production without a provider: the email is not 'sent', its last error says why, the mailbox stays empty", async () => {
    const [store] = await conn.db.select({ id: stores.id }).from(stores).limit(1);
    const [o] = await conn.db
      .insert(orders)
      .values({ storeId: store.id, stage: "inProduction", state: "active", stageEnteredAt: new Date(), stageDueAt: new Date(Date.now() + 3_600_000), fields: {}, productSummary: "No provider" })
      .returning({ id: orders.id });
    const [admin] = await conn.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, "admin@example.com"));
    const [n] = await conn.db.insert(notifications).values({ accountId: admin.id, orderId: o.id, message: "Overdue", priority: "normal", emailNextAttemptAt: new Date(Date.now() - 1000) }).returning();

    const { send, env } = await withEnv({ NODE_ENV: "production", AUTH_SECRET: "s".repeat(44), APP_URL: "https://makeline.shop.example", RESEND_API_KEY: "", MAKELINE_DEV_MAILBOX: "0" });
    expect(env.emailUnconfigured()).toBe(true);
    // The mailer production picks; the environment goes back before the email is rendered
    // (React reads NODE_ENV when it renders).
    const mailer = send.defaultMailer(conn.db);
    expect(mailer.name).toBe("unconfigured");
    vi.unstubAllEnvs();
    const summary = await deliverPendingEmails(conn.db, { budgetMs: 5_000, mailer });
    expect(summary).toMatchObject({ sent: 0, retried: 1 });
    const [after] = await conn.db.select().from(notifications).where(eq(notifications.id, n.id));
    expect(after.emailStatus).toBe("pending");
    expect(after.emailLastError).toBe(send.NO_PROVIDER_MESSAGE);
    expect((await conn.db.select({ n: count() }).from(devMailbox))[0].n).toBe(0);
  });

  test("the rules page says why", async () => {
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { EmailUnconfiguredNotice } = await import("@/app/(app)/admin/rules/_components/email-unconfigured");
    const html = renderToStaticMarkup(EmailUnconfiguredNotice());
    expect(html).toContain('role="alert"');
    expect(html).toContain("Alert emails are not being sent. No email provider is configured: set RESEND_API_KEY");
  });
});
