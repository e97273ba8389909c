import { existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import type { Browser } from "@playwright/test";
import { DEMO_PASSWORD } from "@/lib/demo/accounts";

/** Saved sign-ins (cookies), one file per account; git-ignored and cleared by global-setup.ts. */
export const sessionDir = path.join(import.meta.dirname, ".auth");

const pending = new Map<string, Promise<string>>();

/**
 * The storage-state file of a signed-in session for `email`, made by signing in through the real
 * form the first time a worker asks for the account, then reused by every later test.
 */
export function sessionFile(browser: Browser, baseURL: string, email: string): Promise<string> {
  let file = pending.get(email);
  if (!file) {
    const saved = path.join(sessionDir, `${email}.json`);
    // Saved by another worker in this run (the folder is emptied at the start of each run).
    file = existsSync(saved) ? Promise.resolve(saved) : signIn(browser, baseURL, email);
    pending.set(email, file);
    file.catch(() => pending.delete(email));
  }
  return file;
}

async function signIn(browser: Browser, baseURL: string, email: string): Promise<string> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    mkdirSync(sessionDir, { recursive: true });
    const file = path.join(sessionDir, `${email}.json`);
    // Another worker may be writing the same account's file: write aside, then swap in whole.
    const tmp = `${file}.${process.pid}.tmp`;
    await context.storageState({ path: tmp });
    renameSync(tmp, file);
    return file;
  } finally {
    await context.close();
  }
}
