import { describe, expect, it } from "vitest";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileListeners } from "./compile-listeners";
import { listenerRow, poolRow, validRows } from "./test-rows";

const compile = (rows = validRows()) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { listeners: compileListeners(rows, (d) => diagnostics.push(d)), diagnostics };
};

describe("compileListeners", () => {
  it("binds each listener on its private IP and, when bound, its EIP, in id order", () => {
    const { listeners, diagnostics } = compile();
    expect(diagnostics).toEqual([]);
    expect(listeners).toEqual([
      { id: "l-bare", name: "listener-l-bare", loadBalancerId: "lb-a", protocol: "TCP", port: 9000, bindAddresses: ["127.10.0.5", "127.20.0.8"], defaultPoolId: null, idleTimeoutSeconds: 300 },
      { id: "l-http", name: "listener-l-http", loadBalancerId: "lb-a", protocol: "HTTP", port: 8080, bindAddresses: ["127.10.0.5", "127.20.0.8"], defaultPoolId: "p-http", idleTimeoutSeconds: 60 },
      { id: "l-udp", name: "listener-l-udp", loadBalancerId: "lb-b", protocol: "UDP", port: 53, bindAddresses: ["127.10.0.6"], defaultPoolId: "p-udp", idleTimeoutSeconds: 300 },
    ]);
  });

  it("leaves out a listener whose load balancer is missing, naming it", () => {
    const rows = validRows();
    rows.listeners.push(listenerRow("l-x", "lb-gone", { name: "web" }));
    const { listeners, diagnostics } = compile(rows);
    expect(listeners.map((l) => l.id)).toEqual(["l-bare", "l-http", "l-udp"]);
    expect(diagnostics).toEqual([{ kind: "listener", id: "l-x", name: "web", message: expect.stringMatching(/^its load balancer lb-gone does not exist; the listener is left out/) }]);
  });

  it("leaves out a listener whose default backend server group is missing or belongs to another load balancer", () => {
    const rows = validRows();
    rows.pools.push(poolRow("p-other", "lb-b", { name: "other-group" }));
    rows.listeners.push(listenerRow("l-missing", "lb-a", { port: 81, defaultPoolId: "p-gone" }), listenerRow("l-foreign", "lb-a", { port: 82, defaultPoolId: "p-other" }));
    const { listeners, diagnostics } = compile(rows);
    expect(listeners.map((l) => l.id)).toEqual(["l-bare", "l-http", "l-udp"]);
    expect(diagnostics.map((d) => [d.id, d.message])).toEqual([
      ["l-foreign", "its backend server group other-group belongs to another load balancer (lb-b); the listener is left out of the engine's configuration"],
      ["l-missing", "its backend server group p-gone does not exist; the listener is left out of the engine's configuration"],
    ]);
  });

  it("leaves out a listener with a port outside 1–65535", () => {
    const rows = validRows();
    rows.listeners.push(listenerRow("l-port", "lb-a", { port: 70000 }));
    const { diagnostics } = compile(rows);
    expect(diagnostics).toEqual([expect.objectContaining({ id: "l-port", message: expect.stringMatching(/^its frontend port 70000 is not between 1 and 65535/) })]);
  });
});
