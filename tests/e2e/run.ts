/**
 * `npm run test:e2e`: builds the app while it prepares a fresh embedded database (the demo seed
 * and the orders each spec starts from: prepare-db.ts), starts `next start` on it on a free port,
 * runs the Playwright suite against it in Debian's Chromium, and always stops the server. The exit
 * code is Playwright's. Extra arguments go to `playwright test`
 * (e.g. `npm run test:e2e -- journeys/forbidden.spec.ts`).
 *
 * E2E_SKIP_BUILD=1 reuses the last e2e build (for iterating on the tests, not for CI).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startS3rver } from "../s3rver";

const root = path.resolve(import.meta.dirname, "../..");
// A folder of its own, so this build never replaces one that a dev server or another
// `next build` in the checkout is using (next.config.ts reads NEXT_DIST_DIR). tsconfig.json
// already lists its types folder, so the build has no reason to rewrite tsconfig.json.
const distDir = ".next/e2e";
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const playwrightCli = path.join(root, "node_modules/@playwright/test/cli.js");

const timings: [string, number][] = [];
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings.push([label, (performance.now() - start) / 1000]);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-server.pid!, signal); // the whole group: `next start` forks a worker
      } catch {
        // already gone
      }
    };
    const force = setTimeout(() => kill("SIGKILL"), 10_000);
    server.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    kill("SIGTERM");
  });
}

/** Builds into distDir unless E2E_SKIP_BUILD=1 finds a build there; the exit code of the build. */
async function build(baseEnv: NodeJS.ProcessEnv): Promise<number> {
  if (process.env.E2E_SKIP_BUILD === "1" && existsSync(path.join(root, distDir, "BUILD_ID"))) {
    console.log(`e2e: reusing the build in ${distDir}`);
    return 0;
  }
  // `next build` points next-env.d.ts at its own types folder; put back what the dev server wrote.
  const nextEnv = path.join(root, "next-env.d.ts");
  const before = existsSync(nextEnv) ? readFileSync(nextEnv, "utf8") : null;
  const code = await timed("build", () => run(process.execPath, [nextBin, "build"], { ...baseEnv, NODE_ENV: "production" }));
  if (before !== null) writeFileSync(nextEnv, before);
  if (code !== 0) console.error(`e2e: next build failed (exit ${code})`);
  return code;
}

async function main(): Promise<number> {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };

  const tmp = mkdtempSync(path.join(tmpdir(), "makeline-e2e-"));
  // Files go to a real S3-compatible server on 127.0.0.1 (s3rver), as they would to S3, R2 or MinIO.
  const s3 = await startS3rver("makeline-e2e");
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const cronSecret = randomBytes(24).toString("base64url");
  const dataDir = path.join(tmp, "pglite");
  const ordersFile = path.join(tmp, "orders.json");
  const serverEnv: NodeJS.ProcessEnv = {
    ...baseEnv,
    NODE_ENV: "production",
    MAKELINE_DATA_DIR: dataDir,
    MAKELINE_ALLOW_DEMO: "1",
    // Production on the embedded database, chosen on purpose (a production start refuses otherwise).
    MAKELINE_EMBEDDED_DB: "1",
    // The journeys read alert emails in the development mailbox, which production keeps off.
    MAKELINE_DEV_MAILBOX: "1",
    AUTH_SECRET: randomBytes(32).toString("base64"),
    APP_URL: baseURL,
    CRON_SECRET: cronSecret,
    PORT: String(port),
    // The webhook journey's receiver listens on 127.0.0.1 over http.
    MAKELINE_WEBHOOKS_ALLOW_PRIVATE: "1",
    // Exports of more than 200 orders are prepared in the background (journeys/exports.spec.ts).
    MAKELINE_EXPORT_DIRECT_ROWS: "200",
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: "us-east-1",
    S3_FORCE_PATH_STYLE: "1",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
  };
  // The suite runs against this database only; anything pointing elsewhere must not leak in.
  delete serverEnv.DATABASE_URL;
  delete serverEnv.RESEND_API_KEY;
  delete serverEnv.RESEND_BASE_URL;

  // The database (demo seed and each spec's orders, prepare-db.ts) is made while the app builds:
  // they share nothing, and the build leaves a core idle for part of its time.
  const [built, prepared] = await Promise.all([
    build(baseEnv),
    timed("database", () => run(process.execPath, ["--import", "tsx", "--import", "./lib/cli/register.mjs", "tests/e2e/prepare-db.ts", dataDir, ordersFile], serverEnv)),
  ]);
  if (built !== 0 || prepared !== 0) {
    await s3.close();
    if (prepared !== 0) console.error(`e2e: preparing the database failed (exit ${prepared}; data in ${tmp})`);
    if (prepared === 0 || process.env.CI) rmSync(tmp, { recursive: true, force: true });
    return built || prepared;
  }

  const logFile = path.join(tmp, "server.log");
  const log = openSync(logFile, "a");
  const server = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: serverEnv,
    stdio: ["ignore", log, log],
    detached: true,
  });
  const onSignal = () => void stop(server).then(() => s3.close()).then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let code = 1;
  try {
    // The first request opens the prepared database; migrating and seeding find nothing to do.
    await timed("start", () => waitForHealth(`${baseURL}/api/health`, server, 180_000));
    console.log(`e2e: app on ${baseURL} (data in ${tmp})`);
    code = await timed("suite", () =>
      run(process.execPath, [playwrightCli, "test", "-c", "tests/e2e/playwright.config.ts", ...process.argv.slice(2)], {
        ...baseEnv,
        E2E_BASE_URL: baseURL,
        E2E_CRON_SECRET: cronSecret,
        E2E_ORDERS_FILE: ordersFile,
        // For specs that check what a request writes to the server's log.
        E2E_SERVER_LOG: logFile,
        E2E_S3_ENDPOINT: s3.endpoint,
      }),
    );
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.message : error}`);
  } finally {
    await stop(server);
    await s3.close();
    if (code !== 0) {
      console.error(`\ne2e: server log (last 60 lines of ${logFile}):`);
      console.error(readFileSync(logFile, "utf8").split("\n").slice(-60).join("\n"));
    }
    if (code === 0 || process.env.CI) rmSync(tmp, { recursive: true, force: true });
  }
  return code;
}

const started = performance.now();
const code = await main();
timings.push(["total", (performance.now() - started) / 1000]);
console.log(`\ne2e timings: ${timings.map(([l, s]) => `${l} ${s.toFixed(1)} s`).join(" · ")}`);
process.exit(code);
