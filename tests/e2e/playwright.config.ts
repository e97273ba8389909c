import { defineConfig } from "@playwright/test";

/**
 * Browser journeys against a running Makeline. `npm run test:e2e` (tests/e2e/run.ts) builds the
 * app, prepares a fresh database (tests/e2e/prepare-db.ts), starts the app on it and sets
 * E2E_BASE_URL and E2E_ORDERS_FILE; pointing them at another server runs the suite there, which
 * needs a database of its own made the same way before that server opened it.
 */
const baseURL = process.env.E2E_BASE_URL;
if (!baseURL) throw new Error("E2E_BASE_URL is not set: run the suite with `npm run test:e2e`");

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../../test-results/e2e",
  globalSetup: "./global-setup.ts",
  // Two workers keep both cores busy: one runs Chromium while the server answers the other.
  workers: 2,
  // Each test starts from orders of its own (prepared-orders.ts), so any test may run beside any other.
  fullyParallel: true,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "../../playwright-report" }]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "UTC",
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
