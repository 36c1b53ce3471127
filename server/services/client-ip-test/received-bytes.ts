import { decodeProxyHeader } from "@/engine/protocol/proxy-protocol/decode";
import type { ProxyHeader } from "@/engine/protocol/proxy-protocol/proxy-header.types";
import type { ReceivedHeader, ReceivedProxyHeader } from "./client-ip-test.types";

/** How the echo target reads the first bytes a backend receives: PROXY header first, then the client's data. */

/** The first bytes split into the PROXY header they start with (if any) and the client's data after it. */
export interface SplitBytes {
  proxyHeader: ReceivedProxyHeader | null;
  /** The bytes look like a PROXY header but break the spec (or end in the middle of one): the reason. */
  proxyHeaderProblem: string | null;
  /** What follows the header (all the bytes when there is none, or it is invalid). */
  rest: Buffer;
}

/**
 * Decodes a PROXY v1/v2 header at the start of `bytes` with the engine's own decoder. `final`: no more
 * bytes will come (a datagram, or a closed connection), so a header still incomplete is a problem;
 * otherwise an incomplete one answers null (read more).
 */
export function splitProxyHeader(bytes: Buffer, final: boolean): SplitBytes | null {
  const decoded = decodeProxyHeader(bytes);
  switch (decoded.status) {
    case "incomplete":
      return final ? { proxyHeader: null, proxyHeaderProblem: "the bytes end in the middle of a PROXY header", rest: bytes } : null;
    case "absent":
      return { proxyHeader: null, proxyHeaderProblem: null, rest: bytes };
    case "invalid":
      return { proxyHeader: null, proxyHeaderProblem: decoded.reason, rest: bytes };
    case "header":
      return { proxyHeader: receivedProxyHeader(decoded.header), proxyHeaderProblem: null, rest: bytes.subarray(decoded.length) };
  }
}

/** A decoded header as the result shows it (TLV values left out). */
export function receivedProxyHeader(header: ProxyHeader): ReceivedProxyHeader {
  const a = header.addresses;
  return {
    version: header.version,
    command: header.command,
    transport: header.transport,
    source: a ? { address: a.sourceAddress, port: a.sourcePort } : null,
    destination: a ? { address: a.destinationAddress, port: a.destinationPort } : null,
    tlvTypes: header.tlvs.map((t) => t.type),
  };
}

/** Header names that carry the client's address or the original request (highlighted in the result). */
const CLIENT_IP_HEADERS = new Set(["x-forwarded-for", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-host", "x-real-ip"]);

/** An HTTP/1.x request head: its request line and header lines as received. */
export interface RequestHead {
  requestLine: string;
  headers: ReceivedHeader[];
}

/** The request head at the start of `bytes`, or null while its blank line has not arrived. */
export function parseRequestHead(bytes: Buffer): RequestHead | null {
  const end = bytes.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [requestLine = "", ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const headers = lines.map((line) => {
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    return { name, value: colon < 0 ? "" : line.slice(colon + 1).trim(), clientIp: CLIENT_IP_HEADERS.has(name.toLowerCase()) };
  });
  return { requestLine, headers };
}

/** At most 200 characters of a payload as text, without its final line end; other control characters but tab shown as ".". */
export function payloadText(bytes: Buffer): string {
  return bytes
    .subarray(0, 200)
    .toString("latin1")
    .replace(/\r?\n$/, "")
    .replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, ".");
}
