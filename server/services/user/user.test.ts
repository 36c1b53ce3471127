import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { sessions, users } from "@/db/schema";
import { verifyPassword } from "../../auth/password";
import { createSession } from "../../auth/sessions";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createUser } from "./create-user";
import { deleteUser } from "./delete-user";
import { listUsers } from "./list-users";
import { updateUser } from "./update-user";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const allUsers = () => bed.ctx.db.select().from(users).orderBy(users.username);
const passwordHashOf = async (username: string) => (await bed.ctx.db.select().from(users).where(eq(users.username, username)))[0]!.passwordHash;

describe("users", () => {
  it("creates Administrator and Read-only users with hashed passwords and never lists the hash", async () => {
    const viewer = await createUser(bed.ctx, { username: "viewer.1", role: "readonly", password: "viewer-pass-1" });
    expect(viewer).toMatchObject({ username: "viewer.1", name: "viewer.1", role: "readonly" });
    expect(viewer).not.toHaveProperty("passwordHash");
    const hash = await passwordHashOf("viewer.1");
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain("viewer-pass-1");
    expect(await verifyPassword("viewer-pass-1", hash)).toBe(true);
    await createUser(bed.ctx, { username: "ops_2", role: "admin", password: "ops-pass-22" });
    const list = await listUsers(bed.ctx);
    expect(list.map((u) => [u.username, u.role])).toEqual([
      ["admin", "admin"],
      ["ops_2", "admin"],
      ["viewer.1", "readonly"],
    ]);
    expect(JSON.stringify(list)).not.toContain("scrypt");
  });

  it("rejects bad user names, short passwords, unknown roles and duplicates, naming the field, and writes nothing", async () => {
    const ok = { username: "new-user", role: "readonly", password: "long-enough" };
    await expectAppError(() => createUser(bed.ctx, { ...ok, username: "" }), { code: "BAD_REQUEST", field: "username", message: /User name: enter 1 to 32/ }, allUsers);
    await expectAppError(() => createUser(bed.ctx, { ...ok, username: "u".repeat(33) }), { field: "username", message: /at most 32/ }, allUsers);
    await expectAppError(() => createUser(bed.ctx, { ...ok, username: "bad name" }), { field: "username", message: /only letters, digits, underscores \(_\), periods \(\.\) and hyphens/ }, allUsers);
    await expectAppError(() => createUser(bed.ctx, { ...ok, username: "中文" }), { field: "username", message: /only letters/ }, allUsers);
    await expectAppError(() => createUser(bed.ctx, { ...ok, password: "1234567" }), { field: "password", message: /Password: must contain at least 8 characters/ }, allUsers);
    await expectAppError(() => createUser(bed.ctx, { ...ok, role: "root" }), { field: "role", message: /Role: choose Administrator or Read-only/ }, allUsers);
    await expectAppError(() => createUser(bed.ctx, { ...ok, username: "viewer.1" }), { code: "CONFLICT", field: "username", message: /viewer\.1 already exists/ }, allUsers);
  });

  it("resets a password and signs that user out", async () => {
    const viewer = (await listUsers(bed.ctx)).find((u) => u.username === "viewer.1")!;
    await createSession(bed.ctx.db, viewer.id);
    await updateUser(bed.ctx, { id: viewer.id, password: "a-new-password" });
    expect(await verifyPassword("a-new-password", await passwordHashOf("viewer.1"))).toBe(true);
    expect(await bed.ctx.db.select().from(sessions).where(eq(sessions.userId, viewer.id))).toEqual([]);
    await expectAppError(() => updateUser(bed.ctx, { id: viewer.id, password: "short" }), { field: "password", message: /at least 8/ }, allUsers);
    await expectAppError(() => updateUser(bed.ctx, { id: viewer.id }), { field: "password", message: /Enter a new password or choose a role/ }, allUsers);
  });

  it("changes roles, but never your own and never the last administrator's", async () => {
    const list = await listUsers(bed.ctx);
    const ops = list.find((u) => u.username === "ops_2")!;
    await expectAppError(() => updateUser(bed.ctx, { id: bed.ctx.user.id, role: "readonly" }), { code: "FORBIDDEN", field: "role", message: /your own role/ }, allUsers);
    expect(await updateUser(bed.ctx, { id: ops.id, role: "readonly" })).toMatchObject({ role: "readonly" });
    // Seen from ops_2 (were it still an administrator): the admin is now the last one.
    const asOps = { ...bed.ctx, user: { id: ops.id, username: "ops_2", role: "admin" as const } };
    await expectAppError(() => updateUser(asOps, { id: bed.ctx.user.id, role: "readonly" }), { code: "PRECONDITION_FAILED", field: "role", message: /last administrator/ }, allUsers);
    await updateUser(bed.ctx, { id: ops.id, role: "admin" });
  });

  it("deletes a user, but never yourself and never the last administrator", async () => {
    const list = await listUsers(bed.ctx);
    await expectAppError(() => deleteUser(bed.ctx, { id: bed.ctx.user.id }), { code: "PRECONDITION_FAILED", message: /cannot delete the user you are logged in as/ }, allUsers);
    const viewer = list.find((u) => u.username === "viewer.1")!;
    expect(await deleteUser(bed.ctx, { id: viewer.id })).toEqual({ id: viewer.id, name: "viewer.1" });
    const ops = list.find((u) => u.username === "ops_2")!;
    await deleteUser(bed.ctx, { id: ops.id });
    const asGhost = { ...bed.ctx, user: { id: "someone-else", username: "ghost", role: "admin" as const } };
    await expectAppError(() => deleteUser(asGhost, { id: bed.ctx.user.id }), { code: "PRECONDITION_FAILED", message: /last administrator and cannot be deleted/ }, allUsers);
    await expectAppError(() => deleteUser(bed.ctx, { id: "nope" }), { code: "NOT_FOUND", message: /User: not found/ }, allUsers);
  });
});
