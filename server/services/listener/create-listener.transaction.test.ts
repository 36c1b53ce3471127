import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { AppError } from "../../errors";
import * as healthMonitorStep from "../health-monitor/insert-health-monitor";
import { createListener } from "./create-listener";
import { listListeners } from "./list-listeners";
import { backendRowCounts, createTestLoadBalancer, newListenerInput } from "./test-fixtures";

/**
 * Add Listener is one transaction: when the last step (the new group's health check) fails, the listener
 * and the backend server group inserted before it are rolled back too.
 */
vi.mock("../health-monitor/insert-health-monitor", async (importOriginal) => {
  const original = await importOriginal<typeof healthMonitorStep>();
  return { ...original, insertHealthMonitor: vi.fn(original.insertHealthMonitor) };
});

let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-tx")).id;
});
afterAll(async () => {
  await bed?.close();
});

describe("Add Listener transaction", () => {
  it("leaves no listener or backend server group behind when the health check step fails", async () => {
    vi.mocked(healthMonitorStep.insertHealthMonitor).mockRejectedValueOnce(new AppError("BAD_REQUEST", "Health Check: injected failure", "pool.healthMonitor"));
    await expectAppError(() => createListener(bed.ctx, newListenerInput(lbId, "TCP", 80)), { field: "pool.healthMonitor", message: /injected failure/ }, () => backendRowCounts(bed.ctx.db));
    expect(await backendRowCounts(bed.ctx.db)).toEqual({ listeners: 0, pools: 0, members: 0, healthMonitors: 0 });
    expect(healthMonitorStep.insertHealthMonitor).toHaveBeenCalledTimes(1);
  });

  it("also rolls back on a database error in that step, and the same input then succeeds", async () => {
    vi.mocked(healthMonitorStep.insertHealthMonitor).mockRejectedValueOnce(new Error("connection reset"));
    await expect(createListener(bed.ctx, newListenerInput(lbId, "TCP", 80))).rejects.toThrow(/connection reset/);
    expect(await backendRowCounts(bed.ctx.db)).toEqual({ listeners: 0, pools: 0, members: 0, healthMonitors: 0 });
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "TCP", 80));
    expect(await listListeners(bed.ctx, { loadBalancerId: lbId })).toEqual([{ ...listener, engineError: null }]);
    expect(await backendRowCounts(bed.ctx.db)).toEqual({ listeners: 1, pools: 1, members: 0, healthMonitors: 1 });
  });
});
