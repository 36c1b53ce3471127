import net from "node:net";

/**
 * Receives `nread` bytes at the start of the shared buffer; valid only during the call. Called with
 * `this` = the socket, so one shared function can serve every socket (no closure per connection).
 */
export type ReadCallback<S extends net.Socket = net.Socket> = (this: S, nread: number, buf: Buffer) => void;

/** Node's private symbols behind net.connect's `onread` option, found on a probe socket. */
const symbols = ((): { buffer: symbol; callback: symbol; generator: symbol } | null => {
  // `onread` is accepted by the Socket constructor (that is how net.connect passes it), untyped there.
  const options = { onread: { buffer: Buffer.alloc(1), callback: () => true } } as net.SocketConstructorOpts;
  const probe = new net.Socket(options);
  const find = (name: string) => Object.getOwnPropertySymbols(probe).find((s) => s.description === name);
  const [buffer, callback, generator] = [find("kBuffer"), find("kBufferCb"), find("kBufferGen")];
  const ok = buffer !== undefined && callback !== undefined && generator !== undefined && (probe as Internal)[buffer] !== null;
  probe.destroy();
  return ok ? { buffer, callback, generator } : null;
})();

/** True when this Node version lets readInto use the shared buffer (else it falls back to 'data' events). */
export const sharedBufferReads = symbols !== null;

type Internal = net.Socket & Record<symbol, unknown> & { _handle?: { useUserBuffer?: (buf: Buffer) => void } | null };

/**
 * Makes an accepted socket read into `buffer` and call `callback` directly, as net.connect's
 * `onread` option does for client sockets: no Readable stream bookkeeping and no buffer
 * allocation per read. Accepted sockets have no public way to ask for this, so it sets the same
 * internal fields Node's own option sets, after checking they exist; when they don't (another
 * Node version) it falls back to a plain 'data' listener. Bytes the stream already holds (put back
 * with `unshift` by the PROXY header reader) reach the callback first, as ordinary chunks. Either
 * way the callback gets (nread, buf), with `this` = the socket, and must copy what outlives the
 * call. It is installed as is (no wrapper per socket): Node stops reading only when it returns
 * false, and a ReadCallback returns nothing. Pause/resume, 'end' and 'close' keep working as usual.
 */
export function readInto<S extends net.Socket>(socket: S, buffer: Buffer, callback: ReadCallback<S>): void {
  const s = socket as Internal;
  const handle = s._handle;
  // Plain TCP only: a TLS socket's reads are decrypted by its own stream, not the raw handle.
  const plain = !(socket as net.Socket & { encrypted?: boolean }).encrypted;
  if (symbols !== null && plain && handle && typeof handle.useUserBuffer === "function") {
    s[symbols.buffer] = buffer;
    s[symbols.generator] = null;
    s[symbols.callback] = callback; // Node calls socket[kBufferCb](nread, buffer): `this` is the socket
    handle.useUserBuffer(buffer);
    // Bytes already buffered (put back after a PROXY header): handed over first, on the next tick (the
    // caller finishes its set-up), with the socket still paused so that no new read overtakes them.
    if (socket.readableLength > 0) {
      if (!socket.isPaused()) socket.pause();
      process.nextTick(deliverBuffered, socket, callback);
      return;
    }
  } else {
    socket.on("data", (chunk: Buffer) => callback.call(socket, chunk.length, chunk));
  }
  // A server created with pauseOnConnect hands sockets over paused: start reading.
  if (socket.isPaused()) socket.resume();
}

/** The stream's buffered chunks through the callback, in order, then reads resume into the shared buffer. */
function deliverBuffered<S extends net.Socket>(socket: S, callback: ReadCallback<S>): void {
  let chunk: Buffer | null;
  while (!socket.destroyed && (chunk = socket.read() as Buffer | null) !== null) callback.call(socket, chunk.length, chunk);
  if (!socket.destroyed && socket.isPaused()) socket.resume();
}
