import type { SnapshotListener } from "../../protocol/snapshot.types";
import { httpPool, startProxy, type ProxyFixture } from "./http-fixture";
import { startRawBackend, type RawBackend } from "./raw-backend";

/** A raw recording backend and an HTTP proxy in front of it (one member "b"), for parser tests. */
export interface RawProxy {
  backend: RawBackend;
  proxy: ProxyFixture;
  close(): Promise<void>;
}

/** Starts the raw backend, then the proxy routing to it (its listener config with `listener` over the defaults). */
export async function startRawProxy(listener: Partial<SnapshotListener> = {}): Promise<RawProxy> {
  const backend = await startRawBackend();
  const proxy = await startProxy(httpPool([{ id: "b", port: backend.port }]), {}, listener);
  return {
    backend,
    proxy,
    async close() {
      await proxy.close();
      await backend.close();
    },
  };
}
