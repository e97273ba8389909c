/** The five stages' keys, in order (their definitions are in stages.ts, which fields.ts may not import). */
export const stageKeys = ["storeOrder", "dispatchReceiving", "inProduction", "dispatching", "storeReceived"] as const;
export type StageKey = (typeof stageKeys)[number];
