import path from "node:path";
import { existsSync } from "node:fs";
import { getConnection } from "../runtime";
import { dataDirectory } from "@/db/client";
import { EngineSupervisor } from "./engine-supervisor";
import { onConfigChanged } from "./config-changed";
import { buildNextSnapshot } from "./publish-snapshot";

const globalForControlPlane = globalThis as unknown as { __elbControlPlane?: ControlPlane };

/** The running control plane: the engine supervisor and the snapshot publisher. */
export interface ControlPlane {
  supervisor: EngineSupervisor;
  /** Compiles and sends a snapshot now; resolves with its version. */
  publishNow(): Promise<number>;
}

/** The control plane of this console process, if started. */
export function getControlPlane(): ControlPlane | undefined {
  return globalForControlPlane.__elbControlPlane;
}

/**
 * Opens the database (migrations, seed), starts the engine process under supervision and publishes a
 * snapshot on start and after every configuration change (coalesced, within ~100 ms).
 */
export async function startControlPlane(): Promise<ControlPlane> {
  if (globalForControlPlane.__elbControlPlane) return globalForControlPlane.__elbControlPlane;
  const { db } = await getConnection();
  const entry = path.resolve(/*turbopackIgnore: true*/ process.env.ELB_ENGINE_ENTRY ?? path.join("dist", "engine", "main.js"));
  if (!existsSync(entry)) console.error(`[elb] engine entry ${entry} is missing: run "npm run build"`);
  // The engine outlives the console (a console restart adopts it and drops no connection) unless
  // ELB_ENGINE_STOP_WITH_CONSOLE=1 (tests, or operators who want the old coupling).
  const supervisor = new EngineSupervisor({
    entry,
    stateDir: path.join(dataDirectory(), "engine"),
    stopEngineOnStop: process.env.ELB_ENGINE_STOP_WITH_CONSOLE === "1",
  });
  let pending: Promise<number> | null = null;
  let again = false;
  const publishNow = async (): Promise<number> => {
    if (pending) {
      again = true;
      return pending;
    }
    pending = (async () => {
      let version = 0;
      do {
        again = false;
        const { snapshot } = await buildNextSnapshot(db);
        supervisor.publish(snapshot);
        version = snapshot.version;
      } while (again);
      return version;
    })().finally(() => {
      pending = null;
    });
    return pending;
  };
  let timer: NodeJS.Timeout | null = null;
  onConfigChanged(() => {
    timer ??= setTimeout(() => {
      timer = null;
      publishNow().catch((error) => console.error("[elb] snapshot publish failed", error));
    }, 100);
  });
  const controlPlane: ControlPlane = { supervisor, publishNow };
  globalForControlPlane.__elbControlPlane = controlPlane;
  supervisor.start();
  await publishNow();
  const shutdown = () => void supervisor.stop().finally(() => process.exit(0));
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return controlPlane;
}
