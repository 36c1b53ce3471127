import { afterEach, describe, expect, it, vi } from "vitest";
import { skipLoudly } from "./skip-loudly";

describe("skipLoudly", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("runs when nothing is missing, skips with the reason outside CI, and fails under CI", () => {
    vi.stubEnv("CI", "");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(skipLoudly("a.test", null)).toBe(false);
    expect(skipLoudly("a.test", "nginx not installed")).toBe(true);
    expect(errors).toHaveBeenCalledWith("[a.test] SKIPPED: nginx not installed");
    vi.stubEnv("CI", "true");
    expect(skipLoudly("a.test", null)).toBe(false);
    expect(() => skipLoudly("a.test", "nginx not installed")).toThrow("[a.test] cannot run under CI: nginx not installed");
    errors.mockRestore();
  });
});
