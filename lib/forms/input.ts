import "./zod-setup";
import { z } from "zod";

/**
 * Untrusted input, normalised and bounded before any rule of a schema sees it. Every text, whole
 * number, id and date that a form or a URL hands the app goes through one of these, so a value
 * PostgreSQL would reject (a NUL byte, a broken surrogate, 2027-02-31, an id past int4) is a field
 * message here and never an error from the database.
 */

/** int4, the type of every id and version column. */
export const MAX_INT4 = 2_147_483_647;

// C0 controls but tab and newline, DEL and the C1 controls. Carriage returns are folded into
// newlines first: browsers submit a textarea's line breaks as CRLF.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

export const textMessages = {
  control: "Remove the invisible control characters from this text",
  broken: "This text holds broken characters: type it again",
};

// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make
// stored text read in another order than it was written ("Trojan Source"), so none is kept.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Line breaks as \n, composed Unicode (NFC), no bidi controls, no surrounding space; one line when `singleLine`. */
export function normalizeText(value: string, { singleLine = false } = {}): string {
  const s = value.replace(/\r\n?/g, "\n").replace(BIDI_CONTROLS, "").normalize("NFC");
  return (singleLine ? s.replace(/[\t\n]+/g, " ") : s).trim();
}

/** Why a normalised text cannot be stored, or null. */
export function textProblem(value: string): string | null {
  if (!value.isWellFormed()) return textMessages.broken;
  if (CONTROL.test(value)) return textMessages.control;
  return null;
}

type TextOptions = {
  max: number;
  min?: number;
  singleLine?: boolean;
  /** Messages for a value too short or too long (defaults name the bound). */
  tooShort?: string;
  tooLong?: string;
  /** A pattern the whole value must match, with its message. */
  pattern?: [RegExp, string];
  /** The message for a value that is not text at all (a file, a list). */
  notText?: string;
};

/**
 * Text from a person: normalised, free of control characters (tab and newline allowed in
 * multi-line text), then bounded. A value far past the bound is refused before any work on it.
 */
export function textSchema({ max, min = 0, singleLine = false, tooShort, tooLong, pattern, notText }: TextOptions) {
  const long = tooLong ?? `Keep it under ${max} characters`;
  let bounded = z
    .string()
    .min(min, tooShort ?? `Write at least ${min} characters`)
    .max(max, long);
  if (pattern) bounded = bounded.regex(pattern[0], pattern[1]);
  return z
    .string({ error: notText ?? "Enter text" })
    .max(max * 4 + 64, long)
    .transform((raw, ctx) => {
      const value = normalizeText(raw, { singleLine });
      const problem = textProblem(value);
      if (!problem) return value;
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    })
    .pipe(bounded);
}

/**
 * A whole number written in plain decimal digits ("42", " 7 ", "-3"), or a number that is one.
 * "1e3", "0x10", "5.0", "4 2" and "" are not.
 */
export function wholeNumberSchema({ min, max, label }: { min: number; max: number; label: string }) {
  const notWhole = `${label} must be a whole number`;
  return z.unknown().transform((raw, ctx): number => {
    let n = Number.NaN;
    if (typeof raw === "number") n = raw;
    else if (typeof raw === "string") {
      const m = /^\s*(-?)(\d+)\s*$/.exec(raw);
      // More digits than a safe integer holds is out of range, not a different number.
      if (m) n = m[2].length > 15 ? (m[1] ? -Infinity : Infinity) : Number(raw);
    }
    if (Number.isNaN(n) || (Number.isFinite(n) && !Number.isSafeInteger(n))) {
      ctx.addIssue({ code: "custom", message: notWhole });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({ code: "custom", message: n < min ? `${label} must be at least ${min}` : `${label} must be at most ${max}` });
      return z.NEVER;
    }
    return n === 0 ? 0 : n; // never -0
  });
}

/** "42": the one spelling of an id. Leading zeros, signs, exponents and hex are other strings. */
export function parseId(raw: unknown): number | null {
  if (typeof raw === "number") return Number.isSafeInteger(raw) && raw >= 1 && raw <= MAX_INT4 ? raw : null;
  if (typeof raw !== "string" || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_INT4 ? n : null;
}

/** A row id (int4 identity) in its one decimal spelling; `message` says what a bad one means to the form. */
export const idSchemaWith = (message: string) =>
  z.unknown().transform((raw, ctx): number => {
    const id = parseId(raw);
    if (id !== null) return id;
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  });

/** The version a form was loaded with (decision 003), spelt like an id; anything else is an altered form. */
export const versionSchema = idSchemaWith("This form is out of date: reload the page");

/** One value of a URL query parameter: the first when given twice. */
export const oneParam = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** A page number from the URL: 1 to `max`, and 1 for anything else. */
export const pageParam = (max = 100_000) => z.preprocess(oneParam, wholeNumberSchema({ min: 1, max, label: "Page" }).catch(1));

/** An optional id from the URL (a filter): undefined for anything that is not an id. */
export const idParam = z.preprocess(oneParam, z.unknown().transform((v) => parseId(v) ?? undefined)).optional();

/** One of `values` from the URL, or undefined for anything else. */
export const choiceParam = <const T extends readonly [string, ...string[]]>(values: T) => z.preprocess(oneParam, z.enum(values).optional().catch(undefined));

/** Search text from the URL: normalised and bounded like any text, undefined when empty or unusable. */
export const searchParam = (max = 200) =>
  z.preprocess(
    oneParam,
    textSchema({ max, singleLine: true })
      .transform((s) => s || undefined)
      .optional()
      .catch(undefined),
  );

// --- Dates ---------------------------------------------------------------------------------

/** Dates the app stores: well inside what both JavaScript and PostgreSQL hold. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2999;

/** Is `s` (YYYY-MM-DD) a day of the calendar? Date.parse rolls 2027-02-31 over to March: a round trip does not. */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

const yearOf = (s: string) => Number(s.slice(0, 4));
const yearsMessage = `Enter a date between ${MIN_YEAR} and ${MAX_YEAR}`;

/** A calendar date as YYYY-MM-DD (what a date input submits). */
export const isoDateSchema = z
  .string({ error: "Enter a date as YYYY-MM-DD" })
  .max(40, "Enter a date as YYYY-MM-DD")
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Enter a date as YYYY-MM-DD", abort: true })
      .refine(isRealDate, { message: "Enter a real date", abort: true })
      .refine((s) => yearOf(s) >= MIN_YEAR && yearOf(s) <= MAX_YEAR, yearsMessage),
  );

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-](\d{2}):(\d{2}))?$/;

/**
 * A date and time as a datetime-local input submits it (YYYY-MM-DDTHH:MM, seconds optional) or as
 * stored (ISO 8601 with a zone); stored as an ISO instant. Without a zone it is the server's time.
 */
export const dateTimeSchema = z
  .string({ error: "Enter a date and time" })
  .max(40, "Enter a date and time")
  .transform((raw, ctx) => {
    const s = raw.trim();
    const m = DATE_TIME.exec(s);
    const fits = m && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60 && Number(m[6] ?? 0) < 24 && Number(m[7] ?? 0) < 60;
    if (!m || !fits || !isRealDate(m[1])) {
      ctx.addIssue({ code: "custom", message: "Enter a real date and time" });
      return z.NEVER;
    }
    if (yearOf(m[1]) < MIN_YEAR || yearOf(m[1]) > MAX_YEAR) {
      ctx.addIssue({ code: "custom", message: yearsMessage });
      return z.NEVER;
    }
    return new Date(s).toISOString();
  });

/** An optional day (YYYY-MM-DD, within the stored years) from the URL: undefined for anything else. */
export const dayParam = z.preprocess(oneParam, isoDateSchema.optional().catch(undefined));

// --- Files ---------------------------------------------------------------------------------

/** A file name to store and to send back in a header: no path, no controls, whole characters, 200 at most. */
export function safeFilename(name: string): string {
  const cleaned = name
    .toWellFormed()
    .normalize("NFC")
    .replace(/[\\/]/g, "_")
    .replace(new RegExp(CONTROL.source, "g"), "_")
    .replace(BIDI_CONTROLS, "")
    .replace(/[\t\n\r]/g, " ")
    .trim();
  return Array.from(cleaned).slice(0, 200).join("") || "attachment";
}

// --- Sign-in and passwords -----------------------------------------------------------------

/**
 * An email address as typed (sign-in, account forms): bounded and free of control characters
 * before the format check, trimmed (a pasted or autofilled trailing space still signs in) and
 * lower-cased. The format allows no "|", "%" or control character.
 */
export const emailAddressSchema = (message = "Enter your email address") =>
  textSchema({ max: 254, singleLine: true, notText: message, tooLong: "Keep the email under 254 characters" })
    .transform((s) => s.toLowerCase())
    .pipe(z.email(message));

/**
 * A password as typed: bounded, and otherwise as it is. Never trimmed or normalised: it is
 * compared as typed, and it is never stored, so no character can upset the database.
 */
export const secretSchema = ({ message, max = 200 }: { message: string; max?: number }) =>
  z.string({ error: message }).min(1, message).max(max, `Keep it under ${max} characters`);
