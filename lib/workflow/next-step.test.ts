import { describe, expect, test } from "vitest";
import { type NextStepFacts, completion, crossFieldErrors, nextStep, rolesAllowed, stepKinds, stepRank } from "@/lib/workflow";

const now = new Date("2026-12-10T12:00:00Z");
const base: NextStepFacts = {
  state: "active",
  stage: "storeOrder",
  fields: {},
  submittedAt: null,
  hasProposal: false,
  failedInspections: 0,
  latestInspection: null,
  inspectedSinceUpdate: false,
};
const step = (facts: Partial<NextStepFacts>, timeZone = "UTC") => nextStep({ ...base, ...facts }, { now, timeZone });
const done = { productionStatus: "completed", completionPercentage: 100 } as const;

describe("nextStep: what happens next and who has it, as SPEC words it", () => {
  test("a draft the store has not sent, and a revised one not sent again", () => {
    expect(step({})).toEqual({ kind: "draft", stage: "storeOrder", label: "Draft — not sent", role: "storeManager" });
    expect(step({ submittedAt: new Date("2026-12-01") })).toMatchObject({ kind: "revised", label: "Revised — not resent", role: "storeManager" });
  });

  test("with dispatch for feasibility, then to ship", () => {
    expect(step({ stage: "dispatchReceiving" })).toMatchObject({ label: "Waiting for feasibility", role: "dispatchTeam" });
    expect(step({ stage: "dispatching" })).toMatchObject({ label: "Ready to ship", role: "dispatchTeam" });
  });

  test("in production: progress, then QC, then rework counted, then ready to complete", () => {
    const p = (facts: Partial<NextStepFacts>) => step({ stage: "inProduction", ...facts });
    expect(p({})).toMatchObject({ kind: "waiting", label: "In production", role: "productionTeam" });
    expect(p({ fields: { productionStatus: "inProgress", completionPercentage: 40 } })).toMatchObject({ label: "In production — 40%" });
    // Production says it is done: quality control has it.
    expect(p({ fields: done })).toMatchObject({ kind: "inspection", label: "Waiting for QC", role: "qualityControl" });
    // QC failed it after that: production reworks, the failures counted.
    expect(p({ fields: done, latestInspection: "fail", failedInspections: 2, inspectedSinceUpdate: true })).toMatchObject({ kind: "rework", label: "Rework (QC failed ×2)", role: "productionTeam" });
    // A failure stands while production works on, whatever it updates…
    expect(p({ fields: { productionStatus: "inProgress", completionPercentage: 80 }, latestInspection: "fail", failedInspections: 1, inspectedSinceUpdate: false })).toMatchObject({ label: "Rework (QC failed ×1)" });
    // …until it says it is done again: then QC inspects anew.
    expect(p({ fields: done, latestInspection: "fail", failedInspections: 1, inspectedSinceUpdate: false })).toMatchObject({ label: "Waiting for QC", role: "qualityControl" });
    expect(p({ fields: done, latestInspection: "pass", failedInspections: 1, inspectedSinceUpdate: true })).toMatchObject({ kind: "passed", label: "Passed QC — ready to complete", role: "productionTeam" });
  });

  test("in transit until the estimated delivery, in the viewer's zone; then the store confirms receipt", () => {
    const eta = "2026-12-16T06:00:00.000Z";
    expect(step({ stage: "storeReceived", fields: { estimatedDeliveryTime: eta } })).toMatchObject({ kind: "inTransit", label: "In transit — ETA 16 Dec", role: "storeManager" });
    // 06:00 UTC on the 16th is still the 15th in Los Angeles.
    expect(step({ stage: "storeReceived", fields: { estimatedDeliveryTime: eta } }, "America/Los_Angeles").label).toBe("In transit — ETA 15 Dec");
    expect(step({ stage: "storeReceived", fields: { estimatedDeliveryTime: "2026-12-09T06:00:00.000Z" } })).toMatchObject({ kind: "receiptDue", label: "Delivery due — store to confirm receipt" });
  });

  test("held: a proposal for the store to decide, or a hold to revise or cancel", () => {
    expect(step({ state: "onHold", stage: "dispatchReceiving", hasProposal: true })).toMatchObject({ label: "Proposal — store to decide", role: "storeManager" });
    expect(step({ state: "onHold", stage: "dispatchReceiving" })).toMatchObject({ label: "On hold: not feasible — store to revise or cancel", role: "storeManager" });
  });

  test("closed orders await nobody; one received wrong says so", () => {
    expect(step({ state: "completed", stage: "storeReceived", fields: { productCondition: "good" } })).toMatchObject({ label: "Completed", role: null });
    expect(step({ state: "completed", stage: "storeReceived", fields: { productCondition: "damaged" } })).toMatchObject({ label: "Completed — received damaged", role: null });
    expect(step({ state: "cancelled", stage: "inProduction" })).toMatchObject({ label: "Cancelled", role: null });
  });

  test("'My work' order: by stage in the flow, then by the step within it", () => {
    expect(stepRank({ stage: "storeOrder", kind: "draft" })).toBeLessThan(stepRank({ stage: "dispatchReceiving", kind: "waiting" }));
    expect(stepRank({ stage: "inProduction", kind: "rework" })).toBeLessThan(stepRank({ stage: "inProduction", kind: "inspection" }));
    expect(stepRank({ stage: "dispatchReceiving", kind: "proposal" })).toBeLessThan(stepRank({ stage: "inProduction", kind: "waiting" }));
    expect(new Set(stepKinds).size).toBe(stepKinds.length);
  });
});

describe("a delivery gone wrong (SPEC: When a delivery goes wrong)", () => {
  const received = { receiptConfirmation: { confirmedBy: "Front desk" } };
  const facts = (fields: object) => ({ stage: "storeReceived" as const, fields: { ...received, ...fields }, doneTodos: [] });

  test("Damaged or Wrong specification needs a note, beside the note", () => {
    for (const productCondition of ["damaged", "wrongSpecification"] as const) {
      expect(crossFieldErrors({ productCondition }).conditionNote?.[0]).toMatch(/needs a note/);
      expect(crossFieldErrors({ productCondition, conditionNote: "  " }).conditionNote).toBeDefined();
      expect(crossFieldErrors({ productCondition, conditionNote: "Legs cracked" }).conditionNote).toBeUndefined();
    }
    expect(crossFieldErrors({ productCondition: "minorDamage" }).conditionNote).toBeUndefined();
  });

  test("and at least one photo to complete, beside the photos", () => {
    const damaged = facts({ productCondition: "damaged", conditionNote: "Legs cracked" });
    expect(completion(damaged, null, 0).errors.photos?.[0]).toMatch(/photo/);
    expect(completion(damaged, null, 1).errors).toEqual({});
    expect(completion(facts({ productCondition: "good" }), null, 0).errors).toEqual({});
  });

  test("stage 5 takes attachments from those who work it; only the store replaces, once completed", () => {
    expect(rolesAllowed("addAttachment", "storeReceived")).toEqual(["storeManager", "dispatchTeam"]);
    expect(rolesAllowed("addAttachment", "inProduction")).toEqual([]);
    expect(rolesAllowed("requestReplacement", "storeReceived")).toEqual(["storeManager"]);
    expect(rolesAllowed("requestReplacement", "storeOrder")).toEqual([]);
  });
});
