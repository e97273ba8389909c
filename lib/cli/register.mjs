// Command-line entry points (tsx) load the same modules as the app. Those that must never reach
// a browser bundle import "server-only", whose plain export throws outside React's server
// build; a CLI is server-side by definition, so here it resolves to the package's empty module.
import { register } from "node:module";

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {}", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
