import { lazy } from "react";

/** The chunk of the controls of fields of parts (compound-control.tsx). */
export const loadCompoundControl = () => import("./compound-control");

/**
 * FieldControl's `compound` for a form whose fields depend on the stage (the stage form): drawn,
 * it loads their chunk, so a stage of plain fields loads none of it (issue 17's JS budget).
 */
export const LazyCompoundControl = lazy(() => loadCompoundControl().then((m) => ({ default: m.CompoundControl })));
