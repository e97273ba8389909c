/**
 * `npm run test:cluster`: two app servers on one PostgreSQL behave as one, following
 * docs/deploying.md's self-hosted path. Needs DATABASE_URL (a PostgreSQL server it may create a
 * database on) and a production build in .next/e2e (`npm run test:e2e` makes one; CLUSTER_BUILD=1
 * builds it here). On a fresh database it:
 *
 * 1. starts a production server without APP_URL and sees it refuse in one line;
 * 2. runs `npm run release` twice at once (the migration lock) and `npm run setup`;
 * 3. starts two servers, one with `next start`, one from the standalone output
 *    (`node server.js`), behind a small round-robin proxy, with a fake Resend and an OTLP
 *    receiver on 127.0.0.1;
 * 4. checks that a sign-out through one ends the session on the other, that sign-in failures
 *    count across both, that 10 concurrent automation passes split across both fire and send each
 *    alert exactly once, and that traces reach the OTLP receiver;
 * 5. kills one server with SIGKILL in the middle of a pass and checks that no alert reaches the
 *    provider twice.
 *
 * It prints one line per check and ends with "N passed, N failed".
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { type IncomingMessage, type Server, createServer, request as httpRequest } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Connection, openPostgres, rowsOf } from "@/db/client";
import { startFakeResend } from "../fake-resend";

const root = path.resolve(import.meta.dirname, "../..");
const distDir = ".next/e2e";
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const results: { name: string; ok: boolean; detail: string }[] = [];
const children: ChildProcess[] = [];
const tmp = mkdtempSync(path.join(tmpdir(), "makeline-cluster-"));

function check(name: string, ok: boolean, detail = "") {
  results.push({ name, ok, detail });
  console.log(`${ok ? "✓" : "✗"} ${name}${detail ? ` — ${detail}` : ""}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const npmRun = (script: string, args: string[], env: NodeJS.ProcessEnv) => run("npm", ["run", "--silent", script, "--", ...args], env);

type App = { name: string; url: string; child: ChildProcess; log: string };

function startApp(name: string, kind: "next start" | "standalone", env: NodeJS.ProcessEnv, port: number): App {
  const logFile = path.join(tmp, `${name}.log`);
  const log = openSync(logFile, "a");
  const standaloneDir = path.join(root, distDir, "standalone");
  const child =
    kind === "next start"
      ? spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: root, env, stdio: ["ignore", log, log], detached: true })
      : spawn(process.execPath, ["server.js"], { cwd: standaloneDir, env: { ...env, HOSTNAME: "127.0.0.1", PORT: String(port) }, stdio: ["ignore", log, log], detached: true });
  children.push(child);
  return { name, url: `http://127.0.0.1:${port}`, child, log: logFile };
}

async function waitReady(app: App, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`${app.name} exited with ${app.child.exitCode}:\n${readFileSync(app.log, "utf8").slice(-3000)}`);
    try {
      if ((await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(10_000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${app.name} was not ready within ${timeoutMs / 1000} s`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // gone
  }
}

/** A reverse proxy as an operator would put in front: round robin, adding X-Forwarded-For and -Proto. */
function roundRobin(port: number, targets: string[]): Promise<{ url: string; server: Server; counts: number[] }> {
  let next = 0;
  const counts = targets.map(() => 0);
  const server = createServer((req, res) => {
    const i = next++ % targets.length;
    counts[i]++;
    const target = new URL(targets[i]);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1", "x-forwarded-proto": "http" },
      },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${port}`, server, counts })));
}

/** Between the servers and the fake Resend: answers as slowly as told (a provider having a slow minute). */
function slowable(target: string): Promise<{ url: string; server: Server; delayMs: { value: number } }> {
  const delayMs = { value: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const t = new URL(target);
        const upstream = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on("error", () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      }, delayMs.value);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, delayMs })));
}

/** An OTLP/HTTP receiver that only counts what it is sent. */
function otlpReceiver(): Promise<{ url: string; server: Server; traces: () => number }> {
  let traces = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url?.startsWith("/v1/traces")) traces++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, traces: () => traces })));
}

/** A browser's cookies for one site, enough for Auth.js's sign-in and sign-out. */
class Jar {
  cookies = new Map<string, string>();
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async fetch(url: string, init: RequestInit = {}) {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: this.header() } });
    this.take(res);
    return res;
  }
}

async function signIn(base: string, email: string, password: string): Promise<{ jar: Jar; ok: boolean; location: string }> {
  const jar = new Jar();
  const { csrfToken } = (await (await jar.fetch(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
  const res = await jar.fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/orders` }).toString(),
  });
  const location = res.headers.get("location") ?? "";
  return { jar, ok: [...jar.cookies.keys()].some((k) => k.includes("session-token")) && !location.includes("error"), location };
}

async function signOut(base: string, jar: Jar) {
  const { csrfToken } = (await (await jar.fetch(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
  return jar.fetch(`${base}/api/auth/signout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${base}/sign-in` }).toString(),
  });
}

/** Signed in on that server: /orders renders rather than sending to sign-in. */
async function signedIn(base: string, jar: Jar): Promise<boolean> {
  const res = await jar.fetch(`${base}/orders`);
  return res.status === 200;
}

async function overdueOrders(db: Connection["db"], storeId: number, n: number, tag: string) {
  const past = new Date(Date.now() - 3 * 86_400_000);
  const made = rowsOf<{ id: number }>(
    await db.execute(sql`insert into orders (store_id, stage, state, stage_entered_at, stage_due_at, fields, product_summary)
      select ${storeId}, 'inProduction', 'active', ${past.toISOString()}::timestamptz, ${past.toISOString()}::timestamptz + interval '1 hour', '{}'::jsonb, ${tag} || g
      from generate_series(1, ${n}) g returning id`),
  );
  await db.execute(sql`insert into stage_entries (order_id, stage, entered_at, due_at)
    select id, 'inProduction', stage_entered_at, stage_due_at from orders where product_summary like ${`${tag}%`}`);
  return made.map((m) => m.id);
}

async function productionPeople(db: Connection["db"], n: number, tag: string) {
  await db.execute(sql`insert into accounts (email, name, roles, password_hash)
    select ${tag} || '-' || g || '@shop.example', ${tag} || ' ' || g, array['productionTeam'], 'x' from generate_series(1, ${n}) g`);
}

/** Every email the provider accepted, by key, and every alert that reached it in two different emails. */
async function twice(db: Connection["db"], keys: Set<string>) {
  const rows = rowsOf<{ id: string; digest_id: string | null }>(await db.execute(sql`select id::text, digest_id::text from notifications`));
  return rows.filter((n) => keys.has(n.id) && n.digest_id !== null && keys.has(n.digest_id)).length;
}

async function drain(base: string, cronSecret: string, db: Connection["db"], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await fetch(`${base}/api/cron/automations`, { headers: { authorization: `Bearer ${cronSecret}` } });
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`select (select count(*) from notifications where email_status = 'pending') + (select count(*) from email_digests where email_status = 'pending') as n`),
    );
    if (Number(row.n) === 0 || Date.now() > deadline) return Number(row.n);
  }
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("npm run test:cluster needs DATABASE_URL (a PostgreSQL server)");
  if (process.env.CLUSTER_BUILD === "1" || !existsSync(path.join(root, distDir, "BUILD_ID"))) {
    console.log("cluster: building into .next/e2e");
    const built = await run(process.execPath, [nextBin, "build"], { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" });
    if (built.code !== 0) throw new Error(`next build failed:\n${built.stdout.slice(-3000)}${built.stderr.slice(-3000)}`);
  }
  // The standalone output needs the static files beside it (docs/deploying.md, "Self-hosted").
  const standalone = path.join(root, distDir, "standalone");
  cpSync(path.join(root, distDir, "static"), path.join(standalone, distDir, "static"), { recursive: true });
  if (existsSync(path.join(root, "public"))) cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });

  const dbName = `makeline_cluster_${randomBytes(4).toString("hex")}`;
  const admin = await openPostgres(serverUrl, { max: 1 });
  await admin.db.execute(sql.raw(`create database ${dbName}`));
  const url = Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString();
  const fake = await startFakeResend({ latencyMs: [20, 40] });
  const provider = await slowable(fake.url);
  const otlp = await otlpReceiver();
  let db: Connection | undefined;
  const proxies: Server[] = [otlp.server, provider.server];
  try {
    const cronSecret = randomBytes(24).toString("base64url");
    const [portA, portB] = [await freePort(), await freePort()];
    const proxyPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_DIST_DIR: distDir,
      DATABASE_URL: url,
      DATABASE_POOL_MAX: "5",
      AUTH_SECRET: randomBytes(32).toString("base64"),
      APP_URL: `http://127.0.0.1:${proxyPort}`,
      RESEND_API_KEY: "re_test_cluster",
      RESEND_BASE_URL: provider.url,
      CRON_SECRET: cronSecret,
      MAKELINE_TRUSTED_PROXY_HOPS: "1",
      LOG_LEVEL: "info",
    };
    for (const k of ["MAKELINE_DATA_DIR", "MAKELINE_ALLOW_DEMO", "MAKELINE_DEV_MAILBOX", "MAKELINE_EMBEDDED_DB", "OTEL_EXPORTER_OTLP_ENDPOINT"]) delete env[k];

    // 1. A production start without APP_URL refuses, in one line naming it.
    const noAppUrl = { ...env };
    delete noAppUrl.APP_URL;
    const refused = await run(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(await freePort())], noAppUrl);
    const lines = `${refused.stdout}\n${refused.stderr}`.split("\n").filter((l) => l.includes("Makeline cannot start"));
    check(
      "a production start without APP_URL refuses with one line naming it",
      refused.code === 1 && lines.length === 1 && /APP_URL is missing/.test(lines[0]) && !/AUTH_SECRET|DATABASE_URL|RESEND/.test(lines[0]),
      `exit ${refused.code} after ${(refused.ms / 1000).toFixed(1)} s: ${lines[0] ?? refused.stderr.slice(-300)}`,
    );

    // 2. Two releases at once apply each migration once; then setup, as docs/deploying.md says.
    const releases = await Promise.all([npmRun("release", [], env), npmRun("release", [], env)]);
    db = await openPostgres(url, { max: 4 });
    const [applied] = rowsOf<{ n: number; distinct: number }>(await db.db.execute(sql`select count(*)::int as n, count(distinct created_at)::int as distinct from drizzle.__drizzle_migrations`));
    const journal = (JSON.parse(readFileSync(path.join(root, "db/migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;
    check(
      "npm run release twice at once: both succeed, each migration applied once (pg_advisory_lock)",
      releases.every((r) => r.code === 0) && applied.n === journal && applied.distinct === journal,
      `${applied.n} rows for ${journal} migrations; ${releases.map((r) => r.stdout.trim().split("\n").pop()).join(" | ")}`,
    );
    const setup = await npmRun("setup", ["--admin-email", "owner@shop.example", "--time-zone", "Europe/Berlin", "--store", "North:Europe/Berlin", "--store", "South:Europe/Vienna"], env);
    const password = setup.stdout.match(/Password \(shown once[^:]*\): (\S+)/)?.[1] ?? "";
    check("npm run setup creates the administrator on the fresh database", setup.code === 0 && password.length === 19, setup.stdout.split("\n").slice(0, 3).join(" / ") + setup.stderr);

    // 3. Two servers behind the proxy.
    const a = startApp("A (next start)", "next start", { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url }, portA);
    const b = startApp("B (standalone)", "standalone", env, portB);
    await Promise.all([waitReady(a), waitReady(b)]);
    const lb = await roundRobin(proxyPort, [a.url, b.url]);
    proxies.push(lb.server);
    const base = lb.url;

    // 4a. A sign-out through one server ends the session on the other.
    const session = await signIn(base, "owner@shop.example", password);
    const before = [await signedIn(a.url, session.jar), await signedIn(b.url, session.jar)];
    // The browser drops its cookie at sign-out; a copy kept from before must be refused by both servers.
    const stale = new Jar();
    stale.cookies = new Map(session.jar.cookies);
    await signOut(a.url, session.jar);
    check(
      "a sign-out through one server ends the session on the other",
      session.ok && before.every(Boolean) && !(await signedIn(b.url, stale)) && !(await signedIn(a.url, stale)),
      `signed in on both ${before.join("/")}; after signing out on A, B answers ${(await stale.fetch(`${b.url}/orders`)).status}`,
    );

    // 4b. Sign-in failures count across both servers: five wrong passwords, through A and B in turn, lock the email.
    for (let i = 0; i < 5; i++) await signIn(i % 2 ? b.url : a.url, "owner@shop.example", `wrong-password-${i}`);
    const locked = await signIn(b.url, "owner@shop.example", password);
    const [lockRow] = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from audit_log where kind = 'signInLocked'`));
    check("sign-in failures count across both servers (5 wrong, alternating, lock the email on both)", !locked.ok && lockRow.n === 1, `right password after the lock: ${locked.ok ? "signed in" : "refused"}`);
    await db.db.execute(sql`delete from sign_in_throttle`);

    // 4c. Ten concurrent automation passes, split across both servers, fire and send each alert once.
    // 20 overdue orders in production: the card's escalation and "Stage overdue" both fire (40
    // firings), and each of the 12 production people is told once per order (decision 024): 240.
    const [{ id: storeId }] = rowsOf<{ id: number }>(await db.db.execute(sql`select id from stores order by id limit 1`));
    await productionPeople(db.db, 12, "prod");
    await overdueOrders(db.db, storeId, 20, "Cluster overdue ");
    fake.reset();
    const passes = await Promise.all(
      Array.from({ length: 10 }, async () => (await fetch(`${base}/api/cron/automations`, { headers: { authorization: `Bearer ${cronSecret}` } })).json() as Promise<{ fired: number; notified: number }>),
    );
    const left = await drain(base, cronSecret, db.db);
    // The alerts about orders: the administrators' alert about the sign-in attack above (an
    // account alert, decision 016) goes out in these passes too, under its own key.
    const accountAlerts = new Set(rowsOf<{ id: string }>(await db.db.execute(sql`select id::text as id from notifications where about_account_id is not null`)).map((r) => r.id));
    const keys = new Set(fake.requests.map((r) => r.idempotencyKey!).filter((k) => !accountAlerts.has(k)));
    const [counts] = rowsOf<{ firings: number; notes: number; sent: number; singles: number; digests: number }>(
      await db.db.execute(sql`select (select count(*)::int from rule_firings) as firings, (select count(*)::int from notifications where order_id is not null) as notes,
        (select count(*)::int from notifications where order_id is not null and email_status = 'sent') as sent,
        (select count(*)::int from notifications where order_id is not null and email_status = 'sent' and digest_id is null) as singles,
        (select count(*)::int from email_digests where email_status = 'sent') as digests`),
    );
    const fired = passes.reduce((n, p) => n + p.fired, 0);
    check(
      "10 concurrent automation passes across both servers fire and send each alert exactly once",
      fired === 40 && counts.firings === 40 && counts.notes === 240 && counts.sent === 240 && left === 0 && keys.size === counts.singles + counts.digests && fake.stats.duplicates === 0 && (await twice(db.db, keys)) === 0,
      `fired ${fired} (${counts.firings} firings), ${counts.notes} alerts, ${counts.sent} sent in ${keys.size} emails (${counts.singles} single, ${counts.digests} grouped); proxy split ${lb.counts.join("/")}; keys repeated at the provider ${fake.stats.duplicates}`,
    );

    // 4d. Traces reach the OTLP receiver (server A has OTEL_EXPORTER_OTLP_ENDPOINT).
    const traceDeadline = Date.now() + 20_000;
    while (otlp.traces() === 0 && Date.now() < traceDeadline) {
      await fetch(`${a.url}/api/health`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    check("OpenTelemetry traces reach the OTLP endpoint when OTEL_EXPORTER_OTLP_ENDPOINT is set", otlp.traces() > 0, `${otlp.traces()} export(s)`);
    const jsonLines = readFileSync(a.log, "utf8").split("\n").filter((l) => l.startsWith("{"));
    const cronLine = jsonLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.where === "cron");
    check("the server logs JSON lines with a level (the cron pass among them)", Boolean(cronLine && cronLine.level === "info" && cronLine.time), JSON.stringify(cronLine ?? {}).slice(0, 160));

    // 5. kill -9 of one server in the middle of a pass: no alert reaches the provider twice.
    await db.db.execute(sql`update notifications set read_at = now()`);
    await productionPeople(db.db, 60, "kill");
    await db.db.execute(sql`update accounts set active = false where email like 'prod-%'`);
    fake.reset();
    // A slow provider makes the pass on A long enough to be killed in the middle: 120 alerts, 2 a person, each its own email.
    provider.delayMs.value = 300;
    await overdueOrders(db.db, storeId, 1, "Kill overdue ");
    const passOnA = fetch(`${a.url}/api/cron/automations`, { headers: { authorization: `Bearer ${cronSecret}` } }).catch(() => null);
    const killDeadline = Date.now() + 60_000;
    while (fake.requests.length < 20 && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 5));
    killGroup(a.child, "SIGKILL");
    await passOnA;
    const sentBeforeKill = fake.requests.length;
    // A new overdue order gives everyone more alerts; the lease of what A had claimed runs out (as 5 minutes would).
    await overdueOrders(db.db, storeId, 1, "After the kill ");
    await db.db.execute(sql`update notifications set email_locked_until = null where email_locked_until is not null`);
    await db.db.execute(sql`update email_digests set email_locked_until = null where email_locked_until is not null`);
    provider.delayMs.value = 0;
    const leftAfter = await drain(b.url, cronSecret, db.db);
    const keysAfter = new Set(fake.requests.map((r) => r.idempotencyKey!));
    const doubled = await twice(db.db, keysAfter);
    check(
      "kill -9 of one server in the middle of a pass: no alert reaches the provider twice",
      doubled === 0 && leftAfter === 0,
      `${sentBeforeKill} emails sent by A before the kill; after B drained: ${keysAfter.size} emails, ${doubled} alert(s) delivered in two emails, ${leftAfter} pending`,
    );
  } finally {
    for (const c of children) killGroup(c, "SIGKILL");
    for (const p of proxies) p.close();
    await fake.close();
    await db?.close();
    await admin.db.execute(sql.raw(`drop database if exists ${dbName} with (force)`));
    await admin.close();
  }
}

const started = Date.now();
let failedToRun: unknown = null;
try {
  await main();
} catch (error) {
  failedToRun = error;
  console.error(`cluster: ${error instanceof Error ? error.stack : error}`);
}
rmSync(tmp, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok).length + (failedToRun ? 1 : 0);
console.log(`\ncluster suite in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${results.length - results.filter((r) => !r.ok).length} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
