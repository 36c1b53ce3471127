import { z } from "zod";
import type { ListenerProtocol, RealIpHeader, XForwardedForMode } from "@/db/schema/listeners";
import { DEFAULT_CLIENT_IP, type SnapshotClientIp } from "@/engine/protocol/snapshot.types";
import type { FieldIssue } from "../pool/pool.schemas";
import { parseTrustedIps } from "./trusted-ips";

/**
 * Client IP settings of a listener (issue 10; seeds 000, 001, 003, 004; guide 10.7.1): Transfer Client IP
 * Address (TCP/UDP), Proxy Protocol accept and Trusted IPs (TCP/HTTP/HTTPS), and for HTTP/HTTPS the
 * X-Forwarded-* headers sent and the Real IP Header believed from trusted peers. Shared by the services
 * and the forms, so the browser and the server give the same message.
 */

/** Guide words for the X-Forwarded-For modes. */
export const xForwardedForModeLabels: Record<XForwardedForMode, string> = { APPEND: "Append", REPLACE: "Replace", REMOVE: "Remove" };
/** Guide words for the Real IP Header choices (proxy_protocol as nginx and Kong spell it). */
export const realIpHeaderLabels: Record<RealIpHeader, string> = { NONE: "None", X_FORWARDED_FOR: "X-Forwarded-For", X_REAL_IP: "X-Real-IP", PROXY_PROTOCOL: "proxy_protocol" };

/**
 * The client IP columns of a listener, as a whole: Transfer Client IP Address (TCP/UDP; default off) and
 * the engine's settings (`SnapshotClientIp`, whose field docs say what each does), the X-Forwarded-For
 * mode named `xForwardedForMode` as its column is. Defaults: `DEFAULT_CLIENT_IP_SETTINGS`.
 */
export type ClientIpSettings = { transferClientIp: boolean } & Omit<SnapshotClientIp, "xForwardedFor"> & { xForwardedForMode: XForwardedForMode };

/** The engine's defaults under the listener's names (its X-Forwarded-For mode is `xForwardedFor` there). */
const { proxyProtocolAccept, trustedIps, xForwardedFor, ...headerDefaults } = DEFAULT_CLIENT_IP;

/**
 * What a listener gets when none of these is entered (the column defaults): Transfer Client IP Address
 * off, everything else as the engine does for a listener without client IP settings.
 */
export const DEFAULT_CLIENT_IP_SETTINGS: Readonly<ClientIpSettings> = Object.freeze({
  transferClientIp: false,
  proxyProtocolAccept,
  trustedIps: [...trustedIps],
  xForwardedForMode: xForwardedFor,
  ...headerDefaults,
});

/** Every client IP field, in form order. */
export const CLIENT_IP_FIELDS = Object.keys(DEFAULT_CLIENT_IP_SETTINGS) as (keyof ClientIpSettings)[];

const onOff = (label: string) => z.boolean({ error: `${label}: must be enabled (true) or disabled (false)` });

/** Trusted IPs as entered (comma-separated text or a list), parsed and normalised by `parseTrustedIps`. */
const trustedIpsSchema = z
  .union([z.string(), z.array(z.string())], { error: "Trusted IPs: enter IPv4 or IPv6 addresses or CIDR blocks separated by commas" })
  .transform((value, ctx) => {
    const parsed = parseTrustedIps(value);
    if (parsed.ok) return parsed.entries;
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });

/** The client IP fields of Add/Modify Listener, each optional (absent = default on Add, unchanged on Modify). */
export const clientIpFieldsSchema = z.object({
  transferClientIp: onOff("Transfer Client IP Address").optional(),
  proxyProtocolAccept: onOff("Proxy Protocol").optional(),
  trustedIps: trustedIpsSchema.optional(),
  xForwardedForMode: z.enum(["APPEND", "REPLACE", "REMOVE"], { error: "X-Forwarded-For: choose Append, Replace or Remove" }).optional(),
  xForwardedForTrustedOnly: onOff("Trust X-Forwarded-For only from trusted IPs").optional(),
  xForwardedProto: onOff("X-Forwarded-Proto").optional(),
  xForwardedPort: onOff("X-Forwarded-Port").optional(),
  xForwardedHost: onOff("X-Forwarded-Host").optional(),
  xRealIp: onOff("X-Real-IP").optional(),
  realIpHeader: z.enum(["NONE", "X_FORWARDED_FOR", "X_REAL_IP", "PROXY_PROTOCOL"], { error: "Real IP Header: choose None, X-Forwarded-For, X-Real-IP or proxy_protocol" }).optional(),
  realIpRecursive: onOff("Real IP Recursive").optional(),
});
/** The client IP fields as entered. */
export type ClientIpFieldsInput = z.input<typeof clientIpFieldsSchema>;
/** The client IP fields as parsed (Trusted IPs normalised). */
export type ClientIpFields = z.output<typeof clientIpFieldsSchema>;

const L4 = "available only for TCP and UDP listeners";
const PROXY_PROTOCOL_LISTENERS = "available only for TCP, HTTP and HTTPS listeners";
const L7 = "available only for HTTP and HTTPS listeners";

/** Which listeners take each field, and what a listener of another protocol is told (the guide's label first). */
const APPLIES: Record<keyof ClientIpSettings, { protocols: readonly ListenerProtocol[]; message: string }> = {
  transferClientIp: { protocols: ["TCP", "UDP"], message: `Transfer Client IP Address: ${L4}; HTTP and HTTPS listeners pass the client's address in X-Forwarded-For` },
  proxyProtocolAccept: { protocols: ["TCP", "HTTP", "HTTPS"], message: `Proxy Protocol: ${PROXY_PROTOCOL_LISTENERS}` },
  trustedIps: { protocols: ["TCP", "HTTP", "HTTPS"], message: `Trusted IPs: ${PROXY_PROTOCOL_LISTENERS}` },
  xForwardedForMode: { protocols: ["HTTP", "HTTPS"], message: `X-Forwarded-For: ${L7}` },
  xForwardedForTrustedOnly: { protocols: ["HTTP", "HTTPS"], message: `Trust X-Forwarded-For only from trusted IPs: ${L7}` },
  xForwardedProto: { protocols: ["HTTP", "HTTPS"], message: `X-Forwarded-Proto: ${L7}` },
  xForwardedPort: { protocols: ["HTTP", "HTTPS"], message: `X-Forwarded-Port: ${L7}` },
  xForwardedHost: { protocols: ["HTTP", "HTTPS"], message: `X-Forwarded-Host: ${L7}` },
  xRealIp: { protocols: ["HTTP", "HTTPS"], message: `X-Real-IP: ${L7}` },
  realIpHeader: { protocols: ["HTTP", "HTTPS"], message: `Real IP Header: ${L7}` },
  realIpRecursive: { protocols: ["HTTP", "HTTPS"], message: `Real IP Recursive: ${L7}` },
};

/** Whether a client IP field applies to a listener of this protocol (the form shows only those). */
export const clientIpFieldApplies = (field: keyof ClientIpSettings, protocol: ListenerProtocol) => APPLIES[field].protocols.includes(protocol);

const sameValue = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);

/**
 * The rules on the resulting settings of a listener: a field of another protocol may only keep its
 * default; Proxy Protocol and any Real IP Header but None need a Trusted IP (only trusted peers are
 * believed); proxy_protocol needs Proxy Protocol; "trusted only" is a choice of Append.
 */
export function clientIpIssues(protocol: ListenerProtocol, settings: ClientIpSettings): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of CLIENT_IP_FIELDS)
    if (!clientIpFieldApplies(field, protocol) && !sameValue(settings[field], DEFAULT_CLIENT_IP_SETTINGS[field])) issues.push({ path: [field], message: APPLIES[field].message });
  if (issues.length > 0) return issues;
  const noTrusted = settings.trustedIps.length === 0;
  if (settings.proxyProtocolAccept && noTrusted)
    issues.push({
      path: ["trustedIps"],
      message: "Trusted IPs: Proxy Protocol needs at least one trusted IP address or CIDR block (the proxies in front that send the PROXY header); enter them, or turn Proxy Protocol off",
    });
  if (settings.realIpHeader === "PROXY_PROTOCOL" && !settings.proxyProtocolAccept)
    issues.push({ path: ["realIpHeader"], message: "Real IP Header: proxy_protocol needs Proxy Protocol enabled on this listener" });
  else if (settings.realIpHeader !== "NONE" && noTrusted && !settings.proxyProtocolAccept)
    issues.push({
      path: ["trustedIps"],
      message: `Trusted IPs: Real IP Header ${realIpHeaderLabels[settings.realIpHeader]} needs at least one trusted IP address or CIDR block (the header is believed only from them)`,
    });
  if (settings.xForwardedForTrustedOnly && settings.xForwardedForMode !== "APPEND")
    issues.push({
      path: ["xForwardedForTrustedOnly"],
      message: `Trust X-Forwarded-For only from trusted IPs: applies only when X-Forwarded-For is Append (${xForwardedForModeLabels[settings.xForwardedForMode]} never keeps the client's header)`,
    });
  return issues;
}

/** The settings that result from `fields` over `current` (absent fields keep their value). */
export function mergeClientIp(current: ClientIpSettings, fields: ClientIpFields): ClientIpSettings {
  const merged = { ...current };
  for (const field of CLIENT_IP_FIELDS) if (fields[field] !== undefined) (merged as Record<string, unknown>)[field] = fields[field];
  return merged;
}

/** The client IP settings stored in a listener row. */
export function clientIpOf(row: ClientIpSettings): ClientIpSettings {
  const settings = {} as Record<string, unknown>;
  for (const field of CLIENT_IP_FIELDS) settings[field] = field === "trustedIps" ? [...row.trustedIps] : row[field];
  return settings as unknown as ClientIpSettings;
}
