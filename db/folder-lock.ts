import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * The embedded database is one process's: PGlite has no lock of its own, and a second process
 * writing the same folder loses acknowledged writes. The first opener writes a lock file beside
 * the folder (`<dir>.lock`: its process id and host); a second opener fails at once, naming the
 * holder. A lock left by a process that is gone (kill -9, a crash) on this host is taken over.
 */
export class DataDirLocked extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `The embedded database in ${dataDir} is in use by another process (${holder}). PGlite allows one process at a time: stop it first, ` +
        "or use PostgreSQL (DATABASE_URL) to run the automation pass or other commands beside the server.",
    );
    this.name = "DataDirLocked";
  }
}

export function lockFileOf(dataDir: string) {
  return `${path.resolve(dataDir)}.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const held = new Map<string, number>();

export function lockDataDir(dataDir: string): { release: () => void } {
  const file = lockFileOf(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  // The same process opening the folder again (a test, a reopened client) shares its lock.
  if (held.has(file)) {
    held.set(file, held.get(file)! + 1);
    return { release: () => releaseOnce(file) };
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      closeSync(fd);
      held.set(file, 1);
      return { release: () => releaseOnce(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder: { pid?: number; host?: string } = {};
    try {
      holder = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      // Half-written by a process that died while writing it: stale.
    }
    const sameHost = !holder.host || holder.host === hostname();
    if (holder.pid && (!sameHost || alive(holder.pid))) throw new DataDirLocked(dataDir, `process ${holder.pid} on ${holder.host ?? "this host"}`);
    rmSync(file, { force: true });
  }
  throw new DataDirLocked(dataDir, "another process took it over just now");
}

function releaseOnce(file: string) {
  const n = held.get(file);
  if (n === undefined) return;
  if (n > 1) return void held.set(file, n - 1);
  held.delete(file);
  rmSync(file, { force: true });
}

// A normal exit leaves no lock behind (a kill -9 does; the next opener takes it over).
process.once("exit", () => {
  for (const file of held.keys()) rmSync(file, { force: true });
});
