import "server-only";
import { env, usesEmbeddedDb } from "@/lib/env";

/** The development mailbox is shown on the demo database, or anywhere outside production. */
export const demoMailboxEnabled = () => !env().RESEND_API_KEY && (usesEmbeddedDb() || env().NODE_ENV !== "production");
