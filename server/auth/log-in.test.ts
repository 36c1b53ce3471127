import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { findSessionUser } from "./sessions";
import { logIn } from "./log-in";
import { LoginThrottle } from "./login-throttle";

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

});
