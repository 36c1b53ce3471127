import { describe, expect, it } from "vitest";
import { REDACTED_PRIVATE_KEY, redactSecrets } from "./redact";

const key = (label: string) => `-----BEGIN ${label}-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END ${label}-----\n`;
const certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";

describe("redactSecrets: private keys", () => {
  it("blanks fields named like secrets, and PEM private keys inside any other string, keeping the rest", () => {
    const body = redactSecrets({
      privateKey: key("PRIVATE KEY"),
      content: `${key("RSA PRIVATE KEY")}${certificate}`,
      nested: [{ note: `before ${key("EC PRIVATE KEY")} after` }],
      encrypted: { text: key("ENCRYPTED PRIVATE KEY") },
    });
    expect(body).toEqual({
      privateKey: "******",
      content: `${REDACTED_PRIVATE_KEY}\n${certificate}`,
      nested: [{ note: `before ${REDACTED_PRIVATE_KEY}\n after` }],
      encrypted: { text: `${REDACTED_PRIVATE_KEY}\n` },
    });
  });

  it("blanks a key whose END row is missing up to the end of the string, and leaves certificates alone", () => {
    expect(redactSecrets({ content: `${certificate}${key("PRIVATE KEY").slice(0, 60)}` })).toEqual({ content: `${certificate}${REDACTED_PRIVATE_KEY}` });
    expect(redactSecrets({ content: certificate })).toEqual({ content: certificate });
    expect(JSON.stringify(redactSecrets({ a: key("PRIVATE KEY").repeat(3) }))).not.toContain("MIIEvQ");
  });
});
