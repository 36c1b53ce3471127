import "server-only";

/** Largest tRPC request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Most calls in one tRPC batch. */
export const MAX_BATCH_SIZE = 20;

function tooLarge(limit: number): Response {
  const message = `Request body: can contain at most ${limit} bytes`;
  const body = { error: { message, code: -32013, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } };
  return Response.json(body, { status: 413, headers: { connection: "close", "cache-control": "no-store" } });
}

/**
 * Reads a request's body up to `limit` bytes. Answers 413 when Content-Length says more, or as soon as
 * the stream passes the limit (the reader is cancelled: the rest is never buffered). Otherwise returns
 * an equivalent Request whose body is the bytes read.
 */
export async function limitRequestBody(req: Request, limit = MAX_BODY_BYTES): Promise<Request | Response> {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    await req.body.cancel().catch(() => undefined);
    return tooLarge(limit);
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}
