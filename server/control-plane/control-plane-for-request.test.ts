import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildNextSnapshotStub } from "./snapshot-stub";
import { controlPlaneForRequest } from "./control-plane-for-request";
import { registerControlPlane } from "./control-plane-registry";
import { EngineSupervisor } from "./engine-supervisor";
import { createSnapshotPublisher } from "./snapshot-publisher";
import { nobodyListens } from "./config-changed";

describe("controlPlaneForRequest", () => {
  it("without a control plane: engine not running, nothing reported, a signal nobody listens to", () => {
    const { engine, configChanged } = controlPlaneForRequest();
    expect(engine.running).toBe(false);
    expect(engine.status()).toBeNull();
    expect(engine.memberHealth("m-1")).toBeUndefined();
    expect(engine.listenerError("l-1")).toBeUndefined();
    expect(engine.diagnostics()).toEqual([]);
    expect(configChanged).toBe(nobodyListens);
  });

  it("with a running control plane: the supervisor's reports, the publisher's diagnostics and change signal", async () => {
    // A supervisor that is never started: its reports are set by hand, as the engine's messages would.
    const supervisor = new EngineSupervisor({ entry: "unused.js", stateDir: mkdtempSync(path.join(os.tmpdir(), "elb-view-")) });
    supervisor.status.state = "running";
    supervisor.status.listenerErrors = [{ listenerId: "l-1", message: "listen EACCES 127.10.0.5:80" }];
    supervisor.health.set("m-1", { poolId: "p-1", memberId: "m-1", status: "UNHEALTHY" });
    const diagnostic = { kind: "listener", id: "l-2", name: "web", message: "its load balancer lb-gone does not exist" } as const;
    const publisher = createSnapshotPublisher({ build: buildNextSnapshotStub([diagnostic]), send: () => {} });
    await publisher.publishNow();
    registerControlPlane({ supervisor, publisher });

    const { engine, configChanged } = controlPlaneForRequest();
    expect(configChanged).toBe(publisher.configChanged);
    expect(engine.running).toBe(true);
    expect(engine.memberHealth("m-1")).toBe("UNHEALTHY");
    expect(engine.listenerError("l-1")).toBe("listen EACCES 127.10.0.5:80");
    expect(engine.listenerError("l-2")).toBeUndefined();
    expect(engine.diagnostics()).toEqual([diagnostic]);
    const status = engine.status()!;
    expect(status).toMatchObject({ state: "running", listenerErrors: [{ listenerId: "l-1" }] });
    status.state = "stopped"; // a copy: the supervisor's own status is untouched
    expect(supervisor.status.state).toBe("running");
  });
});
