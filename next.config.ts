import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The browser tests build into their own folder, so they never replace the build that another
  // `next build` / `next start` in this checkout is using.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // The migrations are read at run time by the embedded database's migrator.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  experimental: { serverActions: { bodySizeLimit: "12mb" } },
  // `tsc --noEmit` and eslint run in CI on their own.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

export default nextConfig;
