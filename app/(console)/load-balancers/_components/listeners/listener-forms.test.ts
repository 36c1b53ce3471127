import { describe, expect, it } from "vitest";
import { createListenerSchema, updateAccessControlSchema, updateListenerSchema } from "@/server/services/listener/listener.schemas";
import { describeAccessControl, describeSni, listenerTabsFor, whitelistText } from "./describe-listener";
import { httpsDraftOf, httpsInputOf, newHttpsDraft } from "./https-draft";
import { createForwardingPolicySchema, updateForwardingPolicySchema } from "@/server/services/forwarding-policy/forwarding-policy.schemas";
import { createForwardingPolicyInputOf, forwardingPolicyDraftOf, newForwardingPolicyDraft, policyErrorField, updateForwardingPolicyInputOf, urlMatchRuleLabel } from "./forwarding-policy-draft";

/** The listener page's texts and the forms' draft → input mapping, checked against the server's own schemas. */
describe("listener page texts", () => {
  it("says Disabled, or Enabled with the number of whitelist entries", () => {
    expect(describeAccessControl({ enabled: false, whitelist: ["10.0.0.1"] })).toBe("Disabled");
    expect(describeAccessControl({ enabled: true, whitelist: [] })).toBe("Enabled (0 entries)");
    expect(describeAccessControl({ enabled: true, whitelist: ["10.168.2.24"] })).toBe("Enabled (1 entry)");
    expect(describeAccessControl({ enabled: true, whitelist: ["10.168.2.24", "10.168.16.0/24"] })).toBe("Enabled (2 entries)");
    expect(describeSni({ enabled: true, certificates: [{}, {}] })).toBe("Enabled (2 certificates)");
    expect(describeSni({ enabled: false, certificates: [{}] })).toBe("Disabled");
  });

  it("writes the whitelist back comma-separated, which the server's schema reads as the same entries", () => {
    const entries = ["10.168.2.24", "10.168.16.0/24"];
    expect(whitelistText(entries)).toBe("10.168.2.24,10.168.16.0/24");
    const parsed = updateAccessControlSchema.parse({ id: "l", enabled: true, whitelist: whitelistText(entries) });
    expect(parsed.whitelist).toEqual(entries);
  });

  it("offers Forwarding Policies on HTTP and HTTPS, Redirects on HTTP only, no tabs on TCP/UDP", () => {
    expect(listenerTabsFor("HTTP").map((t) => t.label)).toEqual(["Forwarding Policies", "Redirects"]);
    expect(listenerTabsFor("HTTPS").map((t) => t.label)).toEqual(["Forwarding Policies"]);
    expect(listenerTabsFor("TCP")).toEqual([]);
    expect(listenerTabsFor("UDP")).toEqual([]);
  });
});

describe("HTTPS fields", () => {
  const pool = { mode: "new" as const, name: "g", algorithm: "ROUND_ROBIN" as const, stickySession: null, healthMonitor: null };
  const base = { loadBalancerId: "lb", name: "https-1", protocol: "HTTPS" as const, port: 443, description: "", pool };

  it("sends no CA certificate while Mutual Authentication is off, even if one was chosen before", () => {
    const draft = { ...newHttpsDraft(), serverCertificateId: "srv", caCertificateId: "ca", mutualAuthentication: false };
    expect(httpsInputOf(draft)).toEqual({ serverCertificateId: "srv", http2Enabled: false, caCertificateId: null });
    expect(httpsInputOf({ ...draft, mutualAuthentication: true, http2Enabled: true })).toEqual({ serverCertificateId: "srv", http2Enabled: true, caCertificateId: "ca" });
  });

  it("lets the server's schema name Server Certificate and CA Certificate when they are missing", () => {
    const missing = createListenerSchema.safeParse({ ...base, ...httpsInputOf(newHttpsDraft()) });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join("."))).toContain("serverCertificateId");
    const noCa = createListenerSchema.safeParse({ ...base, ...httpsInputOf({ ...newHttpsDraft(), serverCertificateId: "srv", mutualAuthentication: true }) });
    expect(noCa.error?.issues.find((i) => i.path.join(".") === "caCertificateId")?.message).toMatch(/^CA Certificate:/);
    expect(createListenerSchema.safeParse({ ...base, ...httpsInputOf({ ...newHttpsDraft(), serverCertificateId: "srv" }) }).success).toBe(true);
  });

  it("turns Mutual Authentication off in Modify Listener with caCertificateId null", () => {
    const draft = httpsDraftOf({ serverCertificate: { id: "srv" }, http2Enabled: true, caCertificate: { id: "ca" } });
    expect(draft).toEqual({ serverCertificateId: "srv", http2Enabled: true, mutualAuthentication: true, caCertificateId: "ca" });
    const input = updateListenerSchema.parse({ id: "l", ...httpsInputOf({ ...draft, mutualAuthentication: false }) });
    expect(input.caCertificateId).toBeNull();
  });
});

describe("forwarding policy form", () => {
  it("sends a blank Domain Name as none and a new HTTP group with its health check, which the server's schema accepts", () => {
    const draft = { ...newForwardingPolicyDraft(), url: " /elb ", urlMatchRule: "PREFIX" as const };
    const input = createForwardingPolicyInputOf("l1", draft);
    expect(input).toMatchObject({ listenerId: "l1", domainName: null, url: "/elb", urlMatchRule: "PREFIX" });
    expect(input.pool).toMatchObject({ mode: "new", protocol: "HTTP", name: draft.pool.name, healthMonitor: { protocol: "HTTP" } });
    expect(createForwardingPolicySchema.safeParse(input).success).toBe(true);
    expect(createForwardingPolicyInputOf("l1", { ...draft, health: { ...draft.health, enabled: false } }).pool).toMatchObject({ healthMonitor: null });
  });

  it("lets the server's schema refuse a policy with neither Domain Name nor URL", () => {
    const result = createForwardingPolicySchema.safeParse(createForwardingPolicyInputOf("l1", newForwardingPolicyDraft()));
    expect(result.success).toBe(false);
  });

  it("modifies an existing policy: blank URL cleared with null, its group as poolId (errors shown at the group select)", () => {
    const draft = forwardingPolicyDraftOf({ id: "p", name: "fp", description: "d", domainName: "www.test.com", url: "/a", urlMatchRule: "EXACT", pool: { id: "g1", name: "g" } });
    const input = updateForwardingPolicyInputOf("p", { ...draft, url: "  " });
    expect(input).toEqual({ id: "p", name: "fp", domainName: "www.test.com", url: null, urlMatchRule: "EXACT", description: "d", poolId: "g1" });
    expect(updateForwardingPolicySchema.parse(input).url).toBeNull();
    expect(policyErrorField("poolId")).toBe("pool.poolId");
    expect(urlMatchRuleLabel("REGEX")).toBe("Regular expression match");
  });
});
