// Bundles the engine (engine/main.ts) into one file the console forks: dist/engine/main.js.
// Usage: node scripts/build-engine.mjs [outfile]   (outfile for tests; default dist/engine/main.js)
// ELB_ENGINE_BUILD_LABEL: a comment in the banner (tests use it to make a rebuild differ).
//
// Each output file replaces the previous one by rename: a running engine keeps the files it opened (its
// addon stays mapped, a worker thread it restarts reads a whole bundle), and the next upgrade
// (SIGUSR2, engine/control/upgrade.ts) starts the new bundle.
import { build } from "esbuild";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const outfile = path.resolve(process.argv[2] ?? path.join(root, "dist", "engine", "main.js"));
const label = process.env.ELB_ENGINE_BUILD_LABEL;

const result = await build({
  entryPoints: [path.join(root, "engine", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __elbCreateRequire } from 'node:module'; const require = __elbCreateRequire(import.meta.url);" + (label ? `\n// build label: ${label.replace(/[\r\n]/g, " ")}` : ""),
  },
  // The reuse-port addon (engine/native/socket) is a .node binary: copied beside the bundle and required from there.
  loader: { ".node": "copy" },
  assetNames: "[name]",
  logLevel: "warning",
  write: false,
});
await mkdir(path.dirname(outfile), { recursive: true });
for (const file of result.outputFiles) {
  const temp = `${file.path}.${process.pid}.tmp`;
  await writeFile(temp, file.contents, { mode: 0o644 });
  await rename(temp, file.path);
}
console.log(`engine bundled: ${path.relative(root, outfile)}`);
