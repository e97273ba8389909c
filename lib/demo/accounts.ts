import type { RoleKey } from "@/lib/workflow";

/** The demo data set: two stores and one account per role, all with the same password. */
export const DEMO_PASSWORD = "makeline-demo";

export const demoAccounts: { email: string; name: string; roles: RoleKey[]; store?: string }[] = [
  { email: "store.north@example.com", name: "Nora North", roles: ["storeManager"], store: "north" },
  { email: "store.south@example.com", name: "Sam South", roles: ["storeManager"], store: "south" },
  { email: "dispatch@example.com", name: "Dana Dispatch", roles: ["dispatchTeam"] },
  { email: "production@example.com", name: "Pat Production", roles: ["productionTeam"] },
  { email: "qc@example.com", name: "Quinn Quality", roles: ["qualityControl"] },
  { email: "ops@example.com", name: "Olive Ops", roles: ["ops"] },
  { email: "admin@example.com", name: "Ada Admin", roles: ["admin"] },
];

export const demoStores = [
  { code: "north", name: "North" },
  { code: "south", name: "South" },
];

