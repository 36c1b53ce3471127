import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirects, projects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createListener } from "../listener/create-listener";
import { getListener } from "../listener/get-listener";
import { createTestLoadBalancer, insertTestCertificate, newListenerInput } from "../listener/test-fixtures";
import { createRedirect } from "./create-redirect";
import { updateRedirect } from "./update-redirect";
import { deleteRedirect } from "./delete-redirect";
import { listRedirects } from "./list-redirects";

/** Redirects (guide 3.8.4, table 3-9): an HTTP listener to an HTTPS listener of the same load balancer, one per listener. */
let bed: ServiceTestBed;
let changes = 0;
let lbId: string;
let serverCertificateId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
  lbId = (await createTestLoadBalancer(bed, "elb-redirects")).id;
  serverCertificateId = (await insertTestCertificate(bed, "redirect-server", "SERVER")).id;
});
afterAll(async () => {
  await bed?.close();
});

const rows = () => bed.ctx.db.select().from(redirects);
const listener = (protocol: "TCP" | "HTTP" | "HTTPS", port: number, lb = lbId) => createListener(bed.ctx, newListenerInput(lb, protocol, port, protocol === "HTTPS" ? { serverCertificateId } : {}));

describe("Create, Modify and Delete Redirect", () => {
  it("creates, renames, retargets and deletes a redirect, signalling each change", async () => {
    const http = await listener("HTTP", 80);
    const httpsA = await listener("HTTPS", 443);
    const httpsB = await listener("HTTPS", 8443);
    changes = 0;
    const created = await createRedirect(bed.ctx, { listenerId: http.id, name: "redirect-g8h9", targetListenerId: httpsA.id, description: "to TLS" });
    expect(changes).toBe(1);
    expect(created).toMatchObject({ listenerId: http.id, name: "redirect-g8h9", description: "to TLS", action: "REDIRECT_TO_LISTENER", targetListener: { id: httpsA.id, name: httpsA.name, protocol: "HTTPS", port: 443 } });
    expect(await listRedirects(bed.ctx, { listenerId: http.id })).toEqual([created]);
    expect((await getListener(bed.ctx, { id: http.id })).redirect).toEqual({ id: created.id, name: "redirect-g8h9", description: "to TLS", targetListener: { id: httpsA.id, name: httpsA.name, port: 443 } });

    // A Modify that does not send the description keeps it (the create schema's default("") must not clear it).
    expect(await updateRedirect(bed.ctx, { id: created.id, name: "redirect-a" })).toMatchObject({ name: "redirect-a", description: "to TLS" });
    changes = 1;
    const updated = await updateRedirect(bed.ctx, { id: created.id, name: "redirect-b", description: "", targetListenerId: httpsB.id });
    expect(changes).toBe(2);
    expect(updated).toMatchObject({ name: "redirect-b", description: "", targetListener: { id: httpsB.id, port: 8443 } });
    expect((await getListener(bed.ctx, { id: httpsA.id })).redirectedFrom).toEqual([]);
    expect((await getListener(bed.ctx, { id: httpsB.id })).redirectedFrom).toEqual([{ redirectId: created.id, redirectName: "redirect-b", listener: { id: http.id, name: http.name, port: 80 } }]);

    expect(await deleteRedirect(bed.ctx, { id: created.id })).toEqual({ id: created.id, name: "redirect-b", action: "REDIRECT_TO_LISTENER" });
    expect(changes).toBe(3);
    expect(await listRedirects(bed.ctx, { listenerId: http.id })).toEqual([]);
    await expectAppError(() => deleteRedirect(bed.ctx, { id: created.id }), { code: "NOT_FOUND", field: "id", message: /^Redirect: not found/ }, rows);
    await expectAppError(() => updateRedirect(bed.ctx, { id: created.id, name: "x" }), { code: "NOT_FOUND", field: "id", message: /^Redirect: not found/ }, rows);
  });

  it("redirects only HTTP listeners, once each, to an HTTPS listener of the same load balancer", async () => {
    const http = await listener("HTTP", 81);
    const https = await listener("HTTPS", 444);
    const tcp = await listener("TCP", 9000);
    const otherHttp = await listener("HTTP", 82);
    const foreign = await listener("HTTPS", 444, (await createTestLoadBalancer(bed, "elb-redirects-2")).id);
    changes = 0;
    const create = (listenerId: string, targetListenerId: string, name = "redirect-x") => createRedirect(bed.ctx, { listenerId, name, targetListenerId });
    await expectAppError(() => create(https.id, https.id), { code: "BAD_REQUEST", field: "listenerId", message: /^Listener: only an HTTP listener can be redirected; listener-https-444 is an HTTPS listener$/ }, rows);
    await expectAppError(() => create(tcp.id, https.id), { code: "BAD_REQUEST", field: "listenerId", message: /listener-tcp-9000 is a TCP listener$/ }, rows);
    await expectAppError(() => create(http.id, otherHttp.id), { code: "BAD_REQUEST", field: "targetListenerId", message: /^Redirected To: listener-http-82 is an HTTP listener; select an HTTPS listener of the same load balancer$/ }, rows);
    await expectAppError(() => create(http.id, tcp.id), { code: "BAD_REQUEST", field: "targetListenerId", message: /^Redirected To: listener-tcp-9000 is a TCP listener/ }, rows);
    await expectAppError(() => create(http.id, foreign.id), { code: "NOT_FOUND", field: "targetListenerId", message: /^Redirected To: listener not found on this load balancer; select an HTTPS listener of the same load balancer$/ }, rows);
    await expectAppError(() => create(http.id, "no-such-listener"), { code: "NOT_FOUND", field: "targetListenerId", message: /^Redirected To: listener not found/ }, rows);
    await expectAppError(() => create("no-such-listener", https.id), { code: "NOT_FOUND", field: "listenerId", message: /^Listener: not found/ }, rows);
    await expectAppError(() => create(http.id, https.id, "bad name"), { code: "BAD_REQUEST", field: "name", message: /^Name: can contain only letters, digits/ }, rows);
    await expectAppError(() => createRedirect(bed.ctx, { listenerId: http.id, name: "r", targetListenerId: "" }), { field: "targetListenerId", message: /^Redirected To: select an HTTPS listener$/ }, rows);
    expect(changes).toBe(0);
    const first = await create(http.id, https.id, "redirect-first");
    await expectAppError(() => create(http.id, https.id, "redirect-second"), { code: "CONFLICT", field: "listenerId", message: /^Listener listener-http-81 already has the redirect redirect-first; modify or delete it instead \(one redirect per listener\)$/ }, rows);
    await expectAppError(() => updateRedirect(bed.ctx, { id: first.id, targetListenerId: otherHttp.id }), { code: "BAD_REQUEST", field: "targetListenerId", message: /^Redirected To: listener-http-82 is an HTTP listener/ }, rows);
    await expectAppError(() => updateRedirect(bed.ctx, { id: first.id, targetListenerId: foreign.id }), { code: "NOT_FOUND", field: "targetListenerId", message: /^Redirected To: listener not found/ }, rows);
  });

  it("hides redirects of other projects", async () => {
    const http = await listener("HTTP", 83);
    const https = await listener("HTTPS", 445);
    const redirect = await createRedirect(bed.ctx, { listenerId: http.id, name: "redirect-mine", targetListenerId: https.id });
    const [project] = await bed.ctx.db.insert(projects).values({ name: "redirect-elsewhere" }).returning();
    const outsider = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } };
    expect(await listRedirects(outsider, { listenerId: http.id })).toEqual([]);
    await expectAppError(() => deleteRedirect(outsider, { id: redirect.id }), { code: "NOT_FOUND", message: /^Redirect: not found/ }, rows);
    await expectAppError(() => createRedirect(outsider, { listenerId: http.id, name: "r", targetListenerId: https.id }), { code: "NOT_FOUND", message: /^Listener: not found/ }, rows);
  });
});
