import { BroadcastChannel } from "node:worker_threads";

/** What one table learned or forgot, for the same table in the other worker threads. */
interface LearnedCookie {
  /** Listener id and pool id: the same table in every worker. */
  key: string;
  value: string;
  /** The member the value is bound to; null = forgotten (the application expired its cookie). */
  memberId: string | null;
}

/** The part of AppCookieTable a sync writes to (no re-publishing). */
export interface SyncedTable {
  learnFromPeer(value: string, memberId: string): void;
  forgetFromPeer(value: string): void;
}

/**
 * Application-cookie learning seen by every worker thread: each table's learn/forget is posted on one
 * BroadcastChannel, and the other workers apply it to their table of the same listener and pool. A
 * response's Set-Cookie reaches the other workers within a message hop (microseconds), well before the
 * client can send its next request on a new connection. One per worker thread (installed by
 * workers/worker-thread.ts); the engine in one thread has none.
 */
export class AppCookieSync {
  private readonly channel: BroadcastChannel;
  private readonly tables = new Map<string, SyncedTable>();

  constructor(name = "elb-app-cookies") {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event) => this.receive((event as { data: LearnedCookie }).data);
    this.channel.unref();
  }

  /** Makes `table` the one that receives the other workers' learning under `key`. */
  register(key: string, table: SyncedTable): void {
    this.tables.set(key, table);
  }

  /** Stops receiving for `key` (its listener or pool is gone). */
  unregister(key: string): void {
    this.tables.delete(key);
  }

  /** Tells the other workers what the table under `key` learned (memberId) or forgot (null). */
  publish(key: string, value: string, memberId: string | null): void {
    const message: LearnedCookie = { key, value, memberId };
    this.channel.postMessage(message);
  }

  /** Closes the channel. */
  close(): void {
    this.channel.close();
  }

  private receive(message: LearnedCookie): void {
    const table = this.tables.get(message.key);
    if (table === undefined) return;
    if (message.memberId === null) table.forgetFromPeer(message.value);
    else table.learnFromPeer(message.value, message.memberId);
  }
}

let installed: AppCookieSync | null = null;

/** Installs this thread's sync (a worker thread among several); tables created afterwards use it. */
export function installAppCookieSync(sync: AppCookieSync | null): void {
  installed = sync;
}

/** This thread's sync, or null in the engine with one thread. */
export function appCookieSync(): AppCookieSync | null {
  return installed;
}
