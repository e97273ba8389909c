import { connection } from "@/db/client";
import { DataDirLocked } from "@/db/folder-lock";
import { logger } from "@/lib/log";
import { startAutomationLoop } from "./loop";
import { runAutomations } from "./runner";

/**
 * `npm run automations` runs one pass (time rules, then due emails) on DATABASE_URL or the
 * embedded database; `npm run automations -- --every 60` keeps running one a minute.
 * On the embedded database it is refused while a server has it open (PGlite is one process's):
 * there the server runs the pass itself (MAKELINE_IN_PROCESS_AUTOMATIONS=1). SIGTERM or Ctrl+C
 * stops it within 10 s: nothing new is claimed, sends in flight end, claimed rows go back.
 */

function everySeconds(args: string[]): number | null {
  const i = args.findIndex((a) => a === "--every" || a.startsWith("--every="));
  if (i < 0) return null;
  const raw = args[i].includes("=") ? args[i].split("=")[1] : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error("--every takes a whole number of seconds, e.g. --every 60");
    process.exit(2);
  }
  return n;
}

async function main() {
  const every = everySeconds(process.argv.slice(2));
  const conn = await connection();
  const pass = async (signal?: AbortSignal) => {
    const summary = await runAutomations({ db: conn.db, signal });
    logger.info({ where: "automations", ...summary }, "automation pass");
  };
  if (every === null) {
    const stopping = new AbortController();
    const stop = () => stopping.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await pass(stopping.signal);
    await conn.close();
    return;
  }
  logger.info({ where: "automations", every }, `running the automation pass every ${every} s (Ctrl+C to stop)`);
  const loop = startAutomationLoop(every, pass);
  const keepAlive = setInterval(() => {}, 1 << 30);
  const stop = async () => {
    const asked = Date.now();
    clearInterval(keepAlive);
    await loop.stop();
    await Promise.race([conn.close(), new Promise((r) => setTimeout(r, 400).unref())]);
    logger.info({ where: "automations", stoppedInMs: Date.now() - asked }, "stopped");
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error instanceof DataDirLocked ? error.message : error);
  process.exit(1);
});
