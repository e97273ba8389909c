import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests are server-side code: the marker resolves to its empty module, as in React's server build.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    // *.server.test.ts prove concurrency, which needs a PostgreSQL server (PGlite is one
    // connection): they run when DATABASE_URL is set and are left out, not skipped, otherwise.
    exclude: ["node_modules/**", ".next/**", "tests/e2e/**", ...(process.env.DATABASE_URL ? [] : ["**/*.server.test.ts"])],
    // Migrates once for the run; each database test file then copies the result.
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default (one worker fewer than CPUs) is one worker on a 2-core machine. Files wait
    // on the database server or on real sleeps as well as computing, so one more worker than CPUs
    // keeps them busy; the main process only hands out work.
    maxWorkers: availableParallelism() + 1,
    env: { NODE_ENV: "test", MAKELINE_AUTOMATIONS_EVERY: "0" },
  },
});
