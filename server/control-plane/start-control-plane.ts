import "server-only";
import path from "node:path";
import { existsSync } from "node:fs";
import { getConnection } from "../runtime";
import { dataDirectory } from "@/db/client";
import { secretKey } from "../crypto/secret-key";
import { engineSecretKeyEnvironment } from "./engine-process";
import { EngineSupervisor } from "./engine-supervisor";
import { buildNextSnapshot } from "./publish-snapshot";
import { createSnapshotPublisher } from "./snapshot-publisher";
import { getControlPlane, registerControlPlane, type ControlPlane } from "./control-plane-registry";
import { startAlarmService } from "../alarms/alarm-service";
import { alarmServiceOptionsFromEnv } from "../alarms/alarm-service-env";
import { startMetrics } from "../metrics/start-metrics";

/**
 * Opens the database (migrations, seed), starts the engine process under supervision and publishes a
 * snapshot on start and after every configuration change (coalesced, within ~100 ms). Requests reach it
 * through `controlPlaneForRequest()`.
 */
export async function startControlPlane(): Promise<ControlPlane> {
  const running = getControlPlane();
  if (running) return running;
  const { db } = await getConnection();
  const entry = path.resolve(/*turbopackIgnore: true*/ process.env.ELB_ENGINE_ENTRY ?? path.join("dist", "engine", "main.js"));
  if (!existsSync(entry)) console.error(`[elb] engine entry ${entry} is missing: run "npm run build"`);
  // The engine outlives the console (a console restart adopts it and drops no connection) unless
  // ELB_ENGINE_STOP_WITH_CONSOLE=1 (tests, or operators who want the old coupling).
  const supervisor = new EngineSupervisor({
    entry,
    stateDir: path.join(dataDirectory(), "engine"),
    stopEngineOnStop: process.env.ELB_ENGINE_STOP_WITH_CONSOLE === "1",
    // An engine running another build than dist/engine/main.js is upgraded in place (no connection closed).
    autoUpgrade: process.env.ELB_ENGINE_AUTO_UPGRADE !== "0",
    // The engine opens the certificates' sealed private keys with the console's secret key (file made here if new).
    env: engineSecretKeyEnvironment(secretKey()),
  });
  const publisher = createSnapshotPublisher({ build: () => buildNextSnapshot(db), send: (snapshot) => supervisor.publish(snapshot) });
  const controlPlane: ControlPlane = { supervisor, publisher };
  registerControlPlane(controlPlane);
  startMetrics(db, supervisor);
  supervisor.start();
  await publisher.publishNow();
  // Alarm rules (guide 8.2): evaluated every minute from metric_points, webhook notifications sent meanwhile.
  const alarms = startAlarmService({ db, ...alarmServiceOptionsFromEnv() });
  const shutdown = () => void Promise.all([alarms.stop(), supervisor.stop()]).finally(() => process.exit(0));
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return controlPlane;
}
