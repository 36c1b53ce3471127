import { copyFileSync, existsSync, linkSync } from "node:fs";
import path from "node:path";

/**
 * The script worker threads run: a hard link to the engine bundle as it was when the engine started
 * (`.main-<build>.js` beside it), so a worker restarted after `npm run build` replaced the bundle on disk
 * still runs this engine's build — shared memory layouts and messages never mix builds inside one engine
 * (the new build takes over by an upgrade, workers/README.md). The addon beside it is loaded by name
 * and its interface does not change between builds. Falls back to a copy, then to the entry itself.
 */
export function pinWorkerEntry(entry: string, build: string): string {
  const pinned = path.join(path.dirname(entry), `.${path.basename(entry, ".js")}-${build.slice(0, 16)}.js`);
  if (existsSync(pinned)) return pinned;
  try {
    linkSync(entry, pinned);
  } catch {
    try {
      copyFileSync(entry, pinned);
    } catch {
      return entry;
    }
  }
  return pinned;
}
