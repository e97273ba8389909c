/**
 * The import rules `npm run lint` checks (dependency-cruiser): no cycles, and the arrows of
 * docs/architecture.md. Type-only imports count too.
 */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "An import cycle.", from: {}, to: { circular: true } },
    {
      name: "no-circular-folders",
      severity: "error",
      comment: "A cycle between folders (lib/orders ↔ lib/automation once), even when no one module closes it: what both need moves below both.",
      scope: "folder",
      from: { path: "^lib/[^/]+" },
      to: { path: "^lib/[^/]+", circular: true },
    },
    {
      name: "workflow-is-pure",
      severity: "error",
      comment: "lib/workflow is the definition and its pure rules: it reads nothing else of the app but the pure time module (working calendars).",
      from: { path: "^lib/workflow/" },
      to: { path: "^(app|components|db|lib/(?!workflow/|forms/(fields|input)|format|time/))" },
    },
    {
      name: "db-below-lib",
      severity: "error",
      comment: "db/ (client, schema, queries) depends only on the workflow's definition, the pure time module and the environment.",
      from: { path: "^db/" },
      to: { path: "^(app|components|lib/(?!workflow/|forms/(fields|input)|env|time/))" },
    },
    {
      name: "automation-below-orders",
      severity: "error",
      comment:
        "The order commands call the automation engine (field rules, outbox); the engine never imports lib/orders. What both need (how a value reads) lives in lib/workflow.",
      from: { path: "^lib/automation/" },
      to: { path: "^lib/orders/" },
    },
    {
      name: "commands-without-framework",
      severity: "error",
      comment: "Commands, the runner and the outbox run in the CLI and tests too: no next or next-auth.",
      from: { path: "^lib/(orders|automation|inbox|email|kpi|demo|workflow)/" },
      to: { path: "^node_modules/(next|next-auth)/" },
    },
    {
      name: "components-have-no-data",
      severity: "error",
      comment: "components/ are UI pieces without data access of their own.",
      from: { path: "^components/" },
      to: { path: "^(db/|lib/(auth|orders/commands|automation/(runner|outbox)))" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|tests/e2e/screenshots)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
