import { writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { addTestListener, expectNothingLeft, runTest, useTesterBed } from "./test-support/tester-bed";

/**
 * The Client-IP tester's failure paths: each step is bounded and says which one failed, a second test
 * of one listener is refused while the first runs, read-only users are refused, and nothing is left
 * running afterwards.
 */
const t = useTesterBed();

/** The AppError a call rejects with. */
async function refusal(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("Test Client IP when it cannot run", () => {
  it("a test engine that cannot bind its port: a clear error naming the step, and nothing left running", async () => {
    const id = await addTestListener(t, "TCP");
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", () => resolve()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const error = await refusal(runTest(t, id, { listenPort: port }));
      expect(error.code).toBe("PRECONDITION_FAILED");
      expect(error.message).toMatch(/^Client-IP test: the test engine could not run the listener: .*(EADDRINUSE|in use)/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(t.enginePids).toHaveLength(1);
      await expectNothingLeft(t, null);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 20_000);

  it("an engine that never says ready: refused after the start timeout with its log's tail, and stopped", async () => {
    const id = await addTestListener(t, "TCP");
    const stuck = path.join(os.tmpdir(), `elb-stuck-engine-${process.pid}.mjs`);
    writeFileSync(stuck, 'process.stderr.write("[engine 1] still loading the snapshot\\n"); setInterval(() => {}, 1000);\n');
    const started = Date.now();
    const error = await refusal(runTest(t, id, { engineEntry: stuck, startTimeoutMs: 1000 }));
    expect(error.message).toBe("Client-IP test: the test engine did not start within 1 s: still loading the snapshot");
    expect(Date.now() - started).toBeLessThan(5000);
    await expectNothingLeft(t, null);
  }, 20_000);

  it("a second test of the same listener while one runs is refused; another listener's test is not", async () => {
    const id = await addTestListener(t, "TCP");
    const other = await addTestListener(t, "TCP");
    const first = runTest(t, id);
    const second = await refusal(runTest(t, id));
    expect(second).toMatchObject({ code: "CONFLICT", message: "A client-IP test of this listener is already running: wait for its result" });
    const [a, b] = await Promise.all([first, runTest(t, other)]);
    expect(a.reached && b.reached).toBe(true);
    // Once done, the listener can be tested again.
    expect((await runTest(t, id)).reached).toBe(true);
    await expectNothingLeft(t, a);
    await expectNothingLeft(t, b);
  }, 30_000);

  it("read-only users, unknown listeners and listeners outside the project are refused before anything starts", async () => {
    const id = await addTestListener(t, "TCP");
    const readOnly = { ...t.bed.ctx, user: { ...t.bed.ctx.user, role: "readonly" as const } };
    const { runClientIpTest } = await import("./run-client-ip-test");
    expect((await refusal(runClientIpTest(readOnly, { listenerId: id }, { engineEntry: t.entry }))).code).toBe("FORBIDDEN");
    expect(await refusal(runTest(t, "00000000-0000-4000-8000-000000000000"))).toMatchObject({ code: "NOT_FOUND", field: "listenerId" });
    const elsewhere = { ...t.bed.ctx, scope: { ...t.bed.ctx.scope, projectId: "00000000-0000-4000-8000-000000000001" } };
    expect((await refusal(runClientIpTest(elsewhere, { listenerId: id }, { engineEntry: t.entry }))).code).toBe("NOT_FOUND");
    expect(await refusal(runTest(t, ""))).toMatchObject({ code: "BAD_REQUEST", field: "listenerId", message: "Listener: select a listener" });
    expect(t.enginePids).toHaveLength(0);
  }, 20_000);
});
