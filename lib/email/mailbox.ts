import "server-only";
import { env } from "@/lib/env";

/**
 * The development mailbox is on outside production when no RESEND_API_KEY is set. In production
 * it is off unless MAKELINE_DEV_MAILBOX=1 turns it on (a demo server, the browser tests).
 */
export const demoMailboxEnabled = () => !env().RESEND_API_KEY && (env().NODE_ENV !== "production" || env().MAKELINE_DEV_MAILBOX === "1");
