import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { logIn } from "./log-in";
import { LoginThrottle } from "./login-throttle";
import { hashPassword, verifyPassword } from "./password";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await bed?.close();
});

const hashOf = async (username: string) => (await bed.ctx.db.select().from(users).where(eq(users.username, username)))[0]!.passwordHash;

describe("password hashing at OWASP's cost, with rehash on log-in", () => {
  it("logs in with a hash of the old parameters (N=2^14) and rewrites it with N=2^17, r=8, p=1 (real parameters)", { timeout: 60_000 }, async () => {
    vi.stubEnv("ELB_PASSWORD_HASH_COST", "real");
    const oldHash = await hashPassword("old-user-password", { N: 16384, r: 8, p: 1 });
    expect(oldHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    await bed.ctx.db.insert(users).values({ username: "old-user", role: "readonly", passwordHash: oldHash });
    const throttle = new LoginThrottle();
    await logIn(bed.ctx.db, { username: "old-user", password: "old-user-password" }, "127.0.6.1", throttle);
    const newHash = await hashOf("old-user");
    expect(newHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword("old-user-password", newHash)).toBe(true);
    // And it keeps working: the next log-in uses the new hash and leaves it alone.
    await logIn(bed.ctx.db, { username: "old-user", password: "old-user-password" }, "127.0.6.1", throttle);
    expect(await hashOf("old-user")).toBe(newHash);
    // A wrong password never rewrites the hash.
    await expect(logIn(bed.ctx.db, { username: "old-user", password: "wrong-password" }, "127.0.6.1", throttle)).rejects.toThrow("Incorrect");
    expect(await hashOf("old-user")).toBe(newHash);
  });

  it("refuses stored hashes with absurd parameters instead of allocating for them", async () => {
    expect(await verifyPassword("x", "scrypt$1073741824$8$1$AAAA$AAAA")).toBe(false);
    expect(await verifyPassword("x", "scrypt$abc$8$1$AAAA$AAAA")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
  });
});
