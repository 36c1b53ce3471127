// Keeps engine/ free of console code: the engine is a separate process that must not import app/, server/ or db/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "engine");
const forbidden = /from\s+["'](?:@\/|(?:\.\.\/)+)(app|server|db)\//;
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.tsx?$/.test(name) && forbidden.test(readFileSync(file, "utf8"))) offenders.push(file);
  }
}
walk(root);
if (offenders.length) {
  console.error("engine/ must not import app/, server/ or db/:\n" + offenders.join("\n"));
  process.exit(1);
}
console.log("engine imports: ok");
