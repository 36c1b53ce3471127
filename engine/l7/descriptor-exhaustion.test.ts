import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { descriptorLimitLog } from "../observe/descriptor-limit";
import { waitFor } from "../test-support/backends";
import { RecordingObserver } from "../test-support/recording-observer";
import { httpPool, request, startBackend, startProxy, type HttpBackend } from "./test-support/http-fixture";

/**
 * A backend connect that fails because the engine is out of file descriptors (EMFILE: the process's
 * limit; ENFILE: the system's) is the engine's problem, not the member's: no failure counted toward its
 * passive ejection, no failover (every other member would fail alike), one `internal` error to the
 * observer, one count in the rate-limited descriptor log, and 503 to the client on a connection that
 * stays open. EMFILE is provoked as in listeners/tcp-ejection.test.ts: net.connect to the backends
 * returns a socket that fails at once with the errno a real connect(2) gives, before any byte is sent.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  descriptorLimitLog.stop(); // the process's log: the next test's first failure is logged at once again
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function backend(name: string): Promise<HttpBackend> {
  const b = await startBackend(name);
  cleanups.push(() => b.close());
  return b;
}

/** Makes every net.connect to `ports` fail with `code` (as the socket(2) of a real connect would); returns the attempt count. */
function failConnects(ports: number[], code: "EMFILE" | "ENFILE"): { attempts: number } {
  const counter = { attempts: 0 };
  const realConnect = net.connect;
  vi.spyOn(net, "connect").mockImplementation(((...args: Parameters<typeof net.connect>) => {
    const options = args[0] as unknown as { port?: number };
    const socket = realConnect(...args);
    if (!ports.includes(Number(options.port))) return socket; // the test's own clients
    counter.attempts++;
    // Destroyed before its connect starts: 'error' then 'close' follow on the next tick, nothing reaches the backend.
    socket.destroy(Object.assign(new Error(`connect ${code} 127.0.0.1:${options.port}`), { code, syscall: "connect" }));
    return socket;
  }) as typeof net.connect);
  return counter;
}

describe("HTTP proxy: backend connect out of file descriptors", () => {
  it.each(["EMFILE", "ENFILE"] as const)("%s: 503, reported internal, nothing counted against the member, no failover", async (code) => {
    const a = await backend("a");
    const b = await backend("b");
    const observer = new RecordingObserver();
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }, { id: "b", port: b.port }]), {}, {}, observer); // defaults: maxFails 3, maxTries 3
    cleanups.push(() => proxy.close());
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const connects = failConnects([a.port, b.port], code);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());

    for (let i = 0; i < 4; i++) {
      const res = await request(proxy.port, { agent, path: `/${i}` });
      expect(res.status).toBe(503);
      expect(res.headers.server).toBe("elb");
      expect(res.headers.connection).not.toBe("close");
    }
    expect(connects.attempts).toBe(4); // one per request: no other member tried, no second attempt
    expect(a.connections + b.connections).toBe(0);
    expect(observer.of("open")).toHaveLength(1); // the client connection was kept for all four
    const errors = observer.of("error");
    expect(errors.map((e) => e.kind)).toEqual(["internal", "internal", "internal", "internal"]);
    expect((errors[0]!.cause as NodeJS.ErrnoException).code).toBe(code);
    expect(observer.of("request").map((r) => [r.record.status, r.record.error, r.memberId])).toEqual([
      [503, "internal", "a"],
      [503, "internal", "b"],
      [503, "internal", "a"],
      [503, "internal", "b"],
    ]);
    const members = proxy.pool!.members;
    expect(members.map((m) => [m.failures, m.ejectedUntil, m.activeConnections])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const logged = () => stderr.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("descriptor limit"));
    await waitFor(() => logged().length > 0, 1000, "log line");
    expect(logged()).toEqual([expect.stringContaining(`descriptor limit reached (${code}) at connect 127.0.0.1:${a.port}`)]); // the rest counted, not logged

    vi.mocked(net.connect).mockRestore(); // descriptors free again: both members answer (neither was ejected)
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add((await request(proxy.port, { agent })).body);
    expect(names).toEqual(new Set(["a", "b"]));
  });

  it("a refused connect still counts against the member and fails over (the EMFILE rule is narrow)", async () => {
    const a = await backend("a");
    const b = await backend("b");
    const observer = new RecordingObserver();
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }, { id: "b", port: b.port }]), {}, {}, observer);
    cleanups.push(() => proxy.close());
    const realConnect = net.connect;
    vi.spyOn(net, "connect").mockImplementation(((...args: Parameters<typeof net.connect>) => {
      const options = args[0] as unknown as { port?: number };
      const socket = realConnect(...args);
      if (Number(options.port) === a.port) socket.destroy(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", syscall: "connect" }));
      return socket;
    }) as typeof net.connect);
    const res = await request(proxy.port, { agent: false });
    expect([res.status, res.body]).toEqual([200, "b"]); // round robin starts at a: refused, then b
    expect(observer.of("error").map((e) => e.kind)).toEqual(["connect_failed"]);
    expect(proxy.pool!.byId("a")!.failures).toBe(1);
  });
});
