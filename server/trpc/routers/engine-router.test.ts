import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createTestLoadBalancer } from "../../services/listener/test-fixtures";
import { fixedEngineView } from "../../control-plane/engine-view";
import type { ConfigDiagnostic } from "../../control-plane/compile";
import { createCaller } from "../root";

/** Settings → Engine and the Listeners tab read the engine view the request context carries. */
let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

describe("engine view through tRPC", () => {
  it("without a control plane: no status, no diagnostics, listeners without errors", async () => {
    const caller = createCaller({ ...bed.ctx, sourceIp: "192.0.2.30" });
    expect(await caller.engine.status()).toBeNull();
    expect(await caller.engine.diagnostics()).toEqual([]);
  });

  it("lists the compiler's diagnostics and shows a listener's own beside the engine's error", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-engine-view");
    const admin = createCaller({ ...bed.ctx, sourceIp: "192.0.2.31" });
    const listener = await admin.listener.create({ loadBalancerId: lb.id, name: "web", protocol: "TCP", port: 80, pool: { mode: "new", name: "web-group", algorithm: "ROUND_ROBIN" } });
    const other = await admin.listener.create({ loadBalancerId: lb.id, name: "other", protocol: "TCP", port: 81, pool: { mode: "new", name: "other-group", algorithm: "ROUND_ROBIN" } });
    const diagnostics: ConfigDiagnostic[] = [
      { kind: "listener", id: listener.id, name: "web", message: "its backend server group p-gone does not exist; the listener is left out of the engine's configuration" },
      { kind: "member", id: "m-1", name: "m", message: 'its address "x" is not an IP address' },
    ];
    const engine = fixedEngineView({ running: true, diagnostics, listenerErrors: { [other.id]: "listen EADDRINUSE 127.10.0.5:81" } });
    const caller = createCaller({ ...bed.ctx, engine, sourceIp: "192.0.2.32" });
    expect(await caller.engine.diagnostics()).toEqual(diagnostics);
    const listed = await caller.listener.list({ loadBalancerId: lb.id });
    expect(listed.map((l) => [l.name, l.engineError, l.configError])).toEqual([
      ["web", null, diagnostics[0]!.message],
      ["other", "listen EADDRINUSE 127.10.0.5:81", undefined],
    ]);
  });

  it("upgrade: asks the engine to hand over to the build on disk (administrators), refused without an engine; traced either way", async () => {
    const admin = createCaller({ ...bed.ctx, sourceIp: "192.0.2.33" });
    await expect(admin.engine.upgrade()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: "The engine is not started by this console process" });
    let asked = 0;
    const engine = fixedEngineView({ running: true, upgrade: () => (asked++, { ok: true, pid: 4242 }) });
    const withEngine = createCaller({ ...bed.ctx, engine, sourceIp: "192.0.2.34" });
    expect(await withEngine.engine.upgrade()).toEqual({ id: "4242", name: "engine 4242", pid: 4242 });
    expect(asked).toBe(1);
    const viewer = createCaller({ ...bed.ctx, engine, user: { ...bed.ctx.user, role: "readonly" }, sourceIp: "192.0.2.35" });
    await expect(viewer.engine.upgrade()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(asked).toBe(1);
    const rows = await bed.ctx.db.select().from(traces).where(eq(traces.traceName, "upgrade engine"));
    expect(rows.map((r) => [r.code, r.resourceType, r.resourceName]).sort()).toEqual([
      ["200", "engine", "engine 4242"],
      ["403", "engine", null],
      ["412", "engine", null],
    ]);
  });
});
