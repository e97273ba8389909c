import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";

/**
 * Lighthouse 12 (the default mobile profile: a mid-range phone, simulated slow 4G, 4× CPU
 * slowdown), performance category only, on pages of a running `next start`, signed in by the
 * session cookie sent with every request. Each page is measured `runs` times in a fresh headless
 * Chromium and the run with the median score is kept, because the score moves with the machine's
 * load. Used by `npm run bench -- --lighthouse`; Chromium from CHROME_PATH (default
 * /usr/bin/chromium).
 */

export type LighthouseRow = { name: string; path: string; score: number; lcpMs: number; tbtMs: number; fcpMs: number; cls: number; scores: number[] };

async function launchChromium(): Promise<{ child: ChildProcess; port: number; profile: string }> {
  const profile = mkdtempSync(path.join(tmpdir(), "makeline-lighthouse-"));
  const child = spawn(
    process.env.CHROME_PATH || "/usr/bin/chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "--no-first-run", "about:blank"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err.slice(-1000)}`)), 30_000);
    child.stderr?.on("data", (d) => {
      err += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`Chromium exited (${code}):\n${err.slice(-1000)}`)));
  });
  return { child, port, profile };
}

async function once(url: string, cookie: string) {
  const chrome = await launchChromium();
  try {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"], extraHeaders: { Cookie: cookie } });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
    if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    return {
      score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      lcpMs: audit("largest-contentful-paint"),
      tbtMs: audit("total-blocking-time"),
      fcpMs: audit("first-contentful-paint"),
      cls: audit("cumulative-layout-shift"),
      finalUrl: lhr.finalDisplayedUrl,
    };
  } finally {
    chrome.child.kill();
    await new Promise((r) => setTimeout(r, 300));
    rmSync(chrome.profile, { recursive: true, force: true });
  }
}

export async function measureLighthouse(base: string, cookie: string, pages: [string, string][], runs = 3): Promise<LighthouseRow[]> {
  const out: LighthouseRow[] = [];
  for (const [name, p] of pages) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const s = await once(base + p, cookie);
      // A redirect to sign-in would measure the wrong page.
      if (new URL(s.finalUrl).pathname !== new URL(base + p).pathname) throw new Error(`Lighthouse on ${p} ended at ${s.finalUrl}`);
      samples.push(s);
    }
    const sorted = [...samples].sort((a, b) => a.score - b.score);
    const median = sorted[Math.floor(sorted.length / 2)];
    const row = { name, path: p, score: median.score, lcpMs: median.lcpMs, tbtMs: median.tbtMs, fcpMs: median.fcpMs, cls: median.cls, scores: samples.map((s) => s.score) };
    console.log(`  lighthouse · ${name}: ${row.score} (runs ${row.scores.join(", ")}), LCP ${(row.lcpMs / 1000).toFixed(2)} s, TBT ${row.tbtMs.toFixed(0)} ms, FCP ${(row.fcpMs / 1000).toFixed(2)} s, CLS ${row.cls.toFixed(3)}`);
    out.push(row);
  }
  return out;
}
