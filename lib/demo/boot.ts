import "server-only";
import { getDb } from "@/db/client";
import { usesEmbeddedDb } from "@/lib/env";
import { seedIfEmpty } from "./seed";

/**
 * The app's boot (instrumentation.ts): an empty embedded database becomes the demo, so
 * `npm run dev` is a working demo on the first start. A server database is never seeded here
 * (`npm run db:seed` does it on purpose).
 */
export async function seedEmbeddedDemo() {
  if (!usesEmbeddedDb()) return;
  await seedIfEmpty(await getDb());
}
