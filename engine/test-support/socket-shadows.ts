import type net from "node:net";

/** Test helpers that make real sockets behave like rarer peers (white-box shaping tests). */

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Shadows one property of `target` with its own (over the prototype's); returns the undo. */
export function shadow<T extends object>(target: T, key: PropertyKey, descriptor: PropertyDescriptor): () => void {
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
  return () => void delete (target as Record<PropertyKey, unknown>)[key];
}

/** Makes `socket` swallow its 'drain' events until the undo (a client that does not read on). */
export function swallowDrains(socket: net.Socket): () => void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  return shadow(socket, "emit", { value: (event: string | symbol, ...args: unknown[]) => (event === "drain" ? false : emit(event, ...args)) });
}
