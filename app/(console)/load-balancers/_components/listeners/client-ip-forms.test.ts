import { describe, expect, it } from "vitest";
import { createListenerSchema, updateListenerSchema } from "@/server/services/listener/listener.schemas";
import { DEFAULT_CLIENT_IP_SETTINGS } from "@/server/services/listener/client-ip.schemas";
import { createPoolSchema } from "@/server/services/pool/pool.schemas";
import { changePoolDraft, newPoolDraft, poolFieldsOf } from "../backend-server-groups/pool-draft";
import { clientIpDraftOf, clientIpInputOf, clientIpSectionChanged, newClientIpDraft, transferInterruption } from "./client-ip-draft";
import { describeRealIpHeader, describeTransferClientIp, describeTrustedIps, describeXForwardedFor } from "./describe-client-ip";

/** The client IP fields' draft → input mapping and texts, checked against the server's own schemas. */
const pool = { mode: "new" as const, name: "g", algorithm: "ROUND_ROBIN" as const, stickySession: null, healthMonitor: null };
const listener = (protocol: "TCP" | "UDP" | "HTTP" | "HTTPS") => ({ loadBalancerId: "lb", name: "l", protocol, port: 80, description: "", pool, ...(protocol === "HTTPS" && { serverCertificateId: "srv" }) });

describe("client IP fields of Add/Modify Listener", () => {
  it("sends only the fields the protocol takes, so the server's schema accepts the form for every protocol", () => {
    const draft = { ...newClientIpDraft(), transferClientIp: true, xRealIp: true };
    expect(Object.keys(clientIpInputOf("UDP", draft))).toEqual(["transferClientIp"]);
    expect(Object.keys(clientIpInputOf("TCP", draft))).toEqual(["transferClientIp", "proxyProtocolAccept", "trustedIps"]);
    expect(clientIpInputOf("HTTP", draft)).not.toHaveProperty("transferClientIp");
    for (const protocol of ["TCP", "UDP", "HTTP", "HTTPS"] as const) expect(createListenerSchema.safeParse({ ...listener(protocol), ...clientIpInputOf(protocol, draft) }).success).toBe(true);
  });

  it("lets the server's schema name Trusted IPs when Proxy Protocol is on without them", () => {
    const result = createListenerSchema.safeParse({ ...listener("TCP"), ...clientIpInputOf("TCP", { ...newClientIpDraft(), proxyProtocolAccept: true, trustedIps: " " }) });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message.split(":")[0]])).toEqual([["trustedIps", "Trusted IPs"]]);
  });

  it("Modify Listener sends only what changed (the trace then names it), Trusted IPs as typed", () => {
    const stored = { ...DEFAULT_CLIENT_IP_SETTINGS, proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::1"] };
    const draft = clientIpDraftOf(stored);
    expect(draft.trustedIps).toBe("10.0.0.0/8,2001:db8::1");
    expect(clientIpInputOf("HTTP", draft, stored)).toEqual({});
    const input = clientIpInputOf("HTTP", { ...draft, xForwardedForMode: "REPLACE", trustedIps: "10.0.0.0/8, 192.0.2.1" }, stored);
    expect(input).toEqual({ xForwardedForMode: "REPLACE", trustedIps: "10.0.0.0/8, 192.0.2.1" });
    expect(updateListenerSchema.parse({ id: "l", ...input }).trustedIps).toEqual(["10.0.0.0/8", "192.0.2.1"]);
  });

  it("opens the Client IP section by itself only when a field in it is not the default", () => {
    expect(clientIpSectionChanged("TCP", { ...newClientIpDraft(), transferClientIp: true })).toBe(false);
    expect(clientIpSectionChanged("TCP", { ...newClientIpDraft(), xRealIp: true })).toBe(false);
    expect(clientIpSectionChanged("HTTP", { ...newClientIpDraft(), xRealIp: true })).toBe(true);
    expect(clientIpSectionChanged("TCP", { ...newClientIpDraft(), trustedIps: "10.0.0.1" })).toBe(true);
  });

  it("says the interruption is twice the health check interval, or about 10 seconds without a health check", () => {
    expect(transferInterruption(5)).toBe("about 10 seconds (twice the health check interval of 5 s)");
    expect(transferInterruption(20)).toBe("about 40 seconds (twice the health check interval of 20 s)");
    expect(transferInterruption(null)).toBe("about 10 seconds");
    expect(transferInterruption(Number.NaN)).toBe("about 10 seconds");
  });
});

describe("Client IP Transport of the group forms", () => {
  it("is sent for TCP/UDP groups only, and PROXY protocol v1 becomes Transparent when the group turns UDP", () => {
    const tcp = { ...newPoolDraft("TCP"), clientIpTransport: "PROXY_V1" as const };
    expect(poolFieldsOf(tcp)).toMatchObject({ clientIpTransport: "PROXY_V1" });
    expect(changePoolDraft(tcp, { protocol: "UDP" }).clientIpTransport).toBe("TRANSPARENT");
    expect(changePoolDraft({ ...tcp, clientIpTransport: "PROXY_V2" }, { protocol: "UDP" }).clientIpTransport).toBe("PROXY_V2");
    const http = changePoolDraft({ ...tcp, clientIpTransport: "PROXY_V2" }, { protocol: "HTTP" });
    expect(poolFieldsOf(http)).not.toHaveProperty("clientIpTransport");
    expect(createPoolSchema.safeParse({ loadBalancerId: "lb", protocol: "HTTP", ...poolFieldsOf(http) }).success).toBe(true);
  });
});

describe("listener page texts", () => {
  it("describes Transfer Client IP Address with its transport, Trusted IPs, X-Forwarded-For and Real IP Header", () => {
    expect(describeTransferClientIp(true, "PROXY_V2")).toBe("Enabled (PROXY protocol v2)");
    expect(describeTransferClientIp(false, "PROXY_V2")).toBe("Disabled");
    expect(describeTrustedIps([])).toBe("None");
    expect(describeTrustedIps(["10.0.0.0/8", "::1"])).toBe("10.0.0.0/8, ::1");
    expect(describeXForwardedFor({ xForwardedForMode: "APPEND", xForwardedForTrustedOnly: true })).toBe("Append (trusted IPs only)");
    expect(describeXForwardedFor({ xForwardedForMode: "REMOVE", xForwardedForTrustedOnly: false })).toBe("Remove");
    expect(describeRealIpHeader({ realIpHeader: "PROXY_PROTOCOL", realIpRecursive: false })).toBe("proxy_protocol");
    expect(describeRealIpHeader({ realIpHeader: "X_FORWARDED_FOR", realIpRecursive: true })).toBe("X-Forwarded-For, recursive");
  });
});
