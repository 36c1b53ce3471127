import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Safety net for detached engines: the console under test runs with ELB_ENGINE_STOP_WITH_CONSOLE=1 (it
 * stops its engine on SIGTERM, and the engine exits when the console's IPC channel closes), but an engine
 * must never outlive the run and hold ports. Global teardown runs before Playwright stops the webServer,
 * so the check is deferred to the runner's exit: kill the pid recorded in the data folder if it is still
 * a live engine (by pid, after checking its command line; never by name).
 */
export default function globalTeardown(): void {
  const dataDir = process.env.ELB_E2E_DATA_DIR;
  if (!dataDir) return;
  process.once("exit", () => {
    const pidFile = path.join(dataDir, "engine", "engine.pid");
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 0) return;
    try {
      if (existsSync("/proc") && !readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(path.join("engine", "main.js"))) return;
      process.kill(pid, "SIGKILL");
      console.error(`[e2e] killed engine ${pid} left behind by the console`);
    } catch {
      // not running
    }
  });
}
