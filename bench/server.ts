import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import type { Actor } from "@/lib/workflow";

/** The app over HTTP for the benchmarks: `next start`, a session cookie, CPU time, the JS a page loads. */

/**
 * `next start` of the built app (or of `cwd`) on a random port, with what a production start
 * requires (lib/env.ts productionProblems) chosen on purpose for a benchmark; `env` adds or overrides,
 * `nodeArgs` go to Node (`--cpu-prof` to profile it).
 */
export async function startServer(env: Record<string, string>, secret: string, cwd = process.cwd(), nodeArgs: string[] = []): Promise<{ child: ChildProcess; base: string }> {
  const port = 4100 + Math.floor(Math.random() * 1600);
  const child = spawn(process.execPath, [...nodeArgs, path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd,
    env: {
      ...process.env,
      AUTH_SECRET: secret,
      NODE_ENV: "production",
      MAKELINE_AUTOMATIONS_EVERY: "0",
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: `http://127.0.0.1:${port}`,
      MAKELINE_EMBEDDED_DB: "1",
      MAKELINE_DEV_MAILBOX: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).status < 500) return { child, base };
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error(`next start did not come up:\n${log.slice(-2000)}`);
}

/** Stops a server and waits for it to exit (an embedded database stays locked until then). */
export async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill();
  await exited;
}

/** A signed-in session for `actor`, as Auth.js writes it, without going through the sign-in form. */
export async function sessionCookie(actor: Actor, secret: string, conn: Connection) {
  const [{ v }] = rowsOf<{ v: number }>(await conn.db.execute(sql`select session_version as v from accounts where id = ${actor.id}`));
  const name = "authjs.session-token";
  const token = await encode({ token: { accountId: String(actor.id), sessionVersion: v, signedInAt: Date.now(), sub: String(actor.id) }, secret, salt: name, maxAge: 3600 });
  return `${name}=${token}`;
}

/** CPU time (user + system, all threads) a process has used, in ms: /proc/<pid>/stat, 100 ticks a second. */
export function cpuMs(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The same for a process and its children (`next start` serves from a child process). */
export function treeCpuMs(pid: number) {
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {}
  return [pid, ...children].reduce((n, p) => n + cpuMs(p), 0);
}

/**
 * The gzipped size of every script the page's HTML loads. A `nomodule` script (Next's polyfills)
 * is counted apart: a browser that runs modules, every one Next supports, never downloads it.
 */
export async function jsBytes(base: string, html: string, cookie: string) {
  const tags = new Map([...html.matchAll(/<script[^>]+src="([^"]+)"[^>]*>/g)].map((m) => [m[1], /\snomodule[\s=>]/i.test(m[0])]));
  let gz = 0;
  let nomodule = 0;
  for (const [src, isNomodule] of tags) {
    const body = Buffer.from(await (await fetch(new URL(src, base), { headers: { cookie } })).arrayBuffer());
    if (isNomodule) nomodule += gzipSync(body).length;
    else gz += gzipSync(body).length;
  }
  return { scripts: tags.size, gzipKb: gz / 1024, nomoduleGzipKb: nomodule / 1024 };
}

/**
 * The JS a page really loads in Chromium (Debian's, as the browser tests use): every script
 * response until the network is idle, lazily loaded chunks included, each gzipped as the bench
 * gzips the HTML's scripts (`next start` sends them compressed). Null when Chromium is missing.
 * `scripts`, when given, gets each page's scripts (address → gzipped bytes).
 */
export async function chromiumJs(base: string, cases: { path: string; cookie: string }[], scripts?: Map<string, number>[]): Promise<(number | null)[]> {
  const executablePath = process.env.CHROME_PATH || "/usr/bin/chromium";
  if (!existsSync(executablePath)) return cases.map(() => null);
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const out: number[] = [];
    for (const c of cases) {
      const context = await browser.newContext();
      const [name, ...value] = c.cookie.split("=");
      if (c.cookie) await context.addCookies([{ name, value: value.join("="), url: base }]);
      const page = await context.newPage();
      const seen = new Map<string, number>();
      page.on("response", async (r) => {
        if (r.request().resourceType() !== "script" || seen.has(r.url())) return;
        seen.set(r.url(), 0);
        try {
          seen.set(r.url(), gzipSync(await r.body()).length);
        } catch {}
      });
      await page.goto(base + c.path, { waitUntil: "networkidle" });
      await page.waitForTimeout(500);
      out.push([...seen.values()].reduce((a, b) => a + b, 0) / 1024);
      scripts?.push(seen);
      await context.close();
    }
    return out;
  } finally {
    await browser.close();
  }
}

export type JsFloor = { tags: number; chromium: number | null };

/**
 * The framework's floor: the JS a hello-world page of this Next version loads, with nothing of
 * the app's. Built once into .data/js-floor (kept for the next run of the same version), measured
 * as the pages are. Its own instrumentation and proxy files keep Next from taking the app's.
 */
export async function jsFloor(): Promise<JsFloor> {
  const version = JSON.parse(readFileSync("node_modules/next/package.json", "utf8")).version as string;
  const dir = path.resolve(".data/js-floor");
  const files: Record<string, string> = {
    "package.json": '{ "private": true }\n',
    "next.config.mjs": "export default {};\n",
    "instrumentation.js": "export function register() {}\n",
    "proxy.js": 'import { NextResponse } from "next/server";\nexport function proxy() { return NextResponse.next(); }\n',
    "app/layout.jsx": 'export default function RootLayout({ children }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n',
    "app/page.jsx": "export default function Page() {\n  return <p>Hello, world</p>;\n}\n",
  };
  const stamp = path.join(dir, "built-with");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== version) {
    console.log(`  building the hello-world floor page with Next ${version} (.data/js-floor)`);
    mkdirSync(path.join(dir, "app"), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const build = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: "" }, stdio: "ignore" });
    const code = await new Promise<number | null>((resolve) => build.on("exit", resolve));
    if (code !== 0) throw new Error(`the floor page did not build (exit ${code}); run next build in ${dir} to see why`);
    writeFileSync(stamp, version);
  }
  const { child, base } = await startServer({}, "floor", dir);
  try {
    const html = await (await fetch(`${base}/`)).text();
    const [inChromium] = await chromiumJs(base, [{ path: "/", cookie: "" }]);
    return { tags: (await jsBytes(base, html, "")).gzipKb, chromium: inChromium };
  } finally {
    await stopServer(child);
  }
}
