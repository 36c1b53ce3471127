import { expect, test } from "@playwright/test";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { addTcpListenerWithOneBackend, createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";

const PAYLOAD = Buffer.alloc(256 * 1024, 7);

/** A TCP backend that sends 256 KiB to every connection and closes it. */
async function startBulkBackend() {
  const server = net.createServer((socket) => socket.end(PAYLOAD));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Seconds to receive everything from host:port (connect → close). */
function download(host: string, port: number): Promise<{ seconds: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let bytes = 0;
    const socket = net.connect({ host, port });
    socket.setTimeout(15_000, () => socket.destroy(new Error("download timed out")));
    socket.on("data", (chunk: Buffer) => (bytes += chunk.length));
    socket.on("close", () => resolve({ seconds: (performance.now() - started) / 1000, bytes }));
    socket.on("error", reject);
  });
}

/** The EIP's bandwidth, set in the console, caps what clients receive through the EIP (not the private IP). */
test("EIP bandwidth set in the console limits traffic through the EIP", async ({ page }) => {
  test.setTimeout(90_000);
  const backend = await startBulkBackend();
  try {
    const name = uniqueName("e2e-bandwidth");
    const row = await createLoadBalancerInConsole(page, { name, networkType: "Public network", bandwidth: 1 });
    await row.getByRole("link", { name }).click();
    const basic = await page.getByLabel("Basic Information", { exact: true }).innerText();
    const privateIp = basic.match(/127\.10\.\d+\.\d+/)![0];
    const eip = basic.match(/127\.20\.\d+\.\d+/)![0];
    const port = await addTcpListenerWithOneBackend(page, backend.port);
    await expect.poll(async () => (await download(privateIp, port).catch(() => ({ bytes: 0 }))).bytes, { timeout: 10_000 }).toBe(PAYLOAD.length);

    // 256 KiB at 1 Mbit/s takes about 2 s through the EIP; the private IP is not limited.
    const viaPrivate = await download(privateIp, port);
    const viaEip = await download(eip, port);
    expect(viaPrivate.bytes).toBe(PAYLOAD.length);
    expect(viaEip.bytes).toBe(PAYLOAD.length);
    expect(viaPrivate.seconds).toBeLessThan(1);
    expect(viaEip.seconds).toBeGreaterThan(1.4);
    expect(viaEip.seconds).toBeLessThan(6);

    // Modify Bandwidth to 100 Mbit/s in the console: the EIP is fast again.
    await page.getByLabel("Basic Information", { exact: true }).getByRole("button", { name: "Modify" }).click();
    const modify = page.getByRole("dialog", { name: "Modify Bandwidth" });
    await modify.getByLabel("Bandwidth (Mbit/s)").fill("100");
    await modify.getByRole("button", { name: "Next" }).click();
    await modify.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByLabel("Basic Information", { exact: true })).toContainText("100 Mbit/s");
    await expect.poll(async () => (await download(eip, port)).seconds, { timeout: 10_000 }).toBeLessThan(1);
  } finally {
    await backend.close();
  }
});
