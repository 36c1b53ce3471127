import type net from "node:net";
import type { ClientAnswer } from "./client-ip-test.types";

/** The most bytes of an answer the client reads (an HTTP head, or a TCP line). */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * Reads what comes back on `socket` until the answer is complete — an HTTP response head (`http`) or a
 * TCP line — the socket ends or fails, or `timeoutMs` passes; then destroys the socket. Never rejects.
 */
export function readAnswer(socket: net.Socket, http: boolean, timeoutMs: number): Promise<ClientAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (problem: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks, size);
      resolve(http ? httpAnswer(bytes, problem) : lineAnswer(bytes, problem));
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const bytes = Buffer.concat(chunks, size);
      if (size >= MAX_ANSWER_BYTES || (http ? bytes.includes("\r\n\r\n") : bytes.includes(0x0a))) finish(null);
    });
    socket.once("end", () => finish(size === 0 ? "the listener closed the connection without an answer" : null));
    socket.once("close", () => finish(size === 0 ? "the listener closed the connection without an answer" : null));
    socket.once("error", (error: NodeJS.ErrnoException) => finish(size === 0 ? describeSocketError(error) : null));
  });
}

/** An HTTP response head: status, reason, Location. */
function httpAnswer(bytes: Buffer, problem: string | null): ClientAnswer {
  const head = bytes.toString("latin1").split("\r\n\r\n")[0] ?? "";
  const [statusLine = "", ...lines] = head.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  const location = lines.find((line) => /^location:/i.test(line))?.replace(/^location:\s*/i, "") ?? null;
  if (!match) return { status: null, location: null, text: null, problem: problem ?? (bytes.length ? "the answer is not an HTTP response" : "no answer") };
  return { status: Number(match[1]), location, text: match[2] ?? "", problem: null };
}

/** A TCP answer: its first line. */
function lineAnswer(bytes: Buffer, problem: string | null): ClientAnswer {
  if (bytes.length === 0) return { status: null, location: null, text: null, problem: problem ?? "no answer" };
  return { status: null, location: null, text: bytes.toString("latin1").split("\n")[0]!.slice(0, 200).trimEnd(), problem: null };
}

/** A socket error in words (the code first, so a refusal and a reset read differently). */
function describeSocketError(error: NodeJS.ErrnoException): string {
  if (error.code === "ECONNREFUSED") return "the connection was refused (nothing listens there)";
  if (error.code === "ECONNRESET") return "the listener reset the connection";
  return error.message;
}
