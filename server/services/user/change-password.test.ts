import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq, sql } from "drizzle-orm";
import { loginThrottle as throttleTable, sessions, traces, users } from "@/db/schema";
import { verifyPassword } from "../../auth/password";
import { createSession, findSessionUser } from "../../auth/sessions";
import { createCaller } from "../../trpc/root";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createUser } from "./create-user";
import { updateUser } from "./update-user";
import { changeOwnPassword } from "./change-password";
import { LoginThrottle } from "../../auth/login-throttle";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const hashOf = async (id: string) => (await bed.ctx.db.select().from(users).where(eq(users.id, id)))[0]!.passwordHash;
const sessionIdsOf = async (userId: string) => (await bed.ctx.db.select().from(sessions).where(eq(sessions.userId, userId))).map((s) => s.id).sort();
const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;

/** A tRPC caller signed in through a real session of the user. */
async function signedIn(userId: string) {
  const { token } = await createSession(bed.ctx.db, userId);
  const user = (await findSessionUser(bed.ctx.db, token))!;
  return { token, caller: createCaller({ ...bed.ctx, user, sourceIp: "127.0.7.1" }) };
}

describe("Change Password (your own)", () => {
  it("lets a read-only user change their own password (current password required, policy applies), ends their other sessions, keeps this one, and is traced", async () => {
    const viewer = await createUser(bed.ctx, { username: "viewer-cp", role: "readonly", password: "viewer-old-pass" });
    const other = await createSession(bed.ctx.db, viewer.id);
    const { token, caller } = await signedIn(viewer.id);
    const before = await hashOf(viewer.id);
    await expect(caller.user.changePassword({ currentPassword: "not-the-password", newPassword: "viewer-new-pass" })).rejects.toMatchObject({ message: "Current Password: incorrect" });
    expect(await lastTrace()).toMatchObject({ traceName: "change password", resourceType: "user", userName: "viewer-cp", code: "400", status: "warning" });
    await expect(caller.user.changePassword({ currentPassword: "viewer-old-pass", newPassword: "short" })).rejects.toMatchObject({ message: /New Password: must contain at least 8 characters/ });
    await expect(caller.user.changePassword({ currentPassword: "viewer-old-pass", newPassword: "viewer-old-pass" })).rejects.toMatchObject({ message: /New Password: must differ from the current password/ });
    expect(await hashOf(viewer.id)).toBe(before);
    expect(await findSessionUser(bed.ctx.db, other.token)).not.toBeNull();

    await caller.user.changePassword({ currentPassword: "viewer-old-pass", newPassword: "viewer-new-pass" });
    expect(await verifyPassword("viewer-new-pass", await hashOf(viewer.id))).toBe(true);
    expect(await findSessionUser(bed.ctx.db, other.token)).toBeNull();
    expect(await findSessionUser(bed.ctx.db, token)).toMatchObject({ username: "viewer-cp" });
    const trace = await lastTrace();
    expect(trace).toMatchObject({ traceName: "change password", resourceType: "user", resourceId: viewer.id, resourceName: "viewer-cp", userName: "viewer-cp", code: "200", status: "normal" });
    expect(JSON.stringify(trace)).not.toContain("viewer-new-pass");
    expect(JSON.stringify(trace)).not.toContain("viewer-old-pass");
    // Read-only users still cannot change other users.
    await expect(caller.user.update({ id: bed.ctx.user.id, password: "hijacked-pass" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("an administrator's reset of another user ends all that user's sessions; resetting your own keeps only the current session", async () => {
    const ops = await createUser(bed.ctx, { username: "ops-cp", role: "admin", password: "ops-old-password" });
    await createSession(bed.ctx.db, ops.id);
    await createSession(bed.ctx.db, ops.id);
    await updateUser(bed.ctx, { id: ops.id, password: "ops-new-password" });
    expect(await sessionIdsOf(ops.id)).toEqual([]);

    const mine = await signedIn(ops.id);
    const elsewhere = await createSession(bed.ctx.db, ops.id);
    await mine.caller.user.update({ id: ops.id, password: "ops-newer-password" });
    expect(await findSessionUser(bed.ctx.db, elsewhere.token)).toBeNull();
    expect(await findSessionUser(bed.ctx.db, mine.token)).toMatchObject({ username: "ops-cp" });
  });
});

describe("Change Password and the log-in throttle", () => {
  it("delays guesses of the current password like log-in guesses (from the 3rd consecutive failure)", async () => {
    let now = 50_000_000;
    const throttle = new LoginThrottle(() => now);
    const guesser = await createUser(bed.ctx, { username: "guesser", role: "readonly", password: "guesser-pass-1" });
    const ctx = { ...bed.ctx, user: { id: guesser.id, username: "guesser", role: "readonly" as const } };
    for (let i = 0; i < 3; i++) await expect(changeOwnPassword(ctx, { currentPassword: `guess-${i}`, newPassword: "guesser-pass-2" }, throttle)).rejects.toThrow("Current Password: incorrect");
    await expect(changeOwnPassword(ctx, { currentPassword: "guesser-pass-1", newPassword: "guesser-pass-2" }, throttle)).rejects.toThrow(/Too many failed/);
    now += 1_000;
    await changeOwnPassword(ctx, { currentPassword: "guesser-pass-1", newPassword: "guesser-pass-2" }, throttle);
    expect(await verifyPassword("guesser-pass-2", await hashOf(guesser.id))).toBe(true);
  });
});

describe("Change Password runs in the audited transaction", () => {
  const tracesOf = async (userId: string) => bed.ctx.db.select().from(traces).where(and(eq(traces.traceName, "change password"), eq(traces.resourceId, userId)));
  const userFailures = async (username: string) =>
    (await bed.ctx.db.select().from(throttleTable).where(and(eq(throttleTable.scope, "user"), eq(throttleTable.key, username))))[0]?.failures ?? 0;
  /** Makes every trace insert fail for the duration of `body` (a trace store that cannot be written). */
  async function withTracesRefused(body: () => Promise<void>) {
    await bed.ctx.db.execute(sql`create or replace function elb_test_refuse_trace() returns trigger language plpgsql as $$ begin raise exception 'trace store unavailable'; end $$`);
    await bed.ctx.db.execute(sql`create trigger elb_test_refuse_trace before insert on traces for each row execute function elb_test_refuse_trace()`);
    try {
      await body();
    } finally {
      await bed.ctx.db.execute(sql`drop trigger elb_test_refuse_trace on traces`);
    }
  }

  it("a trace that cannot be written fails the call and writes nothing: password, sessions and throttle unchanged", async () => {
    const user = await createUser(bed.ctx, { username: "untraced-cp", role: "readonly", password: "untraced-old-pass" });
    const other = await createSession(bed.ctx.db, user.id);
    const { caller } = await signedIn(user.id);
    const before = await hashOf(user.id);
    await withTracesRefused(async () => {
      await expect(caller.user.changePassword({ currentPassword: "untraced-old-pass", newPassword: "untraced-new-pass" })).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
      // A wrong current password while traces fail: the same answer (no oracle) and no count kept.
      await expect(caller.user.changePassword({ currentPassword: "a-wrong-guess", newPassword: "untraced-new-pass" })).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    });
    expect(await hashOf(user.id)).toBe(before);
    expect(await findSessionUser(bed.ctx.db, other.token)).not.toBeNull();
    expect(await userFailures("untraced-cp")).toBe(0);
    expect(await tracesOf(user.id)).toEqual([]);

    // With the trace store back, the same call goes through and is traced once.
    await caller.user.changePassword({ currentPassword: "untraced-old-pass", newPassword: "untraced-new-pass" });
    expect(await verifyPassword("untraced-new-pass", await hashOf(user.id))).toBe(true);
    expect(await findSessionUser(bed.ctx.db, other.token)).toBeNull();
    expect(await tracesOf(user.id)).toEqual([expect.objectContaining({ code: "200", userName: "untraced-cp" })]);
  });

  it("a refused call commits its trace together with the refusal's own bookkeeping (the failed-guess count)", async () => {
    const user = await createUser(bed.ctx, { username: "refused-cp", role: "readonly", password: "refused-old-pass" });
    const { caller } = await signedIn(user.id);
    await expect(caller.user.changePassword({ currentPassword: "a-wrong-guess", newPassword: "refused-new-pass" })).rejects.toMatchObject({ message: "Current Password: incorrect" });
    expect(await userFailures("refused-cp")).toBe(1);
    expect(await tracesOf(user.id)).toEqual([expect.objectContaining({ code: "400", status: "warning" })]);
    await caller.user.changePassword({ currentPassword: "refused-old-pass", newPassword: "refused-new-pass" });
    expect(await userFailures("refused-cp")).toBe(0);
  });
});
