import type { PhaseAnswer } from "./phases/phase.types";

/** Reason phrases for the statuses the engine generates itself. */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  405: "Method Not Allowed",
  408: "Request Timeout",
  414: "URI Too Long",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

interface Template {
  readonly statusLine: string;
  readonly fields: string;
  readonly body: string;
}

const templates = new Map<number, Template>();

function template(status: number): Template {
  let t = templates.get(status);
  if (t === undefined) {
    const title = `${status} ${REASONS[status] ?? "Error"}`;
    const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>elb</center>\r\n</body>\r\n</html>\r\n`;
    t = {
      statusLine: `HTTP/1.1 ${title}\r\n`,
      fields: `Server: elb\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`,
      body,
    };
    templates.set(status, t);
  }
  return t;
}

/** The HTML body of the page the engine generates for `status` (HTTP/2 answers it with its own header block). */
export function generatedBody(status: number): string {
  return template(status).body;
}

let dateSecond = 0;
let dateLine = "";

/** `Date: <IMF-fixdate>\r\n`, recomputed at most once a second. */
export function dateField(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateLine = `Date: ${new Date(now).toUTCString()}\r\n`;
  }
  return dateLine;
}

/** A request phase's own answer (phases/phase.types.ts) as a complete response. */
export function phaseResponse(answer: PhaseAnswer, close: boolean, clientMinor: number, headOnly: boolean): string {
  const connection = close ? "Connection: close\r\n" : clientMinor === 0 ? "Connection: keep-alive\r\n" : "";
  const head = `HTTP/1.1 ${answer.status} ${answer.reason}\r\nServer: elb\r\n${dateField()}${answer.fields}Content-Length: ${answer.body.length}\r\n${connection}\r\n`;
  return headOnly ? head : head + answer.body;
}

/**
 * A complete response the engine answers by itself (errors): `Server: elb`, a small HTML body, and

 * `Connection: close` when the connection ends after it (or keep-alive for an HTTP/1.0 client that keeps it).
 * `headOnly` omits the body (answer to HEAD).
 */
export function generatedResponse(status: number, close: boolean, clientMinor = 1, headOnly = false): string {
  const t = template(status);
  const connection = close ? "Connection: close\r\n" : clientMinor === 0 ? "Connection: keep-alive\r\n" : "";
  return t.statusLine + t.fields + dateField() + connection + "\r\n" + (headOnly ? "" : t.body);
}
