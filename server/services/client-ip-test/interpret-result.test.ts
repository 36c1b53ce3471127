import { describe, expect, it } from "vitest";
import type { BackendView, ClientAnswer } from "./client-ip-test.types";
import { interpretResult, type Observation } from "./interpret-result";

const answer: ClientAnswer = { status: null, location: null, text: "ok", problem: null };
const backend = (over: Partial<BackendView> = {}): BackendView => ({ source: { address: "127.0.0.1", port: 50000 }, proxyHeader: null, proxyHeaderProblem: null, requestLine: null, headers: [], payload: "x", ...over });
const seen = (over: Partial<Observation>) => interpretResult({ protocol: "TCP", expectedClientAddress: "127.0.0.77", transfer: null, backend: backend(), answer, ...over });
const header = (address: string) => ({ version: 2 as const, command: "PROXY" as const, transport: "STREAM" as const, source: { address, port: 1 }, destination: { address: "127.0.0.1", port: 2 }, tlvTypes: [] });
const xff = (value: string) => [{ name: "X-Forwarded-For", value, clientIp: true }];

describe("interpretResult: one line from what the backend received", () => {
  it("names where the client's address is", () => {
    expect(seen({ transfer: "PROXY_V2", backend: backend({ proxyHeader: header("127.0.0.77") }) })).toBe("The backend sees the client's address 127.0.0.77 in a PROXY v2 header (the connection itself comes from 127.0.0.1).");
    expect(seen({ protocol: "HTTP", backend: backend({ headers: xff("127.0.0.77, 10.0.0.1") }) })).toBe('The backend sees the client\'s address 127.0.0.77 as X-Forwarded-For (the first address of "127.0.0.77, 10.0.0.1").');
    expect(seen({ protocol: "HTTP", backend: backend({ headers: [{ name: "X-Real-IP", value: "127.0.0.77", clientIp: true }] }) })).toBe("The backend sees the client's address 127.0.0.77 as X-Real-IP.");
    expect(seen({ transfer: "TRANSPARENT", backend: backend({ source: { address: "::ffff:127.0.0.77", port: 1 } }) })).toBe("The backend sees the client's address 127.0.0.77 as the source address of the connection (transparent).");
    expect(seen({ protocol: "UDP", backend: backend({ source: { address: "127.0.0.77", port: 1 } }) })).toMatch(/source address of the datagrams \(transparent\)/);
  });

  it("says why the backend sees the load balancer", () => {
    expect(seen({})).toBe("The backend sees the load balancer's address 127.0.0.1: Transfer Client IP Address is off.");
    expect(seen({ transfer: "PROXY_V1" })).toBe("The backend sees the load balancer's address 127.0.0.1: Transfer Client IP Address is on (PROXY protocol v1), but no PROXY header arrived.");
    expect(seen({ protocol: "HTTP" })).toBe("The backend sees the load balancer's address 127.0.0.1: no X-Forwarded-For or X-Real-IP header names the client.");
    expect(seen({ protocol: "HTTP", backend: backend({ headers: xff("203.0.113.9, 127.0.0.77") }) })).toMatch(/whose first address 203\.0\.113\.9 is not the client 127\.0\.0\.77/);
    expect(seen({ backend: backend({ proxyHeader: { ...header("x"), command: "LOCAL", source: null, destination: null } }) })).toBe("The backend gets a PROXY v2 LOCAL header without the client's address; the connection comes from 127.0.0.1.");
  });

  it("says why nothing arrived", () => {
    expect(seen({ backend: null, answer: { status: 301, location: "https://127.10.0.5:443/", text: "Moved Permanently", problem: null } })).toBe("Nothing reached the backend: the listener answered 301 (Location: https://127.10.0.5:443/).");
    expect(seen({ backend: null, answer: { ...answer, text: null, problem: "the listener reset the connection" } })).toBe("Nothing reached the backend: the listener reset the connection.");
  });
});
