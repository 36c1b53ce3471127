import { describe, expect, it } from "vitest";
import { clientIpTransportHints, clientIpTransportIssues, clientIpTransportsFor } from "./client-ip-transport";

/** What the group forms tell about each Client IP Transport must match what the engine sends. */
describe("Client IP Transport hints and choices", () => {
  it("PROXY protocol v2 on UDP: the header is in every datagram (the engine sends it per datagram), not once per session", () => {
    expect(clientIpTransportHints.PROXY_V2).toMatch(/every UDP datagram/);
    expect(clientIpTransportHints.PROXY_V2).not.toMatch(/datagram session/);
  });

  it("v1 is TCP only; HTTP groups take no choice but the default", () => {
    expect(clientIpTransportsFor("UDP")).toEqual(["TRANSPARENT", "PROXY_V2"]);
    expect(clientIpTransportIssues("UDP", "PROXY_V1")[0]?.message).toMatch(/^Client IP Transport: PROXY protocol v1 carries TCP only/);
    expect(clientIpTransportIssues("HTTP", "TRANSPARENT")).toEqual([]);
  });
});
