import { createHash } from "node:crypto";
import { z } from "zod";

const megabytes = (name: string) =>
  z.coerce.number({ error: `${name} must be a number of megabytes` }).positive(`${name} must be more than 0`).max(1024, `${name} must be at most 1024`);

/** The upload limits' variables: next.config.ts reads them too, for the request-body limit. */
const uploadEnvSchema = z.object({
  MAKELINE_MAX_FILE_MB: megabytes("MAKELINE_MAX_FILE_MB").default(100),
  MAKELINE_MAX_UPLOAD_MB: megabytes("MAKELINE_MAX_UPLOAD_MB").default(4),
});

const wholeNumber = (name: string, min: number, max: number) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`).min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`);
const flag = z.enum(["0", "1"]);

/**
 * Running it for a shop (docs/deploying.md): the database client, the chosen-on-purpose
 * switches that production checks (productionProblems), logs, traces and retention.
 */
const operationsEnv = {
  /** A direct (session) connection for `npm run release`, when DATABASE_URL goes through a transaction pooler. */
  DATABASE_DIRECT_URL: z.url({ error: "DATABASE_DIRECT_URL must be a postgres:// URL" }).optional(),
  /** Connections each server process (or serverless instance) may open. */
  DATABASE_POOL_MAX: wholeNumber("DATABASE_POOL_MAX", 1, 200).default(10),
  /** 1 behind a transaction pooler (PgBouncer, Neon, Supabase): no prepared statements. */
  DATABASE_POOLER: flag.default("0"),
  DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber("DATABASE_STATEMENT_TIMEOUT_MS", 0, 3_600_000).default(30_000),
  DATABASE_CONNECT_TIMEOUT_S: wholeNumber("DATABASE_CONNECT_TIMEOUT_S", 1, 300).default(10),
  /** 1 runs production on the embedded database on purpose (a one-machine shop, the browser tests). */
  MAKELINE_EMBEDDED_DB: flag.default("0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: "OTEL_EXPORTER_OTLP_ENDPOINT must be a URL" }).optional(),
  OTEL_SERVICE_NAME: z.string().default("makeline"),
  MAKELINE_KEEP_READ_ALERTS_DAYS: wholeNumber("MAKELINE_KEEP_READ_ALERTS_DAYS", 1, 36_500).default(90),
  MAKELINE_KEEP_MAILBOX_DAYS: wholeNumber("MAKELINE_KEEP_MAILBOX_DAYS", 1, 36_500).default(30),
  MAKELINE_KEEP_FIRINGS_DAYS: wholeNumber("MAKELINE_KEEP_FIRINGS_DAYS", 1, 36_500).default(365),
  /** 1 runs the automation pass inside the production server every MAKELINE_AUTOMATIONS_EVERY s (the embedded database, which no second process may open). */
  MAKELINE_IN_PROCESS_AUTOMATIONS: flag.default("0"),
  /** Set by Vercel on its builds and functions. */
  VERCEL: z.string().optional(),
};

/** Every environment variable Makeline reads, validated in one place (documented in .env.example). */
const envSchema = uploadEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ error: "DATABASE_URL must be a postgres:// URL" }).optional(),
  MAKELINE_DATA_DIR: z.string().default(".data/pglite"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)").optional(),
  APP_URL: z.url().default("http://localhost:3000"),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string().default("Makeline <alerts@makeline.local>"),
  RESEND_RATE_PER_SECOND: z.coerce.number({ error: "RESEND_RATE_PER_SECOND must be a number of requests a second" }).positive("RESEND_RATE_PER_SECOND must be more than 0").max(1000).default(2),
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  MAKELINE_ALLOW_DEMO: z.enum(["0", "1"]).default("0"),
  MAKELINE_DEV_MAILBOX: z.enum(["0", "1"]).default("0"),
  MAKELINE_AUTOMATIONS_EVERY: z.coerce.number().int().min(0).default(60),
  /** Proxies in front of the app that append to X-Forwarded-For (0: none, the socket's address is the client's; 1 on Vercel). */
  MAKELINE_TRUSTED_PROXY_HOPS: z.coerce.number({ error: "MAKELINE_TRUSTED_PROXY_HOPS must be a whole number" }).int().min(0).max(10).default(0),
  /** Auth.js's own address; derived from APP_URL when unset (authUrl). */
  AUTH_URL: z.url().optional(),
  /** Requests a minute per API key, unless the key sets its own (decision 019). */
  MAKELINE_API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  /** 1: webhooks may go to private, loopback and link-local addresses (development, tests). */
  MAKELINE_WEBHOOKS_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  // KPI exports: larger than this many orders, a file prepared in the background; at most so many an hour per account.
  MAKELINE_EXPORT_DIRECT_ROWS: z.coerce.number().int().min(0).default(20_000),
  MAKELINE_EXPORTS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  // Files (lib/storage): S3-compatible object storage when S3_BUCKET is set, else a local folder.
  MAKELINE_FILES_DIR: z.string().optional(),
  S3_BUCKET: z.string().min(3, "S3_BUCKET must name a bucket").optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: z.url({ error: "S3_ENDPOINT must be a URL, e.g. https://<account>.r2.cloudflarestorage.com" }).optional(),
  S3_FORCE_PATH_STYLE: flag.default("0"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Live pages (decision 026): "stream" (SSE fed by LISTEN/NOTIFY), "poll" (short requests every few seconds), "off". Unset: poll on Vercel or behind a pooler, else stream. */
  MAKELINE_LIVE: z.enum(["stream", "poll", "off"]).optional(),
  ...operationsEnv,
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv): z.output<T> {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= parseEnv(envSchema, process.env);
  return cached;
}

/**
 * How live pages learn of changes (decision 026). A LISTEN needs a session of its own, which a
 * transaction pooler does not keep, and Vercel ends every response at the function's maximum
 * duration and bills the time a stream stays open: there, pages poll.
 */
export function liveMode(): "stream" | "poll" | "off" {
  const e = env();
  return e.MAKELINE_LIVE ?? (e.VERCEL || e.DATABASE_POOLER === "1" ? "poll" : "stream");
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

/**
 * Where Auth.js lives (its redirects and callback URLs are built from it): AUTH_URL, or APP_URL's
 * origin with /api/auth, never the Host a request happens to carry.
 */
export const authUrl = () => env().AUTH_URL ?? new URL("/api/auth", env().APP_URL).href;

/** Demo accounts with the shared demo password are allowed outside production, or when forced. */
export const demoAllowed = () => env().NODE_ENV !== "production" || env().MAKELINE_ALLOW_DEMO === "1";

const MB = 1024 * 1024;
/** Room in a request body for the form's other fields and the multipart framing around the files. */
const BODY_MARGIN_BYTES = 256 * 1024;

/**
 * What one upload may hold (lib/orders/uploads.ts checks it), and the request-body limit that
 * fits it. A file goes straight from the browser to storage (lib/storage) up to `directFileBytes`
 * (MAKELINE_MAX_FILE_MB, 100 MB by default). A form posted without JavaScript carries its files
 * in the request, up to `requestBytes` (MAKELINE_MAX_UPLOAD_MB, 4 MB by default, under the
 * ~4.5 MB a Vercel function accepts), each at most `fileBytes`: server actions refuse larger
 * bodies (next.config.ts) and so does the proxy, with the app's own answer.
 */
export const uploadLimits = () => limitsOf(env());

/** The same, for next.config.ts: read from these variables alone, whatever else the environment holds. */
export const uploadLimitsFrom = (source: NodeJS.ProcessEnv) => limitsOf(parseEnv(uploadEnvSchema, source));

function limitsOf(e: z.output<typeof uploadEnvSchema>) {
  const requestBytes = Math.floor(e.MAKELINE_MAX_UPLOAD_MB * MB);
  const directFileBytes = Math.floor(e.MAKELINE_MAX_FILE_MB * MB);
  const fileBytes = Math.min(directFileBytes, requestBytes);
  return { fileBytes, requestBytes, directFileBytes, files: 10, bodyBytes: requestBytes + BODY_MARGIN_BYTES };
}

/**
 * What keeps a production server from starting, one phrase per variable: checked once at boot
 * (instrumentation.ts) so a misconfigured deployment refuses at once instead of failing at the
 * first sign-in, sending every link to localhost or every email into the development mailbox.
 */
export function productionProblems(source: Record<string, string | undefined> = process.env): string[] {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const e = parsed.data;
  if (e.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (!e.AUTH_SECRET) problems.push("AUTH_SECRET is missing (openssl rand -base64 32)");
  if (!e.DATABASE_URL && e.MAKELINE_EMBEDDED_DB !== "1") problems.push("DATABASE_URL is missing (or MAKELINE_EMBEDDED_DB=1 for the embedded database on purpose)");
  if (!raw.APP_URL) problems.push("APP_URL is missing (the public address email links point to)");
  if (!e.RESEND_API_KEY && e.MAKELINE_DEV_MAILBOX !== "1") problems.push("RESEND_API_KEY is missing (or MAKELINE_DEV_MAILBOX=1 for the development mailbox on purpose)");
  if (e.VERCEL && !e.CRON_SECRET) problems.push("CRON_SECRET is missing (Vercel's cron calls the automation pass with it)");
  return problems;
}

/** The one line a refused start prints. */
export const productionProblemLine = (problems: string[]) => `Makeline cannot start: ${problems.join("; ")}. See .env.example and docs/deploying.md.`;

/** Production without an email provider and without the mailbox chosen on purpose. */
export const emailUnconfigured = () => !env().RESEND_API_KEY && env().NODE_ENV === "production" && env().MAKELINE_DEV_MAILBOX !== "1";
