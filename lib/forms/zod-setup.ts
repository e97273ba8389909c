import { z } from "zod";

/**
 * Imported first by the modules that build schemas. In the browser, zod would probe whether it may
 * compile faster parsers with `Function(...)`; the Content-Security-Policy forbids that (no
 * 'unsafe-eval'), and the probe alone is reported as a violation. So schemas run without that
 * compilation there; the server keeps it.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
