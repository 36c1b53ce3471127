import { afterEach, describe, expect, it } from "vitest";
import { RecordingObserver } from "../../test-support/recording-observer";
import { httpPool, rawExchange, startBackend, startProxy, type ProxyFixture } from "../test-support/http-fixture";
import type { PhaseOutcome, PhaseRequest, RequestPhase } from "./phase.types";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Puts `phase` in front of the route's compiled phases, as a redirect or forwarding policy will sit. */
function prepend(proxy: ProxyFixture, phase: RequestPhase): void {
  const route = proxy.handler.route;
  proxy.handler.route = { ...route, phases: [phase, ...route.phases] };
}

/** A phase that answers requests for /old itself and lets the rest continue. */
const movedPermanently: RequestPhase = {
  name: "test-redirect",
  run(request: PhaseRequest): PhaseOutcome {
    if (request.head.target() !== "/old") return "continue";
    request.answer = { status: 301, reason: "Moved Permanently", fields: "Location: /new\r\n", body: "" };
    return "respond";
  },
};

describe("L7 request phases", () => {
  it("compiles the pick-member phase alone for today's listeners", async () => {
    const backend = await startBackend("a");
    cleanup.push(() => backend.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]));
    cleanup.push(() => proxy.close());
    expect(proxy.handler.route.phases.map((p) => p.name)).toEqual(["pick-member"]);
  });

  it("a phase that answers 'respond' is the response: nothing reaches the backend, the connection stays usable", async () => {
    const backend = await startBackend("a");
    cleanup.push(() => backend.close());
    const observer = new RecordingObserver();
    const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]), {}, {}, observer);
    cleanup.push(() => proxy.close());
    prepend(proxy, movedPermanently);

    const { text: raw } = await rawExchange(proxy.port, "GET /old HTTP/1.1\r\nHost: x\r\n\r\nGET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(raw.startsWith("HTTP/1.1 301 Moved Permanently\r\nServer: elb\r\n")).toBe(true);
    expect(raw).toMatch(/^HTTP\/1\.1 301[^]*\r\nLocation: \/new\r\nContent-Length: 0\r\n\r\nHTTP\/1\.1 200/);

    expect(raw).toMatch(/HTTP\/1\.1 200 OK[\s\S]*\r\n\r\na$/); // the next request on the same connection was forwarded
    expect(backend.seen.map((r) => r.url)).toEqual(["/other"]);
    expect(observer.of("request").map((r) => [r.record.status, r.memberId])).toEqual([
      [301, null],
      [200, "a"],
    ]);
  });

  it("a phase that answers with an error kind gets the generated page of that kind", async () => {
    const backend = await startBackend("a");
    cleanup.push(() => backend.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]));
    cleanup.push(() => proxy.close());
    prepend(proxy, { name: "test-deny", run: (request) => ((request.errorKind = "no_member"), "respond") });

    const { text: raw } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(raw.startsWith("HTTP/1.1 503 Service Unavailable\r\nServer: elb\r\n")).toBe(true);
    expect(backend.seen).toEqual([]);
  });
});
