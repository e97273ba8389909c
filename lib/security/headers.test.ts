import { expect, test } from "vitest";
import { contentSecurityPolicy, isFilePath, newNonce, securityHeaders, servedOverHttps } from "./headers";

const page = { nonce: "bm9uY2U=", https: false, dev: false, file: false };
const directives = (csp: string) => Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

test("a page's policy: scripts by this request's nonce only, no framing, no plugins", () => {
  const csp = directives(contentSecurityPolicy(page));
  expect(csp["script-src"]).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  expect(csp["object-src"]).toEqual(["'none'"]);
  expect(csp["base-uri"]).toEqual(["'self'"]);
  expect(csp["form-action"]).toEqual(["'self'"]);
  expect(csp["upgrade-insecure-requests"]).toBeUndefined();
  // React's debugging needs eval, in development only.
  expect(directives(contentSecurityPolicy({ ...page, dev: true }))["script-src"]).toContain("'unsafe-eval'");
});

test("the file store's origin: uploads go there, and image thumbnails (the printed traveller) load from there", () => {
  const csp = directives(contentSecurityPolicy({ ...page, connectSources: ["https://files.example.com"] }));
  expect(csp["connect-src"]).toEqual(["'self'", "https://files.example.com"]);
  expect(csp["img-src"]).toEqual(["'self'", "data:", "blob:", "https://files.example.com"]);
  expect(directives(contentSecurityPolicy(page))["img-src"]).toEqual(["'self'", "data:", "blob:"]);
});

test("an uploaded file runs nothing and cannot be framed", () => {
  const csp = directives(contentSecurityPolicy({ ...page, file: true }));
  expect(csp["default-src"]).toEqual(["'none'"]);
  expect(csp.sandbox).toEqual([]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  expect(isFilePath("/orders/12/attachments/3")).toBe(true);
  expect(isFilePath("/orders/12")).toBe(false);
  expect(isFilePath("/orders/12/attachments/3/x")).toBe(false);
});

test("HSTS and upgraded requests only over HTTPS; the other headers always", () => {
  const plain = securityHeaders(page);
  expect(plain).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" });
  expect(plain["Permissions-Policy"]).toMatch(/^(\w[\w-]*=\(\)(, )?)+$/);
  expect(plain["Strict-Transport-Security"]).toBeUndefined();
  const secure = securityHeaders({ ...page, https: true });
  expect(secure["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
  expect(secure["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  expect(servedOverHttps(new URL("http://app.test/"), "https")).toBe(true);
  expect(servedOverHttps(new URL("http://app.test/"), "https, http")).toBe(true);
  expect(servedOverHttps(new URL("https://app.test/"), null)).toBe(true);
  expect(servedOverHttps(new URL("http://app.test/"), "http")).toBe(false);
});

test("a fresh, unguessable nonce per request", () => {
  const nonces = new Set(Array.from({ length: 100 }, newNonce));
  expect(nonces.size).toBe(100);
  for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
});
