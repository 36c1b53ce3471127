// Bundles the engine (engine/main.ts) into one file the console forks: dist/engine/main.js.
// Usage: node scripts/build-engine.mjs [outfile]   (outfile for tests; default dist/engine/main.js)
import { build } from "esbuild";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const outfile = path.resolve(process.argv[2] ?? path.join(root, "dist", "engine", "main.js"));

await build({
  entryPoints: [path.join(root, "engine", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: { js: "import { createRequire as __elbCreateRequire } from 'node:module'; const require = __elbCreateRequire(import.meta.url);" },
  // The reuse-port addon (engine/native/socket) is a .node binary: copied beside the bundle and required from there.
  loader: { ".node": "copy" },
  assetNames: "[name]",
  logLevel: "warning",
});
console.log(`engine bundled: ${path.relative(root, outfile)}`);
