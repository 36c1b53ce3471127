import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startBackend } from "../l7/test-support/http-fixture";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, startTcpBackend, waitFor } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An engine runtime whose every listener reports to `observer`. */
function engine(observer: RecordingObserver): EngineRuntime {
  const runtime = new EngineRuntime({ drainGraceMs: 200, observer });
  cleanups.push(() => runtime.stop(100));
  return runtime;
}

/** Sends `text` on a fresh connection, reads until `until(received)` holds, then closes; resolves with what arrived. */
function converse(port: number, text: string, until: (received: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`timed out; got ${JSON.stringify(received)}`))), 5000);
    socket.setEncoding("latin1");
    socket.on("connect", () => socket.write(text, "latin1"));
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (!until(received)) return;
      clearTimeout(timer);
      socket.end();
      socket.once("close", () => resolve(received));
    });
    socket.on("error", reject);
  });
}

describe("connection observer: the seat of metrics and access logs", () => {
  it("sees a TCP connection open, its bytes both ways, and its close with the totals", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const observer = new RecordingObserver();
    await engine(observer).apply(snapshot(1, [listener("l-tcp", port, "p")], [pool("p", [member("a", backend.port)])]));

    const received = await converse(port, "hello\n", (r) => r === "a\nhello\n");
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");

    expect(observer.of("open")).toEqual([{ type: "open", listenerId: "l-tcp", localAddress: "127.0.0.1", clientAddress: "127.0.0.1" }]);
    expect(observer.total("bytesIn")).toBe("hello\n".length);
    expect(observer.total("bytesOut")).toBe(received.length);
    expect(observer.of("close")).toEqual([{ type: "close", bytesIn: 6, bytesOut: received.length }]);
    expect(observer.events[0]!.type).toBe("open");
    expect(observer.events.at(-1)!.type).toBe("close");
    expect(observer.of("request")).toEqual([]); // L4: no requests
  });

  it("sees each HTTP request done (status, member, timings), the bytes of the connection and its close", async () => {
    const backend = await startBackend("a");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const observer = new RecordingObserver();
    const httpListener = listener("l-http", port, "p", { protocol: "HTTP", idleTimeoutSeconds: 60 });
    await engine(observer).apply(snapshot(1, [httpListener], [pool("p", [member("a", backend.port)], { protocol: "HTTP" })]));

    const twoRequests = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nHEAD /two HTTP/1.1\r\nHost: x\r\n\r\n";
    const received = await converse(port, twoRequests, (r) => r.split("HTTP/1.1 200").length === 3 && r.endsWith("\r\n\r\n"));
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");

    const requests = observer.of("request");
    expect(requests.map((r) => [r.record.method, r.record.status, r.memberId, r.record.error])).toEqual([
      ["GET", 200, "a", null],
      ["HEAD", 200, "a", null],
    ]);
    for (const { record } of requests) {
      expect(record.responseStartedAt).toBeGreaterThanOrEqual(record.startedAt);
      expect(record.doneAt).toBeGreaterThanOrEqual(record.responseStartedAt);
    }
    expect(observer.total("bytesIn")).toBe(twoRequests.length);
    expect(observer.total("bytesOut")).toBe(received.length);
    expect(observer.of("close")).toEqual([{ type: "close", bytesIn: twoRequests.length, bytesOut: received.length }]);
    expect(observer.of("open").map((e) => e.listenerId)).toEqual(["l-http"]);
  });

  it("sees an answered error as an error and a request done with the generated status", async () => {
    const port = await freePort();
    const observer = new RecordingObserver();
    await engine(observer).apply(snapshot(1, [listener("l-none", port, null, { protocol: "HTTP" })], []));

    const received = await converse(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", (r) => r.includes("\r\n\r\n") && r.includes("</html>"));
    expect(received.startsWith("HTTP/1.1 503")).toBe(true);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.of("error").map((e) => e.kind)).toEqual(["no_pool"]);
    expect(observer.of("request").map((r) => [r.record.status, r.record.error, r.memberId])).toEqual([[503, "no_pool", null]]);
  });
});

describe("connection observer: requests the engine refuses or loses", () => {
  it("reports a refused request head as a request with the generated status", async () => {
    const port = await freePort();
    const observer = new RecordingObserver();
    await engine(observer).apply(snapshot(1, [listener("l-bad", port, null, { protocol: "HTTP" })], []));
    const received = await converse(port, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", (r) => r.includes("</html>"));
    expect(received.startsWith("HTTP/1.1 400")).toBe(true);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.of("request").map((r) => [r.record.method, r.record.status, r.record.error])).toEqual([["GET", 400, "bad_request"]]);
  });
});

describe("connection observer: failed attempts", () => {
  it("sees an HTTP connect failure that was retried on another member as an error event; the request's record keeps the outcome", async () => {
    const backend = await startBackend("b");
    cleanups.push(() => backend.close());
    const [port, dead] = [await freePort(), await freePort()];
    const observer = new RecordingObserver();
    const members = [member("dead", dead), member("b", backend.port)];
    await engine(observer).apply(snapshot(1, [listener("l", port, "p", { protocol: "HTTP" })], [pool("p", members, { protocol: "HTTP" })]));
    // Round robin starts at "dead" for the first request: it fails to connect and is retried on "b".
    const received = await converse(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (r) => r.endsWith("\r\n\r\nb"));
    expect(received.startsWith("HTTP/1.1 200")).toBe(true);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.of("error").map((e) => e.kind)).toEqual(["connect_failed"]);
    expect(observer.of("request").map((r) => [r.record.status, r.memberId, r.record.error])).toEqual([[200, "b", null]]);
  });
});
