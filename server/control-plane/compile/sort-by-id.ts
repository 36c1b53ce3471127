/** Orders rows by id, the snapshot's canonical order (the hash depends on it). */
import "server-only";
export const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
