import { createHash } from "node:crypto";
import { z } from "zod";

/** Every environment variable Makeline reads, validated in one place (documented in .env.example). */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ error: "DATABASE_URL must be a postgres:// URL" }).optional(),
  MAKELINE_DATA_DIR: z.string().default(".data/pglite"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)").optional(),
  APP_URL: z.url().default("http://localhost:3000"),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string().default("Makeline <alerts@makeline.local>"),
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  MAKELINE_ALLOW_DEMO: z.enum(["0", "1"]).default("0"),
  MAKELINE_DEV_MAILBOX: z.enum(["0", "1"]).default("0"),
  MAKELINE_AUTOMATIONS_EVERY: z.coerce.number().int().min(0).default(60),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** The embedded PGlite demo database is in use (no DATABASE_URL). */
export const usesEmbeddedDb = () => !env().DATABASE_URL;

/**
 * The secret that signs sessions. Outside production a stable one is derived from the project
 * folder, so the demo runs without a .env file; production must set AUTH_SECRET.
 */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production" && e.MAKELINE_ALLOW_DEMO !== "1") {
    throw new Error("AUTH_SECRET is required in production: generate one with `openssl rand -base64 32`");
  }
  return createHash("sha256").update(`makeline-dev-secret:${process.cwd()}`).digest("base64");
}

/** Demo accounts with the shared demo password are allowed outside production, or when forced. */
export const demoAllowed = () => env().NODE_ENV !== "production" || env().MAKELINE_ALLOW_DEMO === "1";
