import type { NextConfig } from "next";
import { uploadLimitsFrom } from "./lib/env";

// The largest request body: the upload limits plus room for the rest of the form
// (MAKELINE_MAX_UPLOAD_MB, MAKELINE_MAX_FILE_MB; see lib/env.ts and the README).
const { bodyBytes } = uploadLimitsFrom(process.env);

const nextConfig: NextConfig = {
  // The browser tests build into their own folder, so they never replace the build that another
  // `next build` / `next start` in this checkout is using.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // The migrations are read at run time by the embedded database's migrator.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  // Server actions and the proxy take bodies up to the upload limit; the proxy refuses larger
  // ones with the app's own message before either reads them (proxy.ts).
  experimental: { serverActions: { bodySizeLimit: bodyBytes }, proxyClientMaxBodySize: bodyBytes },
  // `tsc --noEmit` and eslint run in CI on their own.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Self-hosting: `.next/standalone/server.js` with only the files it needs (docs/deploying.md).
  output: "standalone",
};

export default nextConfig;
