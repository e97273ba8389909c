import { createHash } from "node:crypto";
import { z } from "zod";

const megabytes = (name: string) =>
  z.coerce.number({ error: `${name} must be a number of megabytes` }).positive(`${name} must be more than 0`).max(1024, `${name} must be at most 1024`);

/** The upload limits' variables: next.config.ts reads them too, for the request-body limit. */
const uploadEnvSchema = z.object({
  MAKELINE_MAX_FILE_MB: megabytes("MAKELINE_MAX_FILE_MB").default(100),
  MAKELINE_MAX_UPLOAD_MB: megabytes("MAKELINE_MAX_UPLOAD_MB").default(4),
});

const flag = z.enum(["0", "1"]);

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
