import type { Failure } from "@/lib/result";

/**
 * RFC 9457 problem details, the one shape of every API error: `type` names the kind (a page of
 * the API reference), `errors` carries every field error with a JSON pointer into the request.
 */

export const PROBLEM_TYPE = "application/problem+json";

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { pointer: string; detail: string }[];
  [extension: string]: unknown;
};

const titles: Record<number, [slug: string, title: string]> = {
  400: ["bad-request", "The request could not be read"],
  401: ["unauthorized", "A valid API key is needed"],
  403: ["forbidden", "This key's account may not do this"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  409: ["conflict", "Conflict"],
  413: ["too-large", "The request body is too large"],
  415: ["unsupported-media-type", "Unsupported content type"],
  422: ["validation", "The request has invalid values"],
  429: ["rate-limited", "Too many requests"],
  500: ["internal", "Something went wrong on our side"],
};

export const problemType = (status: number) => `/api/v1/reference#problem-${titles[status]?.[0] ?? "error"}`;

export function problem(status: number, detail?: string, extra: Partial<Problem> = {}): Problem {
  const [, title] = titles[status] ?? ["error", "Error"];
  return { type: problemType(status), title, status, ...(detail ? { detail } : {}), ...extra };
}

/** `fields.orderQuantity` → `#/fields/orderQuantity` (RFC 6901 escaping); "form" → the whole body. */
export function pointerOf(path: string): string {
  if (path === "form" || path === "") return "#";
  return `#/${path.split(".").map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

export function fieldErrorsToList(fieldErrors: Record<string, string[]> | undefined, prefix = "") {
  return Object.entries(fieldErrors ?? {}).flatMap(([path, messages]) => messages.map((detail) => ({ pointer: pointerOf(prefix ? `${prefix}.${path}` : path), detail })));
}

/**
 * A command's refusal as a problem. `forbidden` says whether the policy refuses this account the
 * action on this order (the route asks lib/auth/policy.ts); `fieldPrefix` places field errors in
 * the body (`fields` for a stage's fields).
 */
export function failureProblem(failure: Failure, { forbidden = false, fieldPrefix = "", hidden = [] as string[] } = {}): Problem {
  if (failure.notFound) return problem(404, failure.formError ?? "Not found");
  if (failure.conflict) return problem(409, failure.formError, { currentVersion: failure.conflict.currentVersion, changes: failure.conflict.changes.map(({ at, who, text }) => ({ at, who, text })) });
  if (forbidden) return problem(403, failure.formError);
  const renamed: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(failure.fieldErrors ?? {})) {
    // The command's hidden inputs (orderId) are the path's business, not the body's.
    const key = hidden.includes(k.split(".")[0]) ? "form" : fieldPrefix && k !== "form" && k !== "version" ? `${fieldPrefix}.${k}` : k;
    (renamed[key] ??= []).push(...v);
  }
  const errors = fieldErrorsToList(renamed);
  return problem(422, failure.formError ?? "The request has invalid values", {
    ...(errors.length ? { errors } : { errors: [{ pointer: "#", detail: failure.formError ?? "Refused" }] }),
    ...(failure.openTodos ? { openTodos: failure.openTodos } : {}),
  });
}
