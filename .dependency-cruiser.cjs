// Import rules for `npm run lint` (dependency-cruiser). See ../shared/DESIGN.md: the engine is a separate
// process that imports nothing of the console; the console may import only engine/protocol/; folders point
// one way, no cycles.
//
// Type-only imports: `tsPreCompilationDeps: true` makes `import type …` (and `import { type X }`) edges of
// the graph, everywhere (engine/, server/, app/). A cycle that exists only through types is still a design
// knot (two modules that cannot be understood apart), so no-circular does NOT exempt type-only edges;
// the boundary rules also count them (a type import of engine/l7 from server/ still couples the console to
// engine internals).
//
// e2e/ and scripts/ are not cruised: they may import anything.

// The engine's folders in layer order, lowest first: a folder may import its own layer and the ones
// before it, never one after it (test files and test-support/ folders are exempt: they drive layers
// from outside). The seats tls/ and access-control/ sit between l7/ and listeners/.
const ENGINE_LAYERS = ["protocol", "limits", "io", "pools", "observe", "health", "l7", "tls", "access-control", "listeners", "runtime", "workers", "control"];
const engineLayerRules = ENGINE_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `engine-layer-${layer}`,
  severity: "error",
  comment: `engine/${layer}/ sits below ${ENGINE_LAYERS.slice(i + 1).join(", ")} (folders point one way: see ENGINE_LAYERS).`,
  from: { path: `^engine/${layer}/`, pathNot: "(\\.test\\.tsx?$|/test-support/)" },
  to: { path: `^engine/(${ENGINE_LAYERS.slice(i + 1).join("|")})/|^engine/main\\.ts$` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...engineLayerRules,
    {
      name: "no-circular",
      severity: "error",
      comment:
        "Import cycle in engine/, server/ or app/ (type-only imports count). Break it: move the shared " +
        "part into its own module, or pass it in instead of importing it back.",
      from: { path: "^(engine|server|app)/" },
      to: { circular: true },
    },
    {
      name: "engine-not-to-console",
      severity: "error",
      comment:
        "engine/ is a separate process: it must not import app/, server/ or db/ (only the snapshot it is sent).",
      from: { path: "^engine/" },
      to: { path: "^(app|server|db)/" },
    },
    {
      name: "console-only-engine-protocol",
      severity: "error",
      comment:
        "app/ and server/ may import only engine/protocol/ of the engine (snapshot + IPC types, NDJSON " +
        "framing, control socket). Test files in server/ may also import engine/test-support/.",
      from: { path: "^(app|server)/", pathNot: "^server/.+\\.test\\.tsx?$" },
      to: { path: "^engine/", pathNot: "^engine/protocol/" },
    },
    {
      name: "console-tests-only-engine-protocol-or-test-support",
      severity: "error",
      comment: "server/**/*.test.ts may import engine/protocol/ and engine/test-support/, nothing else of engine/.",
      from: { path: "^server/.+\\.test\\.tsx?$" },
      to: { path: "^engine/", pathNot: "^engine/(protocol|test-support)/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment:
        "An import that cannot be resolved. Also guards the rules above: if the @/ alias stopped " +
        "resolving, every @/ edge would vanish from the graph and the boundary rules would pass silently.",
      from: { path: "^(engine|server|app)/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: "(^|/)(node_modules|\\.next|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    skipAnalysisNotInRules: true,
    cache: false,
    progress: { type: "none" },
  },
};
