import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // The migrations are read at run time by the embedded database's migrator.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  experimental: { serverActions: { bodySizeLimit: "12mb" } },
  // `tsc --noEmit` and eslint run in CI on their own.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

export default nextConfig;
