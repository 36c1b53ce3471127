import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { traces, users } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { appRouter, createCaller } from "./root";
import type { TraceMeta } from "./init";

// Every mutation of the root router, found by walking it (a new one is covered without editing this file).
interface ProcedureDef {
  _def: { type: string; meta?: TraceMeta };
}
const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>)
  .filter(([, procedure]) => procedure._def.type === "mutation")
  .map(([path, procedure]) => ({ path, trace: procedure._def.meta?.trace }));

/** Mutations on the caller's own account (`selfServiceMutationProcedure`): open to read-only users too. */
const SELF_SERVICE = new Set(["user.changePassword"]);
const adminOnly = mutations.filter((m) => !SELF_SERVICE.has(m.path));

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
  await bed.ctx.db.insert(users).values({ username: "viewer", passwordHash: "x", role: "readonly" });
});
afterAll(async () => {
  await bed?.close();
});

type Call = (input: unknown) => Promise<unknown>;
function procedureOf(role: "admin" | "readonly", path: string): Call {
  const caller = createCaller({ ...bed.ctx, user: { ...bed.ctx.user, username: role === "admin" ? "admin" : "viewer", role }, sourceIp: "127.0.0.5" });
  return path.split(".").reduce((node: unknown, key) => (node as Record<string, unknown>)[key], caller) as Call;
}
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => ({ code: "OK", status: 200, message: "" }),
    (error: { code?: string; message?: string; cause?: unknown }) => ({ code: error.code ?? "?", status: 0, message: error.message ?? "" }),
  );
const tracesOf = async (traceName: string, userName: string, code: string) =>
  (await bed.ctx.db.select({ n: count() }).from(traces).where(and(eq(traces.traceName, traceName), eq(traces.userName, userName), eq(traces.code, code))))[0]!.n;
const STATUS: Record<string, string> = { OK: "200", BAD_REQUEST: "400", FORBIDDEN: "403", NOT_FOUND: "404", CONFLICT: "409", PRECONDITION_FAILED: "412" };

describe("every mutation of the root router is audited and administrator-only", () => {
  it("finds the mutations", () => {
    expect(mutations.length).toBeGreaterThan(20);
    expect(adminOnly.length).toBeGreaterThanOrEqual(mutations.length - SELF_SERVICE.size);
  });

  it.each(mutations)("$path declares meta.trace", ({ trace }) => {
    expect(trace?.name).toMatch(/\S/);
    expect(trace?.resourceType).toMatch(/\S/);
  });

  it.each(adminOnly)("$path: a read-only user gets FORBIDDEN and a 403 warning trace", async ({ path, trace }) => {
    const before = await tracesOf(trace!.name, "viewer", "403");
    const result = await outcome(procedureOf("readonly", path)({ id: "00000000-0000-4000-8000-000000000000", name: "viewer-try" }));
    expect(result.code).toBe("FORBIDDEN");
    expect(await tracesOf(trace!.name, "viewer", "403")).toBe(before + 1);
  });

  it.each(mutations)("$path: an administrator's call writes its trace (minimal input, an unknown id)", async ({ path, trace }) => {
    for (const input of [{}, { id: "00000000-0000-4000-8000-000000000000" }]) {
      const result = await outcome(procedureOf("admin", path)(input));
      expect(result.code, `${path} ${JSON.stringify(input)}: ${result.message}`).not.toBe("INTERNAL_SERVER_ERROR");
      const code = STATUS[result.code]!;
      expect(code, result.code).toBeDefined();
      expect(await tracesOf(trace!.name, "admin", code), `${path} traced ${code}`).toBeGreaterThan(0);
    }
  });

  it.each(adminOnly)("$path: U+0000 in any field answers 400 naming it, traced", async ({ path, trace }) => {
    const before = await tracesOf(trace!.name, "admin", "400");
    const result = await outcome(procedureOf("admin", path)({ id: "00000000-0000-4000-8000-000000000000", extra: { name: "a\u0000b" } }));
    expect(result).toMatchObject({ code: "BAD_REQUEST", message: "extra.name: cannot contain the NUL character (U+0000)" });
    expect(await tracesOf(trace!.name, "admin", "400")).toBe(before + 1);
  });
});
