import { connection } from "@/db/client";
import { startAutomationLoop } from "./loop";
import { runAutomations } from "./runner";

/**
 * `npm run automations` runs one pass (time rules, then due emails) on DATABASE_URL or the
 * embedded database; `npm run automations -- --every 60` keeps running one a minute.
 * Do not point it at the embedded database while `npm run dev` has it open: PGlite is
 * single-process, and the dev server runs these passes itself.
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
  const pass = async () => {
    const summary = await runAutomations({ db: conn.db });
    console.log(`${new Date().toISOString()} ${JSON.stringify(summary)}`);
  };
  if (every === null) {
    await pass();
    await conn.close();
    return;
  }
  console.log(`Running the automation pass every ${every} s (Ctrl+C to stop).`);
  const loop = startAutomationLoop(every, pass);
  const keepAlive = setInterval(() => {}, 1 << 30);
  const stop = async () => {
    clearInterval(keepAlive);
    await loop.stop();
    await conn.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
