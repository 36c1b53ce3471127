import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { forwardingPolicies, healthMonitors, pools } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createPool } from "../pool/create-pool";
import { deletePool } from "../pool/delete-pool";
import { getPool } from "../pool/get-pool";
import { createListener } from "../listener/create-listener";
import { deleteListener } from "../listener/delete-listener";
import { getListener } from "../listener/get-listener";
import { createTestLoadBalancer, insertTestCertificate, newListenerInput } from "../listener/test-fixtures";
import { createForwardingPolicy } from "./create-forwarding-policy";
import { updateForwardingPolicy } from "./update-forwarding-policy";
import { deleteForwardingPolicy } from "./delete-forwarding-policy";
import { listForwardingPolicies } from "./list-forwarding-policies";
import { createHttpListener, newPolicyInput } from "./test-fixtures";

/** Forwarding policies (guide 3.8.1, table 3-7): the rules, Create new / Use existing, Modify, Delete. */
let bed: ServiceTestBed;
let lbId: string;
let changes = 0;
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
  lbId = (await createTestLoadBalancer(bed, "elb-policies")).id;
});
afterAll(async () => {
  await bed?.close();
});

const counts = async () => ({
  policies: (await bed.ctx.db.select({ n: count() }).from(forwardingPolicies))[0]!.n,
  pools: (await bed.ctx.db.select({ n: count() }).from(pools))[0]!.n,
  healthMonitors: (await bed.ctx.db.select({ n: count() }).from(healthMonitors))[0]!.n,
});
const add = (input: unknown) => createForwardingPolicy(bed.ctx, input);

describe("Add Forwarding Policy", () => {
  it("creates the policy with a new HTTP group and its health check in one go, listed in creation order", async () => {
    const listener = await createHttpListener(bed, lbId, 80);
    changes = 0;
    const first = await add(
      newPolicyInput(listener.id, "forwarding_policy-q582", { domainName: "WWW.Test.com", url: "/login.php" }, { description: "login", pool: { mode: "new", name: "login-group", algorithm: "ROUND_ROBIN", healthMonitor: { path: "/health" } } }),
    );
    expect(changes).toBe(1);
    expect(first).toMatchObject({ listenerId: listener.id, name: "forwarding_policy-q582", description: "login", action: "REDIRECT_TO_POOL", domainName: "www.test.com", url: "/login.php", urlMatchRule: "EXACT", pool: { name: "login-group" }, position: 1 });
    expect(await getPool(bed.ctx, { id: first.pool.id })).toMatchObject({ protocol: "HTTP", listener: null, forwardingPolicies: [{ id: first.id, name: "forwarding_policy-q582", listener: { id: listener.id, name: listener.name } }], healthMonitor: { protocol: "HTTP", path: "/health" } });
    const second = await add(newPolicyInput(listener.id, "images", { url: "/img", urlMatchRule: "PREFIX" }));
    const third = await add(newPolicyInput(listener.id, "regex", { url: "/elb[^\\s]*", urlMatchRule: "REGEX" }));
    expect((await listForwardingPolicies(bed.ctx, { listenerId: listener.id })).map((p) => [p.name, p.position, p.pool.name])).toEqual([
      ["forwarding_policy-q582", 1, "login-group"],
      ["images", 2, "group-images"],
      ["regex", 3, "group-regex"],
    ]);
    expect(second.urlMatchRule).toBe("PREFIX");
    expect(third.url).toBe("/elb[^\\s]*");
    expect((await getListener(bed.ctx, { id: listener.id })).forwardingPolicyCount).toBe(3);
  });

  it("works on HTTPS listeners and refuses TCP and UDP listeners", async () => {
    const certificate = await insertTestCertificate(bed, "policy-server", "SERVER");
    const httpsListener = await createListener(bed.ctx, newListenerInput(lbId, "HTTPS", 443, { serverCertificateId: certificate.id }));
    expect(await add(newPolicyInput(httpsListener.id, "on-https", { url: "/a" }))).toMatchObject({ listenerId: httpsListener.id });
    for (const protocol of ["TCP", "UDP"] as const) {
      const l4 = await createListener(bed.ctx, newListenerInput(lbId, protocol, 5000));
      await expectAppError(() => add(newPolicyInput(l4.id, "p", { url: "/a" })), { code: "BAD_REQUEST", field: "listenerId", message: new RegExp(`^Listener: forwarding policies are supported only for HTTP or HTTPS listeners; listener-${protocol.toLowerCase()}-5000 is a ${protocol} listener$`) }, counts);
    }
    await expectAppError(() => add(newPolicyInput("no-such-listener", "p", { url: "/a" })), { code: "NOT_FOUND", field: "listenerId", message: /^Listener: not found/ }, counts);
  });

  it("needs a Domain Name or a URL, each valid for its rule", async () => {
    const listener = await createHttpListener(bed, lbId, 81);
    changes = 0;
    const refuse = (match: Parameters<typeof newPolicyInput>[2], field: string, message: RegExp) => expectAppError(() => add(newPolicyInput(listener.id, "p", match)), { code: "BAD_REQUEST", field, message }, counts);
    await refuse({}, "domainName", /^Domain Name or URL: enter a domain name, a URL, or both \(table 3-7\)$/);
    await refuse({ domainName: "  ", url: "" }, "domainName", /^Domain Name or URL: enter a domain name/);
    for (const domainName of ["bad_name.com", "-a.example.com", "a..example.com", "a.example.com.", "*.example.com"])
      await refuse({ domainName }, "domainName", /^Domain Name: enter a host name such as www\.test\.com: letters, digits and hyphens/);
    await refuse({ domainName: `${"a".repeat(60)}.${"b".repeat(40)}` }, "domainName", /^Domain Name: can contain at most 100 characters$/);
    await refuse({ url: "login.php" }, "url", /^URL: must start with a slash \(\/\) for Exact match$/);
    await refuse({ url: "elb", urlMatchRule: "PREFIX" }, "url", /^URL: must start with a slash \(\/\) for Prefix match$/);
    await refuse({ url: "/a b" }, "url", /^URL: can contain only letters, digits and the URL path characters/);
    await refuse({ url: "/a?b=1" }, "url", /^URL: can contain only letters, digits and the URL path characters/);
    await refuse({ url: `/${"a".repeat(128)}` }, "url", /^URL: can contain at most 128 characters$/);
    await refuse({ url: "/a\u0007" }, "url", /^URL: cannot contain control characters/);
    await refuse({ url: "/elb(", urlMatchRule: "REGEX" }, "url", /^URL: not a valid regular expression \(RE2 syntax\): missing closing \): `\/elb\(`$/);
    await refuse({ url: "/(?=admin)", urlMatchRule: "REGEX" }, "url", /^URL: not a valid regular expression \(RE2 syntax\): invalid or unsupported Perl syntax: `\(\?=`$/);
    await refuse({ url: "/(a)\\1", urlMatchRule: "REGEX" }, "url", /^URL: not a valid regular expression \(RE2 syntax\): invalid escape sequence: `\\1`$/);
    await refuse({ url: "/é", urlMatchRule: "REGEX" }, "url", /^URL: a regular expression can contain only printable ASCII characters/);
    await refuse({ url: "/a", urlMatchRule: "GLOB" }, "urlMatchRule", /^URL Matching Rule: choose Exact match, Prefix match or Regular expression match$/);
    expect(changes).toBe(0);
    // A catastrophic-backtracking pattern is fine: RE2 matches in linear time.
    expect(await add(newPolicyInput(listener.id, "redos", { url: "(a+)+$", urlMatchRule: "REGEX" }))).toMatchObject({ url: "(a+)+$", urlMatchRule: "REGEX" });
    expect(await add(newPolicyInput(listener.id, "domain-only", { domainName: "www.test.com" }))).toMatchObject({ domainName: "www.test.com", url: null, urlMatchRule: "EXACT" });
  });

  it("refuses a new group that is not HTTP, and checks its sticky session and health check as HTTP", async () => {
    const listener = await createHttpListener(bed, lbId, 82);
    const withPool = (pool: Record<string, unknown>) => add(newPolicyInput(listener.id, "p", { url: "/a" }, { pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN", ...pool } }));
    await expectAppError(() => withPool({ protocol: "TCP" }), { field: "pool.protocol", message: /^Backend Protocol: can only be HTTP for a forwarding policy \(table 3-7\)$/ }, counts);
    await expectAppError(() => withPool({ stickySession: { type: "SOURCE_IP" } }), { field: "pool.stickySession.type", message: /^Sticky Session Type: choose Load balancer cookie or Application cookie/ }, counts);
    await expectAppError(() => withPool({ healthMonitor: { protocol: "UDP" } }), { field: "pool.healthMonitor.protocol", message: /^Protocol: choose TCP or HTTP for a HTTP backend server group$/ }, counts);
    expect((await withPool({ protocol: "HTTP", stickySession: { type: "HTTP_COOKIE" } })).pool.name).toBe("g");
  });

  it("refuses the same path (or the same domain-only condition) in two policies of a listener, naming the other policy", async () => {
    const listener = await createHttpListener(bed, lbId, 83);
    const other = await createHttpListener(bed, lbId, 84);
    await add(newPolicyInput(listener.id, "elb-exact", { url: "/elb" }));
    await add(newPolicyInput(listener.id, "domain", { domainName: "a.example.com" }));
    changes = 0;
    await expectAppError(() => add(newPolicyInput(listener.id, "elb-prefix", { url: "/elb", urlMatchRule: "PREFIX" })), { code: "CONFLICT", field: "url", message: /^URL: \/elb is already used by forwarding policy elb-exact of this listener; the same path can't be in two forwarding policies$/ }, counts);
    await expectAppError(() => add(newPolicyInput(listener.id, "elb-domain", { domainName: "b.example.com", url: "/elb" })), { code: "CONFLICT", field: "url", message: /already used by forwarding policy elb-exact/ }, counts);
    await expectAppError(() => add(newPolicyInput(listener.id, "domain-2", { domainName: "A.example.com" })), { code: "CONFLICT", field: "domainName", message: /^Domain Name: a\.example\.com without a URL is already forwarded by forwarding policy domain of this listener$/ }, counts);
    expect(changes).toBe(0);
    // Another listener has its own paths; the same domain with a URL is another condition.
    expect((await add(newPolicyInput(other.id, "elb-elsewhere", { url: "/elb" }))).url).toBe("/elb");
    expect((await add(newPolicyInput(listener.id, "domain-path", { domainName: "a.example.com", url: "/x" }))).url).toBe("/x");
  });
});

describe("Use existing backend server group", () => {
  it("takes an HTTP group of the load balancer that no listener has as default and no other listener's policy uses", async () => {
    const listener = await createHttpListener(bed, lbId, 90);
    const other = await createHttpListener(bed, lbId, 91);
    const otherLb = (await createTestLoadBalancer(bed, "elb-policies-2")).id;
    const free = await createPool(bed.ctx, { loadBalancerId: lbId, name: "free-http", protocol: "HTTP", algorithm: "ROUND_ROBIN" });
    const tcpGroup = await createPool(bed.ctx, { loadBalancerId: lbId, name: "tcp-group", protocol: "TCP", algorithm: "ROUND_ROBIN" });
    const foreign = await createPool(bed.ctx, { loadBalancerId: otherLb, name: "foreign-http", protocol: "HTTP", algorithm: "ROUND_ROBIN" });
    const othersPolicy = await add(newPolicyInput(other.id, "others", { url: "/o" }));
    const existing = (poolId: string, url: string) => add(newPolicyInput(listener.id, `p${url.replace("/", "-")}`, { url }, { pool: { mode: "existing", poolId } }));
    await expectAppError(() => existing(foreign.id, "/a"), { code: "NOT_FOUND", field: "pool.poolId", message: /^Backend Server Group: not found on this load balancer$/ }, counts);
    await expectAppError(() => existing(tcpGroup.id, "/a"), { code: "BAD_REQUEST", field: "pool.poolId", message: /^Backend Server Group: tcp-group uses TCP; a forwarding policy needs an HTTP backend server group$/ }, counts);
    await expectAppError(() => existing(other.pool!.id, "/a"), { code: "CONFLICT", field: "pool.poolId", message: /^Backend Server Group: default-91 is the default backend server group of listener listener-http-91; choose another group or create a new one$/ }, counts);
    await expectAppError(() => existing(listener.pool!.id, "/a"), { code: "CONFLICT", field: "pool.poolId", message: /is the default backend server group of listener listener-http-90/ }, counts);
    await expectAppError(() => existing(othersPolicy.pool.id, "/a"), { code: "CONFLICT", field: "pool.poolId", message: /^Backend Server Group: group-others is used by forwarding policy others of listener listener-http-91; choose another group or create a new one$/ }, counts);
    const a = await existing(free.id, "/a");
    // Policies of one listener may share a group.
    const b = await existing(free.id, "/b");
    expect([a.pool, b.pool]).toEqual([{ id: free.id, name: "free-http" }, { id: free.id, name: "free-http" }]);
    // The other way round: a group serving forwarding policies can't become a listener's default group.
    await expectAppError(
      () => createListener(bed.ctx, newListenerInput(lbId, "HTTP", 92, { pool: { mode: "existing", poolId: free.id } })),
      { code: "CONFLICT", field: "pool.poolId", message: /^Backend Server Group: free-http is used by forwarding policy p-a of listener listener-http-90; choose an unassociated group or create a new one$/ },
      counts,
    );
  });
});

describe("Modify and Delete Forwarding Policy", () => {
  it("changes name, match and group, checking the result as a whole; the place in the order stays", async () => {
    const listener = await createHttpListener(bed, lbId, 100);
    const one = await add(newPolicyInput(listener.id, "one", { url: "/one" }));
    const two = await add(newPolicyInput(listener.id, "two", { domainName: "two.example.com", url: "/two" }));
    const spare = await createPool(bed.ctx, { loadBalancerId: lbId, name: "spare-http", protocol: "HTTP", algorithm: "ROUND_ROBIN" });
    changes = 0;
    const updated = await updateForwardingPolicy(bed.ctx, { id: one.id, name: "one-b", url: "/one/.*", urlMatchRule: "REGEX", description: "d", poolId: spare.id });
    expect(changes).toBe(1);
    expect(updated).toMatchObject({ name: "one-b", url: "/one/.*", urlMatchRule: "REGEX", description: "d", pool: { id: spare.id }, position: 1 });
    const state = () => listForwardingPolicies(bed.ctx, { listenerId: listener.id });
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: one.id, url: "/two" }), { code: "CONFLICT", field: "url", message: /^URL: \/two is already used by forwarding policy two of this listener/ }, state);
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: one.id, url: null }), { code: "BAD_REQUEST", field: "domainName", message: /^Domain Name or URL: enter a domain name, a URL, or both/ }, state);
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: one.id, url: "/x(" }), { field: "url", message: /^URL: not a valid regular expression \(RE2 syntax\): missing closing \)/ }, state);
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: two.id, urlMatchRule: "PREFIX", url: "two" }), { field: "url", message: /^URL: must start with a slash \(\/\) for Prefix match$/ }, state);
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: two.id, poolId: listener.pool!.id }), { code: "CONFLICT", field: "poolId", message: /is the default backend server group of listener listener-http-100/ }, state);
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: two.id, domainName: "bad_domain" }), { field: "domainName", message: /^Domain Name: enter a host name/ }, state);
    // Keeping its own URL is not a duplicate; clearing the URL of a policy with a domain is fine.
    expect(await updateForwardingPolicy(bed.ctx, { id: two.id, url: "/two", name: "two-b" })).toMatchObject({ name: "two-b", url: "/two", position: 2 });
    // A Modify that does not send the description keeps it (the create schema's default("") must not clear it).
    expect(await updateForwardingPolicy(bed.ctx, { id: one.id, name: "one-c" })).toMatchObject({ name: "one-c", description: "d" });
    expect(await updateForwardingPolicy(bed.ctx, { id: two.id, url: null })).toMatchObject({ domainName: "two.example.com", url: null });
    await expectAppError(() => updateForwardingPolicy(bed.ctx, { id: "no-such-policy", name: "x" }), { code: "NOT_FOUND", field: "id", message: /^Forwarding Policy: not found/ }, state);
  });

  it("delete leaves the group, unassociated; a group serving a policy can't be deleted until then", async () => {
    const listener = await createHttpListener(bed, lbId, 101);
    const policy = await add(newPolicyInput(listener.id, "to-delete", { url: "/d" }));
    await expectAppError(
      () => deletePool(bed.ctx, { id: policy.pool.id }),
      { code: "PRECONDITION_FAILED", message: /^Backend server group group-to-delete cannot be deleted: forwarding policy to-delete of listener listener-http-101 uses it\. Delete the forwarding policy or give it another backend server group first\.$/ },
      counts,
    );
    changes = 0;
    expect(await deleteForwardingPolicy(bed.ctx, { id: policy.id })).toEqual({ id: policy.id, name: "to-delete", action: "REDIRECT_TO_POOL", poolId: policy.pool.id });
    expect(changes).toBe(1);
    expect(await getPool(bed.ctx, { id: policy.pool.id })).toMatchObject({ listener: null, forwardingPolicies: [] });
    expect(await listForwardingPolicies(bed.ctx, { listenerId: listener.id })).toEqual([]);
    await deletePool(bed.ctx, { id: policy.pool.id });
    await expectAppError(() => deleteForwardingPolicy(bed.ctx, { id: policy.id }), { code: "NOT_FOUND", message: /^Forwarding Policy: not found/ }, counts);
  });

  it("deleting the listener takes its policies; their groups stay", async () => {
    const listener = await createHttpListener(bed, lbId, 102);
    const policy = await add(newPolicyInput(listener.id, "goes-with-listener", { url: "/g" }));
    await deleteListener(bed.ctx, { id: listener.id });
    expect(await bed.ctx.db.select().from(forwardingPolicies).where(eq(forwardingPolicies.id, policy.id))).toEqual([]);
    expect(await getPool(bed.ctx, { id: policy.pool.id })).toMatchObject({ name: "group-goes-with-listener", forwardingPolicies: [] });
  });
});
