import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { logIn } from "./log-in";
import { LoginThrottle } from "./login-throttle";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const RIGHT = "test-admin-password";
const attempt = (throttle: LoginThrottle, ip: string, password: string, username = "admin") => logIn(bed.ctx.db, { username, password }, ip, throttle);

describe("login throttle (kept in the database, injected clock)", () => {
  it("delays an account from its 3rd consecutive failure (1 s doubling, capped at 30 s) whatever the address; the right password after the delay works", async () => {
    let now = 5_000_000;
    const throttle = new LoginThrottle(() => now);
    // Two failures from two addresses: no delay yet.
    await expect(attempt(throttle, "127.0.1.1", "guess-1")).rejects.toThrow("Incorrect user name or password");
    await expect(attempt(throttle, "127.0.1.2", "guess-2")).rejects.toThrow("Incorrect user name or password");
    await attempt(throttle, "127.0.1.3", RIGHT); // a success resets the account's count
    for (let i = 0; i < 3; i++) await expect(attempt(throttle, `127.0.2.${i}`, `guess-${i}`)).rejects.toThrow("Incorrect");
    // 3rd consecutive failure: 1 s delay, for every address, even with the right password.
    await expect(attempt(throttle, "127.0.2.9", RIGHT)).rejects.toMatchObject({ code: "FORBIDDEN", message: /Too many failed log-in attempts.*1 second/ });
    now += 999;
    await expect(attempt(throttle, "127.0.2.8", RIGHT)).rejects.toThrow(/Too many failed log-in attempts/);
    now += 1;
    await expect(attempt(throttle, "127.0.2.7", "guess-4")).rejects.toThrow("Incorrect"); // 4th: 2 s
    now += 1_999;
    await expect(attempt(throttle, "127.0.2.6", RIGHT)).rejects.toThrow(/Too many/);
    now += 1;
    for (const wait of [4_000, 8_000, 16_000, 30_000, 30_000]) {
      await expect(attempt(throttle, "127.0.2.5", "another-guess")).rejects.toThrow("Incorrect");
      now += wait - 1;
      await expect(attempt(throttle, "127.0.2.4", RIGHT)).rejects.toThrow(/Too many/);
      now += 1;
    }
    // Not a lockout: once the delay has passed, the right password works from anywhere.
    const ok = await attempt(throttle, "127.0.2.3", RIGHT);
    expect(ok.user.username).toBe("admin");
    await expect(attempt(throttle, "127.0.2.3", "guess-after-success")).rejects.toThrow("Incorrect");
  });

  it("survives a restart: a new throttle on the same database keeps the delay", async () => {
    let now = 9_000_000;
    for (let i = 0; i < 3; i++) await expect(attempt(new LoginThrottle(() => now), "127.0.3.1", `guess-${i}`)).rejects.toThrow("Incorrect");
    await expect(attempt(new LoginThrottle(() => now), "127.0.3.2", RIGHT)).rejects.toThrow(/Too many/);
    now += 1_000;
    await attempt(new LoginThrottle(() => now), "127.0.3.2", RIGHT);
  });

  it("limits failures per address across user names, until its window passes; other addresses are not affected", async () => {
    let now = 20_000_000;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 30; i++) await expect(attempt(throttle, "127.0.4.1", "guess", `someone-${i}`)).rejects.toThrow("Incorrect");
    await expect(attempt(throttle, "127.0.4.1", RIGHT)).rejects.toMatchObject({ code: "FORBIDDEN", message: /Too many failed log-in attempts from your address.*15 minute/ });
    await attempt(throttle, "127.0.4.2", RIGHT);
    now += 15 * 60 * 1000;
    await attempt(throttle, "127.0.4.1", RIGHT);
  });
});

describe("login throttle and the clock", () => {
  it("never waits longer than the cap when the clock steps back", async () => {
    let now = 90_000_000;
    for (let i = 0; i < 9; i++) await expect(attempt(new LoginThrottle(() => now), "127.0.5.1", `guess-${i}`, "clock-user")).rejects.toThrow();
    now -= 60 * 60 * 1000;
    await expect(attempt(new LoginThrottle(() => now), "127.0.5.1", "guess", "clock-user")).rejects.toThrow(/Try again in 30 second/);
  });
});
