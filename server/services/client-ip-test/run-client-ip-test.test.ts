import { describe, expect, it } from "vitest";
import type { ClientIpTestResult } from "./client-ip-test.types";
import { addTestListener, expectNothingLeft, runTest, useTesterBed } from "./test-support/tester-bed";

/**
 * The Client-IP tester end to end: real rows in a real (PGlite) database, compiled the normal way, run by
 * a real engine process (the bundle built from the current sources) in front of the tester's echo
 * target, with a real client on 127.0.0.77. Each case checks what the backend received, and that no
 * engine process or port is left behind.
 */
const t = useTesterBed();

/** Runs the tester on a new listener and checks the cleanup. */
async function testListener(protocol: "TCP" | "UDP" | "HTTP", settings: Parameters<typeof addTestListener>[2] = {}): Promise<ClientIpTestResult> {
  const id = await addTestListener(t, protocol, settings);
  const result = await runTest(t, id);
  await expectNothingLeft(t, result);
  return result;
}

describe("Test Client IP shows what a backend sees", () => {
  it("HTTP: X-Forwarded-For names the client 127.0.0.77; the connection comes from the engine", async () => {
    const result = await testListener("HTTP");
    expect(result.client.address).toBe("127.0.0.77");
    expect(result.reached).toBe(true);
    expect(result.answer.status).toBe(200);
    expect(result.backend!.source.address).toBe("127.0.0.1");
    expect(result.backend!.requestLine).toBe("GET /client-ip-test HTTP/1.1");
    const forwardedFor = result.backend!.headers.find((h) => h.name.toLowerCase() === "x-forwarded-for");
    expect(forwardedFor).toMatchObject({ value: "127.0.0.77", clientIp: true });
    expect(result.backend!.headers.find((h) => h.name.toLowerCase() === "x-forwarded-proto")).toMatchObject({ value: "http", clientIp: true });
    expect(result.backend!.proxyHeader).toBeNull();
    expect(result.interpretation).toBe('The backend sees the client\'s address 127.0.0.77 as X-Forwarded-For (the first address of "127.0.0.77").');
    expect(result.durationMs).toBeLessThan(10_000);
  }, 20_000);

  it("TCP, Transfer Client IP Address on with PROXY protocol v2: the decoded header's source is 127.0.0.77", async () => {
    const result = await testListener("TCP", { transferClientIp: "PROXY_V2" });
    expect(result.reached).toBe(true);
    expect(result.backend!.proxyHeader).toEqual({
      version: 2,
      command: "PROXY",
      transport: "STREAM",
      source: { address: "127.0.0.77", port: result.client.port },
      destination: { address: "127.0.0.1", port: result.engine.port },
      tlvTypes: expect.any(Array),
    });
    expect(result.backend!.payload).toBe("client-ip test from 127.0.0.77");
    expect(result.backend!.source.address).toBe("127.0.0.1");
    expect(result.answer.text).toBe("client-ip-test echo target: received");
    expect(result.interpretation).toBe("The backend sees the client's address 127.0.0.77 in a PROXY v2 header (the connection itself comes from 127.0.0.1).");
  }, 20_000);

  it("TCP, Transfer Client IP Address off: the backend sees the engine's 127.0.0.1 and no header", async () => {
    const result = await testListener("TCP");
    expect(result.reached).toBe(true);
    expect(result.backend!.source.address).toBe("127.0.0.1");
    // The engine's own end of its connection, not the echo target's.
    expect(result.backend!.source.port).not.toBe(result.echoTarget.port);
    expect(result.backend!.proxyHeader).toBeNull();
    expect(result.backend!.payload).toBe("client-ip test from 127.0.0.77");
    expect(result.interpretation).toBe("The backend sees the load balancer's address 127.0.0.1: Transfer Client IP Address is off.");
  }, 20_000);

  it("UDP with PROXY protocol v2: the datagram starts with a DGRAM header whose source is 127.0.0.77", async () => {
    const result = await testListener("UDP", { transferClientIp: "PROXY_V2" });
    expect(result.reached).toBe(true);
    expect(result.backend!.proxyHeader).toMatchObject({ version: 2, command: "PROXY", transport: "DGRAM", source: { address: "127.0.0.77", port: result.client.port } });
    expect(result.backend!.source).toMatchObject({ address: "127.0.0.1" });
    expect(result.backend!.source.port).not.toBe(result.echoTarget.port);
    expect(result.backend!.payload).toBe("client-ip test from 127.0.0.77");
    expect(result.answer.text).toBe("client-ip-test echo target: received");
    expect(result.interpretation).toMatch(/^The backend sees the client's address 127\.0\.0\.77 in a PROXY v2 header/);
  }, 20_000);

  it("TCP transparent on loopback: the engine's connection comes from 127.0.0.77 itself", async () => {
    const result = await testListener("TCP", { transferClientIp: "TRANSPARENT" });
    expect(result.reached, result.engineLog.join("\n")).toBe(true);
    expect(result.backend!.source.address).toBe("127.0.0.77");
    expect(result.backend!.proxyHeader).toBeNull();
    expect(result.interpretation).toBe("The backend sees the client's address 127.0.0.77 as the source address of the connection (transparent).");
  }, 20_000);

  it("Proxy Protocol Accept with the tester's address trusted: it sends PROXY v1 for 192.0.2.10, which the backend sees", async () => {
    const result = await testListener("HTTP", { proxyProtocolAccept: true, trustedIps: ["127.0.0.0/8"] });
    expect(result.expectedClientAddress).toBe("192.0.2.10");
    expect(result.notes.join(" ")).toMatch(/sent a PROXY v1 header naming 192\.0\.2\.10:40000/);
    expect(result.backend?.headers.find((h) => h.name.toLowerCase() === "x-forwarded-for")?.value).toBe("192.0.2.10");
  }, 20_000);

  it("Proxy Protocol Accept in front of a transparent group: the header names loopback 127.0.0.78, the source of the engine's connection", async () => {
    const result = await testListener("TCP", { transferClientIp: "TRANSPARENT", proxyProtocolAccept: true, trustedIps: ["127.0.0.77"] });
    expect(result.expectedClientAddress).toBe("127.0.0.78");
    expect(result.notes.join(" ")).toMatch(/naming 127\.0\.0\.78:40000 as the client \(a loopback address/);
    expect(result.backend?.source.address).toBe("127.0.0.78");
    expect(result.interpretation).toBe("The backend sees the client's address 127.0.0.78 as the source address of the connection (transparent).");
  }, 20_000);

  it("Proxy Protocol Accept without the tester's address in Trusted IPs: a direct client, and the result says why", async () => {
    const result = await testListener("HTTP", { proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8"] });
    expect(result.expectedClientAddress).toBe("127.0.0.77");
    expect(result.notes.join(" ")).toMatch(/127\.0\.0\.77 is not in Trusted IPs: it connected as a direct client/);
    expect(result.backend?.headers.find((h) => h.name.toLowerCase() === "x-forwarded-for")?.value).toBe("127.0.0.77");
  }, 20_000);
});
