import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestPki, TEST_SECRET_KEY_HEX, type TestPki } from "@/engine/test-support/test-certificates";
import { createCertificate } from "../certificate/create-certificate";
import { createRedirect } from "../redirect/create-redirect";
import { addTestListener, createTesterBed, expectNothingLeft, runTest, type TesterBed } from "./test-support/tester-bed";

/**
 * The Client-IP tester on HTTPS (certificates made at run time, keys sealed with the console's secret
 * key, which the test engine gets as the console's engine does), with Mutual Authentication, and on a
 * redirected HTTP listener.
 */
let t: TesterBed;
let pki: TestPki;
let serverCertificateId: string;
let caCertificateId: string;
beforeAll(async () => {
  vi.stubEnv("ELB_SECRET_KEY", TEST_SECRET_KEY_HEX);
  [t, pki] = await Promise.all([createTesterBed(), createTestPki()]);
  const leaf = await pki.server({ commonName: "www.example.com" });
  serverCertificateId = (await createCertificate(t.bed.ctx, { name: "tester-server", type: "SERVER", content: leaf.chainPem, privateKey: leaf.keyPem, domainName: "www.example.com" })).id;
  caCertificateId = (await createCertificate(t.bed.ctx, { name: "tester-ca", type: "CA", content: pki.root.certPem, privateKey: "" })).id;
}, 120_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([t?.close(), pki?.cleanup()]);
});

describe("Test Client IP over TLS and redirects", () => {
  it("HTTPS: a real TLS request; the backend sees X-Forwarded-For 127.0.0.77 and X-Forwarded-Proto https", async () => {
    const id = await addTestListener(t, "HTTPS", { input: { serverCertificateId } });
    const result = await runTest(t, id);
    await expectNothingLeft(t, result);
    expect(result.reached, result.answer.problem ?? result.engineLog.join("\n")).toBe(true);
    expect(result.answer.status).toBe(200);
    const header = (name: string) => result.backend!.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header("x-forwarded-for")).toBe("127.0.0.77");
    expect(header("x-forwarded-proto")).toBe("https");
    expect(result.notes).toContain("TLS server name (SNI): www.example.com; the tester does not check the certificate.");
    expect(JSON.stringify(result)).not.toMatch(/BEGIN|PRIVATE|sealed/i);
  }, 20_000);

  it("HTTPS with Mutual Authentication: the tester has no client certificate, and the result shows the refusal", async () => {
    const id = await addTestListener(t, "HTTPS", { input: { serverCertificateId, caCertificateId } });
    const result = await runTest(t, id);
    await expectNothingLeft(t, result);
    expect(result.reached).toBe(false);
    expect(result.backend).toBeNull();
    expect(result.answer.problem).toMatch(/certificate|alert|handshake|reset|closed/i);
    expect(result.notes).toContain("Mutual Authentication is on: the tester has no client certificate, so the listener refuses it (see the answer).");
    expect(result.interpretation).toMatch(/^Nothing reached the backend: /);
  }, 20_000);

  it("a redirected HTTP listener: the result shows the 301 it answers, and nothing reaches a backend", async () => {
    const target = await addTestListener(t, "HTTPS", { input: { serverCertificateId } });
    const id = await addTestListener(t, "HTTP");
    await createRedirect(t.bed.ctx, { listenerId: id, name: "to-https", targetListenerId: target });
    const result = await runTest(t, id);
    await expectNothingLeft(t, result);
    expect(result.reached).toBe(false);
    expect(result.answer.status).toBe(301);
    expect(result.answer.location).toMatch(/^https:\/\/127\.10\.\d+\.\d+:\d+\/client-ip-test/);
    expect(result.interpretation).toMatch(/^Nothing reached the backend: the listener answered 301 \(Location: https:/);
    expect(result.notes.join(" ")).toMatch(/redirects every request to HTTPS port/);
  }, 20_000);
});
