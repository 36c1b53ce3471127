import http, { type OutgoingHttpHeaders } from "node:http";

/**
 * GET / on 127.0.0.1:port over a fresh connection bound to `localAddress`, with `headers`; resolves with
 * the body of a 200 answer, rejects on any other status, an error, or no answer within 3 s.
 */
export function getBodyFrom(port: number, localAddress: string, headers: OutgoingHttpHeaders = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/", localAddress, headers, agent: false, timeout: 3000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`status ${response.statusCode}: ${body}`))));
    });
    request.on("timeout", () => request.destroy(new Error("no answer within 3 s")));
    request.on("error", reject);
  });
}
