import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { healthMonitors } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createPool } from "../pool/create-pool";
import { getPool } from "../pool/get-pool";
import { backendRowCounts, createTestLoadBalancer } from "../listener/test-fixtures";
import { createHealthMonitor } from "./create-health-monitor";
import { updateHealthMonitor } from "./update-health-monitor";
import { deleteHealthMonitor } from "./delete-health-monitor";

let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-health")).id;
});
afterAll(async () => {
  await bed?.close();
});

const counts = () => backendRowCounts(bed.ctx.db);
let seq = 0;
const newGroup = (protocol: "TCP" | "UDP" | "HTTP") => createPool(bed.ctx, { loadBalancerId: lbId, name: `hc-${++seq}`, protocol, algorithm: "ROUND_ROBIN" });
const CHECK_PATH_CHARACTERS = /Check Path: can contain only letters, digits and the URL characters - \. _ ~ ! \$ & ' \( \) \* \+ , ; = : @ % \/ \? #/;
const monitorOf = async (poolId: string) => (await bed.ctx.db.select().from(healthMonitors).where(eq(healthMonitors.poolId, poolId)))[0];

describe("Configure Health Check on a group without one (table 5-1)", () => {
  it("uses the defaults: the backend protocol, interval 5, timeout 3, path /, retries 3, codes 200,202,401", async () => {
    for (const protocol of ["TCP", "UDP", "HTTP"] as const) {
      const group = await newGroup(protocol);
      const view = await createHealthMonitor(bed.ctx, { poolId: group.id });
      expect(view).toMatchObject({ enabled: true, protocol, intervalSeconds: 5, timeoutSeconds: 3, path: "/", maxRetries: 3, domainName: null, port: null, expectedCodes: [200, 202, 401] });
    }
  });

  it("allows TCP or HTTP for TCP and HTTP groups and only UDP for UDP groups", async () => {
    expect((await createHealthMonitor(bed.ctx, { poolId: (await newGroup("TCP")).id, protocol: "HTTP" })).protocol).toBe("HTTP");
    expect((await createHealthMonitor(bed.ctx, { poolId: (await newGroup("HTTP")).id, protocol: "TCP" })).protocol).toBe("TCP");
    const udp = await newGroup("UDP");
    for (const protocol of ["TCP", "HTTP"])
      await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: udp.id, protocol }), { field: "protocol", message: /Protocol: a UDP backend server group is checked with UDP/ }, counts);
    const tcp = await newGroup("TCP");
    await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: tcp.id, protocol: "UDP" }), { field: "protocol", message: /Protocol: choose TCP or HTTP for a TCP backend server group/ }, counts);
    await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: tcp.id, protocol: "ICMP" }), { field: "protocol", message: /Protocol: choose TCP or HTTP/ }, counts);
  });

  it("refuses out-of-range values, naming the field", async () => {
    const group = await newGroup("HTTP");
    const bad = (fields: Record<string, unknown>) => createHealthMonitor(bed.ctx, { poolId: group.id, ...fields });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ intervalSeconds: 0 }, "intervalSeconds", /Interval \(s\): must be a whole number between 1 and 50/],
      [{ intervalSeconds: 51 }, "intervalSeconds", /Interval \(s\): must be a whole number between 1 and 50/],
      [{ timeoutSeconds: 0 }, "timeoutSeconds", /Timeout \(s\): must be a whole number between 1 and 50/],
      [{ timeoutSeconds: 51 }, "timeoutSeconds", /Timeout \(s\): must be a whole number between 1 and 50/],
      [{ maxRetries: 0 }, "maxRetries", /Maximum Retries: must be a whole number between 1 and 10/],
      [{ maxRetries: 11 }, "maxRetries", /Maximum Retries: must be a whole number between 1 and 10/],
      [{ port: 0 }, "port", /Port: must be a whole number between 1 and 65535/],
      [{ port: 65536 }, "port", /Port: must be a whole number between 1 and 65535/],
      [{ path: "" }, "path", /Check Path: enter 1 to 80 characters starting with a slash/],
      [{ path: "index.html" }, "path", /Check Path: must start with a slash/],
      [{ path: `/${"a".repeat(80)}` }, "path", /Check Path: can contain at most 80 characters/],
      [{ path: "/a b" }, "path", CHECK_PATH_CHARACTERS],
      [{ domainName: "-elb.com" }, "domainName", /Domain Name: can contain only digits, letters, hyphens \(-\) and periods \(\.\), and must start with a digit or letter/],
      [{ domainName: "www_elb.com" }, "domainName", /Domain Name: can contain only/],
      [{ expectedCodes: [] }, "expectedCodes", /Expected Codes: enter at least one/],
      [{ expectedCodes: [99] }, "expectedCodes.0", /Expected Codes: must be a whole number between 100 and 599/],
    ];
    for (const [fields, field, message] of cases) await expectAppError(() => bad(fields), { code: "BAD_REQUEST", field, message }, counts);
    const ok = await bad({ intervalSeconds: 50, timeoutSeconds: 50, maxRetries: 10, port: 65535, path: `/${"a".repeat(79)}`, domainName: "1www.elb-x.com", expectedCodes: [200, 301] });
    expect(ok).toMatchObject({ intervalSeconds: 50, timeoutSeconds: 50, maxRetries: 10, port: 65535, domainName: "1www.elb-x.com", expectedCodes: [200, 301] });
  });

  it("Check Path: only URL path characters, so the engine can send it (no spaces, control or non-ASCII characters)", async () => {
    const group = await newGroup("HTTP");
    const bad = ["/健康", "/café", "/a b", "/a\tb", "/a\u0000b", "/a\nb", "/a\u007fb", "/a\u0085b", "/a\"b", "/a<b>", "/a\\b", "/a^b", "/a`b", "/a{b}", "/a|b", "/a[b]"];
    for (const path of bad) {
      await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: group.id, path }), { code: "BAD_REQUEST", field: "path", message: CHECK_PATH_CHARACTERS }, counts);
      await expectAppError(() => createPool(bed.ctx, { loadBalancerId: lbId, name: `hc-${++seq}`, protocol: "HTTP", algorithm: "ROUND_ROBIN", healthMonitor: { path } }), { field: "healthMonitor.path", message: CHECK_PATH_CHARACTERS }, counts);
    }
    expect((await createHealthMonitor(bed.ctx, { poolId: group.id, path: "/health?x=1" })).path).toBe("/health?x=1");
    for (const path of ["/%E5%81%A5%E5%BA%B7", "/a-b.c_d~e!f$g&h'i(j)k*l+m,n;o=p:q@r/s?t#u", "/"]) expect((await updateHealthMonitor(bed.ctx, { poolId: group.id, path })).path).toBe(path);
    await expectAppError(() => updateHealthMonitor(bed.ctx, { poolId: group.id, path: "/健康" }), { field: "path", message: CHECK_PATH_CHARACTERS }, () => getPool(bed.ctx, { id: group.id }));
    expect((await monitorOf(group.id))?.path).toBe("/");
  });

  it("takes Domain Name and Check Path only for HTTP checks", async () => {
    const group = await newGroup("TCP");
    await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: group.id, protocol: "TCP", domainName: "www.elb.com" }), { field: "domainName", message: /Domain Name: can be set only when the health check Protocol is HTTP/ }, counts);
    await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: group.id, protocol: "TCP", path: "/health" }), { field: "path", message: /Check Path: can be set only when the health check Protocol is HTTP/ }, counts);
  });

  it("stores a timeout above the interval as the interval (table 5-1 note)", async () => {
    const group = await newGroup("TCP");
    expect(await createHealthMonitor(bed.ctx, { poolId: group.id, intervalSeconds: 5, timeoutSeconds: 10 })).toMatchObject({ intervalSeconds: 5, timeoutSeconds: 5 });
  });

  it("refuses a second health check on the same group", async () => {
    const group = await newGroup("TCP");
    await createHealthMonitor(bed.ctx, { poolId: group.id });
    await expectAppError(() => createHealthMonitor(bed.ctx, { poolId: group.id }), { code: "CONFLICT", field: "poolId", message: /already has a health check/ }, counts);
  });
});

describe("Configure an existing health check", () => {
  it("changes settings, keeps the protocol, and disables/enables without losing the settings (guide 5.2)", async () => {
    const group = await newGroup("HTTP");
    await createHealthMonitor(bed.ctx, { poolId: group.id, protocol: "HTTP", path: "/health", domainName: "www.elb.com" });
    const snapshot = () => monitorOf(group.id);
    await expectAppError(() => updateHealthMonitor(bed.ctx, { poolId: group.id, protocol: "TCP" }), { field: "protocol", message: /Protocol: the health check protocol cannot be changed once set \(it is HTTP\)/ }, snapshot);
    await expectAppError(() => updateHealthMonitor(bed.ctx, { poolId: group.id, intervalSeconds: 60 }), { field: "intervalSeconds", message: /between 1 and 50/ }, snapshot);
    const changed = await updateHealthMonitor(bed.ctx, { poolId: group.id, protocol: "HTTP", intervalSeconds: 2, timeoutSeconds: 9, maxRetries: 10, port: 8081, expectedCodes: [200] });
    expect(changed).toMatchObject({ protocol: "HTTP", path: "/health", domainName: "www.elb.com", intervalSeconds: 2, timeoutSeconds: 2, maxRetries: 10, port: 8081, expectedCodes: [200] });
    const disabled = await updateHealthMonitor(bed.ctx, { poolId: group.id, enabled: false });
    expect(disabled).toMatchObject({ enabled: false, path: "/health", port: 8081 });
    expect((await getPool(bed.ctx, { id: group.id })).healthMonitor?.enabled).toBe(false);
    const cleared = await updateHealthMonitor(bed.ctx, { poolId: group.id, enabled: true, domainName: "", port: null });
    expect(cleared).toMatchObject({ enabled: true, domainName: null, port: null });
  });

  it("refuses HTTP-only fields on a TCP check and a group without a check", async () => {
    const group = await newGroup("TCP");
    await createHealthMonitor(bed.ctx, { poolId: group.id });
    await expectAppError(() => updateHealthMonitor(bed.ctx, { poolId: group.id, domainName: "www.elb.com" }), { field: "domainName", message: /only when the health check Protocol is HTTP/ }, () => monitorOf(group.id));
    const bare = await newGroup("TCP");
    await expectAppError(() => updateHealthMonitor(bed.ctx, { poolId: bare.id, enabled: true }), { code: "NOT_FOUND", field: "poolId", message: /has no health check yet/ }, counts);
  });

  it("deletes a health check (API), after which a new protocol can be chosen", async () => {
    const group = await newGroup("TCP");
    await createHealthMonitor(bed.ctx, { poolId: group.id, protocol: "TCP" });
    await deleteHealthMonitor(bed.ctx, { poolId: group.id });
    expect(await monitorOf(group.id)).toBeUndefined();
    await expectAppError(() => deleteHealthMonitor(bed.ctx, { poolId: group.id }), { code: "NOT_FOUND", message: /has no health check/ }, counts);
    expect((await createHealthMonitor(bed.ctx, { poolId: group.id, protocol: "HTTP" })).protocol).toBe("HTTP");
  });
});
