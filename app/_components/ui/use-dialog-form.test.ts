import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodFieldErrors } from "@/app/_lib/form-errors";
import { errorKey, keyedErrors } from "./use-dialog-form";

const onlyName = (field: string) => (field === "name" ? field : null);

/** Where a form dialog shows an error: under the field the form knows it by, else above the buttons. */
describe("dialog form errors", () => {
  it("keeps a field the form shows, and sends an unknown field or none above the buttons", () => {
    expect(errorKey("name", onlyName)).toBe("name");
    expect(errorKey("port", onlyName)).toBe("form");
    expect(errorKey(null, onlyName)).toBe("form");
    expect(errorKey("pool.poolId", (field) => field)).toBe("pool.poolId");
  });

  it("keys a schema's errors as the form shows them, the first message where two fields meet", () => {
    const schema = z.object({ name: z.string().min(1, "Name: required"), port: z.number().int("Port: a whole number"), weight: z.number().max(100, "Weight: at most 100") });
    const result = schema.safeParse({ name: "", port: 1.5, weight: 101 });
    expect(result.success).toBe(false);
    const byField = zodFieldErrors(result.error!);
    expect(keyedErrors(byField, onlyName)).toEqual({ name: "Name: required", form: "Port: a whole number" });
    expect(keyedErrors(byField, (field) => (field === "port" ? "frontend" : field))).toEqual({ name: "Name: required", frontend: "Port: a whole number", weight: "Weight: at most 100" });
  });
});
