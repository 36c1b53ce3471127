import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { findSessionUser } from "./sessions";
import { logIn } from "./log-in";
import { LoginThrottle, MAX_FAILURES, WINDOW_MS } from "./login-throttle";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

describe("log in", () => {
  it("opens a session for the right password; the same refusal for a wrong password or an unknown user", async () => {
    const throttle = new LoginThrottle();
    const ok = await logIn(bed.ctx.db, { username: "admin", password: "test-admin-password" }, "127.0.0.5", throttle);
    expect(await findSessionUser(bed.ctx.db, ok.token)).toMatchObject({ username: "admin", role: "admin" });
    await expect(logIn(bed.ctx.db, { username: "admin", password: "wrong" }, "127.0.0.5", throttle)).rejects.toThrow("Incorrect user name or password");
    await expect(logIn(bed.ctx.db, { username: "nobody", password: "wrong" }, "127.0.0.5", throttle)).rejects.toThrow("Incorrect user name or password");
    await expect(logIn(bed.ctx.db, { username: "", password: "x" })).rejects.toMatchObject({ field: "username" });
  });

  it("refuses a user name from an address after repeated failures, until the window passes", async () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < MAX_FAILURES; i++)
      await expect(logIn(bed.ctx.db, { username: "admin", password: `guess-${i}` }, "127.0.0.6", throttle)).rejects.toThrow("Incorrect");
    // Even the right password is refused now; another address is not affected.
    await expect(logIn(bed.ctx.db, { username: "admin", password: "test-admin-password" }, "127.0.0.6", throttle)).rejects.toThrow(/Too many failed log-in attempts/);
    await logIn(bed.ctx.db, { username: "admin", password: "test-admin-password" }, "127.0.0.7", throttle);
    now += WINDOW_MS;
    await logIn(bed.ctx.db, { username: "admin", password: "test-admin-password" }, "127.0.0.6", throttle);
  });
});
