import { describe, expect, it } from "vitest";
import { TicketKeys } from "./ticket-keys";

describe("TicketKeys", () => {
  it("every holder of one secret derives the same 48-byte key per period, another key the next period", () => {
    const a = new TicketKeys(Buffer.alloc(32, 7), 1000);
    const b = new TicketKeys(Buffer.from(a.secret), 1000);
    expect(a.periodAt(5_999)).toBe(5);
    expect(a.periodAt(6_000)).toBe(6);
    expect(a.keyOf(5)).toHaveLength(48);
    expect(a.keyOf(5).equals(b.keyOf(5))).toBe(true);
    expect(a.keyOf(5).equals(a.keyOf(6))).toBe(false);
    expect(a.keyOf(5).equals(new TicketKeys(Buffer.alloc(32, 8), 1000).keyOf(5))).toBe(false);
  });

  it("a fresh secret by default; a short secret or a bad period is refused", () => {
    expect(new TicketKeys().secret.equals(new TicketKeys().secret)).toBe(false);
    expect(() => new TicketKeys(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => new TicketKeys(Buffer.alloc(32), 0)).toThrow(/period/);
  });
});
