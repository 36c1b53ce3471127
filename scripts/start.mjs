// `npm start`: builds the console and the engine when the build is missing or older than the sources,
// then starts the console (which migrates the database and starts and supervises the engine).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const sources = ["app", "server", "db", "engine", "public", "instrumentation.ts", "next.config.mjs", "package.json"];

function newestMtime(target) {
  const full = path.join(root, target);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(target, name)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const engineEntry = path.join(root, "dist", "engine", "main.js");
const builtAt = existsSync(buildId) && existsSync(engineEntry) ? Math.min(statSync(buildId).mtimeMs, statSync(engineEntry).mtimeMs) : 0;
if (builtAt < Math.max(...sources.map(newestMtime))) {
  console.log("[elb] building the console and the engine…");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Owner-only files from here on (inherited by the console and the engine it starts): the data directory
// holds secrets, sessions and password hashes.
process.umask(0o077);
const child = spawn(process.execPath, [path.join(root, "scripts", "console-server.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
