import Ajv2020 from "ajv/dist/2020";
import { describe, expect, test } from "vitest";
import { openApiDocument, responsesOf } from "@/lib/api/openapi";
import { apiRoutes } from "@/lib/api/routes";
import { createOrderBody } from "@/lib/api/schemas";
import { curlExample } from "@/lib/api/reference";
import { inDays } from "./fixtures";

/**
 * The OpenAPI document (issue 20): generated from the registry's zod schemas, so it lists every
 * route with every answer the wrapper can give, and its request schemas say what the commands'
 * schemas accept. (Every answer of tests/api.test.ts is validated against it by tests/api-client.ts.)
 */

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, { minimum?: number; maximum?: number; minLength?: number; maxLength?: number }>; required?: string[] }> };
};
const doc = openApiDocument() as unknown as Doc;

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1 and lists every route of the registry with every status it can answer", () => {
    expect(doc.openapi).toBe("3.1.0");
    const listed = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of apiRoutes) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(route.operationId);
      expect(Object.keys(op.responses).map(Number).sort()).toEqual(Object.keys(responsesOf(route)).map(Number).sort());
      for (const s of ["401", "429", "500"]) expect(op.responses[s], `${route.operationId} ${s}`).toBeDefined();
      if (route.body) for (const s of ["400", "413", "415", "422"]) expect(op.responses[s], `${route.operationId} ${s}`).toBeDefined();
    }
  });

  test("every schema in it is valid JSON Schema 2020-12", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ ...(doc as object), $id: "https://makeline.invalid/openapi.json" });
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.getSchema(`https://makeline.invalid/openapi.json#/components/schemas/${name}`), name).not.toThrow();
  });

  test("the create body is the command's schema: its documented bounds are where the schema itself accepts and refuses", () => {
    const create = doc.components.schemas.CreateOrder;
    expect(Object.keys(create.properties!).sort()).toEqual(Object.keys(createOrderBody.shape).sort());
    expect(create.required!.sort()).toEqual(["orderQuantity", "productSpecifications", "requiredDeliveryDate", "storeId"]);
    const base = { storeId: 1, productSpecifications: "Oak table, oiled", orderQuantity: 1, requiredDeliveryDate: inDays(5) };
    const q = create.properties!.orderQuantity;
    const p = create.properties!.productSpecifications;
    for (const [value, ok] of [
      [{ orderQuantity: q.minimum }, true],
      [{ orderQuantity: q.minimum! - 1 }, false],
      [{ orderQuantity: q.maximum }, true],
      [{ orderQuantity: q.maximum! + 1 }, false],
      [{ productSpecifications: "x".repeat(p.minLength!) }, true],
      [{ productSpecifications: "x".repeat(p.minLength! - 1) }, false],
      [{ productSpecifications: "x".repeat(p.maxLength!) }, true],
      [{ productSpecifications: "x".repeat(p.maxLength! + 1) }, false],
      [{ colour: "red" }, false],
    ] as const) {
      expect(createOrderBody.safeParse({ ...base, ...value }).success, JSON.stringify(value).slice(0, 60)).toBe(ok);
    }
  });

  test("is served at /api/v1/openapi.json without a key", async () => {
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const response = GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  test("the reference page's curl examples name each route's method, path, key header and body", () => {
    for (const route of apiRoutes) {
      const curl = curlExample(route, "https://makeline.example.com");
      expect(curl).toContain(`-X ${route.method} 'https://makeline.example.com/api/v1`);
      expect(curl).toContain('-H "Authorization: Bearer $MAKELINE_API_KEY"');
      if (route.body && route.bodyKind !== "multipart") expect(curl).toContain("-d '");
      if (route.idempotent) expect(curl).toContain("Idempotency-Key");
    }
  });
});
