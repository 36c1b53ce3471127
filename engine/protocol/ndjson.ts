import type { Socket } from "node:net";

/**
 * Newline-delimited JSON over a stream socket: one JSON value per line, UTF-8. Used by the engine's
 * control socket and by the console's supervisor, so both speak exactly the ConsoleToEngine /
 * EngineToConsole messages of ./ipc.types.
 */

/** Longest line accepted (a snapshot of a large configuration fits many times over). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Writes one message as one line; false when the socket can no longer be written. */
export function writeLine(socket: Socket, message: unknown): boolean {
  if (socket.destroyed || !socket.writable) return false;
  socket.write(`${JSON.stringify(message)}\n`);
  return true;
}

/**
 * Calls `onMessage` for every complete line read from `socket`. A line that is not JSON is passed to
 * `onBadLine` and skipped; a line longer than MAX_LINE_BYTES destroys the socket.
 */
export function readLines(socket: Socket, onMessage: (message: unknown) => void, onBadLine: (line: string) => void = () => {}): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() === "") continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        onBadLine(line.slice(0, 200));
        continue;
      }
      onMessage(message);
    }
    if (buffered.length > MAX_LINE_BYTES) socket.destroy(new Error("control line too long"));
  });
}
