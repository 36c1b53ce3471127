/** Default number of entries: 2^18 × 12 bytes = 3 MiB of shared memory (see the class comment on load). */
export const DEFAULT_SHARED_STICKY_CAPACITY = 1 << 18;

/** Entries looked at from a key's home entry before giving up (a miss, or a claim not stored). */
export const STICKY_PROBES = 16;

/** Highest member slot an entry can hold (20 bits of the member word store slot + 1). */
export const MAX_STICKY_MEMBER_SLOT = (1 << 20) - 2;

/**
 * Member word: bits 0–19 slot + 1 (0 = no member yet), bit 20 PENDING (expiry not stored yet), bit 21
 * REUSE (the entry is being handed to another client: its key is about to change), bits 22–30 a
 * generation bumped on every takeover.
 */
const MEMBER_MASK = (1 << 20) - 1;
const PENDING = 1 << 20;
const REUSE = 1 << 21;
const GEN_ONE = 1 << 22;
const GEN_MASK = 0x1ff << 22;

/** Header: Float64 base time (ms since the epoch) that entry times count from, then padding. */
const HEADER_BYTES = 16;
const BYTES_PER_ENTRY = 12;

/** Loads of a word being handed to another client before sleeping (~1 µs; the hand-over is three stores). */
const SETTLE_SPINS = 1 << 10;
/** Time after which a hand-over that has not finished is ended by the thread waiting for it. */
const SETTLE_GIVE_UP_MS = 50;
/** Scans of one write (each after a hand-over or a lost exchange) before giving up: the claim is not stored. */
const WRITE_ATTEMPTS = 8;
/** Internal answer of one write scan: scan again. */
const RETRY = -2;

/** The word that takes over from `word` for `slot`: generation + 1, PENDING until its expiry is stored. */
function successor(word: number, slot: number): number {
  return ((word + GEN_ONE) & GEN_MASK) | PENDING | (slot + 1);
}

/**
 * Source-IP sticky sessions of every pool (guide 3.5) in one SharedArrayBuffer, so each worker thread
 * sends a client to the member the others chose. Same semantics as the per-thread SourceIpStickyTable
 * (sticky/source-ip-table.ts): client IP → member, remembered for `durationMs` after the last use
 * (every `get` hit refreshes it), bounded. The primary allocates the buffer (`allocate`) and passes it
 * to every worker; each wraps it (`new SharedSourceIpTable(buffer)`).
 *
 * **Entries.** A fixed-capacity open-addressing table (linear probing, at most STICKY_PROBES entries
 * from a key's home), three Int32Arrays side by side: key, member word, expiry. The key is a 32-bit
 * hash of (poolKey, client IP string), 0 reserved for "empty" (a hash of 0 becomes 1). A key never
 * goes back to 0, so a probe stops at the first empty entry. Two (pool, IP) pairs with the same hash
 * share an entry: the second client is sent to the first one's member — harmless (it only unbalances
 * by one client; the chance is the table's live entries / 2^32 per new client). Times are whole
 * seconds (Int32) since a base stored in the buffer; an entry lives at least `durationMs` after its
 * last use and at most one second more. Expired entries are reused, for the same client or another.
 *
 * **First writer wins.** An entry's member is decided by whoever changes its member word by
 * compareExchange: threads claiming the same new (or expired) client at once all return the winner's
 * slot. The generation in the word makes a claim that read the word before another thread took the
 * entry over (even for the same member) fail its exchange and adopt the new winner. PENDING marks a
 * word whose expiry is not stored yet: it counts as live. An empty entry goes to a client by
 * compareExchange on its key (then its word as above); an expired entry goes to another client by
 * compareExchange on its word (REUSE), then its key is stored — a thread meeting a REUSE word waits
 * those few stores out and scans again, since the entry may be becoming its own client's.
 *
 * **Full.** When no entry within the probe window is empty or expired, `claim` returns the caller's
 * slot without storing it: that client gets no stickiness until an entry in its window frees up.
 * Measured with 16 probes, of new clients arriving at a table with live entries at 40 % load about 1
 * in 2,000 is not stored, at 50 % 1 in 200, at 60 % 1 in 40, at 70 % 1 in 12. The default 2^18
 * entries (3 MiB) keeps 100,000 clients remembered at once, all pools together, under 40 %.
 *
 * **Slots the caller does not know.** Member slots are the primary's (workers/member-slot-allocator.ts).
 * An entry naming a slot that is not a routable member of the caller's pool (removed, another pool's
 * after reuse, unhealthy) is treated by the caller as a miss: it picks a member and calls `rebind`
 * with the slot it rejected. Nothing ever needs clearing: entries of removed pools or members expire.
 *
 * **Limits (documented, harmless).** Exactly at an entry's expiry second, a thread whose clock still
 * reads the entry live can return its old member while another thread reclaims it. A thread that
 * stalls for more than 50 ms in the middle of handing an expired entry to another client (three
 * stores; or dies there) has its hand-over ended by the next thread that meets it. Either way one
 * connection may go to another member than the one recorded; every later one agrees.
 *
 * Hot path (`get` per new connection, `claim`/`rebind` on a miss): no allocation, one hash of the IP
 * string, Atomics loads of keys and words, a plain store to refresh, compareExchange only to write.
 */
export class SharedSourceIpTable {
  private readonly keys: Int32Array;
  private readonly words: Int32Array;
  private readonly expires: Int32Array;
  private readonly mask: number;
  private readonly baseMs: number;

  constructor(
    /** From `SharedSourceIpTable.allocate` in the primary, passed to every worker. */
    readonly buffer: SharedArrayBuffer,
  ) {
    const capacity = (buffer.byteLength - HEADER_BYTES) / BYTES_PER_ENTRY;
    if (!Number.isInteger(capacity) || capacity < STICKY_PROBES || (capacity & (capacity - 1)) !== 0)
      throw new Error(`shared sticky table: bad buffer size ${buffer.byteLength}`);
    this.baseMs = new Float64Array(buffer, 0, 1)[0]!;
    this.keys = new Int32Array(buffer, HEADER_BYTES, capacity);
    this.words = new Int32Array(buffer, HEADER_BYTES + capacity * 4, capacity);
    this.expires = new Int32Array(buffer, HEADER_BYTES + capacity * 8, capacity);
    this.mask = capacity - 1;
  }

  /** A buffer of `capacity` empty entries (a power of two, 16…2^26); entry times count from `baseMs`. */
  static allocate(capacity = DEFAULT_SHARED_STICKY_CAPACITY, baseMs = Date.now()): SharedArrayBuffer {
    if (!(capacity >= STICKY_PROBES && (capacity & (capacity - 1)) === 0 && capacity <= 1 << 26))
      throw new RangeError(`shared sticky table: capacity ${capacity} is not a power of two in 16…2^26`);
    const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity * BYTES_PER_ENTRY);
    new Float64Array(buffer, 0, 1)[0] = baseMs;
    return buffer;
  }

  /** A pool's key: a 32-bit hash of its id (FNV-1a), the same in every thread; once per snapshot. */
  static poolKey(poolId: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < poolId.length; i++) h = Math.imul(h ^ poolId.charCodeAt(i), 0x01000193);
    return h | 0;
  }

  /** Number of entries. */
  get capacity(): number {
    return this.keys.length;
  }

  /** The member slot `clientIp` is stuck to in pool `poolKey`, refreshing its expiry; -1 = none (or expired). */
  get(poolKey: number, clientIp: string, durationMs: number, nowMs: number): number {
    const key = entryKey(poolKey, clientIp);
    const keys = this.keys;
    const mask = this.mask;
    for (let i = 0, index = key & mask; i < STICKY_PROBES; i++, index = (index + 1) & mask) {
      const k = Atomics.load(keys, index);
      if (k === 0) return -1;
      if (k === key) return this.readEntry(index, key, this.seconds(nowMs), durationMs);
    }
    return -1;
  }

  /**
   * Sticks `clientIp` to `memberSlot` unless another thread stuck it to a member first: returns the
   * slot that wins (the caller routes to it). A live entry is refreshed and kept. Returns
   * `memberSlot` without storing it when the probe window is full (or, under heavy contention, its
   * entries kept changing hands through WRITE_ATTEMPTS scans).
   */
  claim(poolKey: number, clientIp: string, memberSlot: number, durationMs: number, nowMs: number): number {
    return this.write(entryKey(poolKey, clientIp), memberSlot, -1, durationMs, nowMs);
  }

  /**
   * As `claim`, but also takes over a live entry that still names `staleSlot` (the caller found that
   * member unavailable or unknown). Of several threads rebinding the same client at once, the first
   * wins; an entry already rebound to another member is kept and its slot returned.
   */
  rebind(
    poolKey: number,
    clientIp: string,
    staleSlot: number,
    memberSlot: number,
    durationMs: number,
    nowMs: number,
  ): number {
    return this.write(entryKey(poolKey, clientIp), memberSlot, staleSlot, durationMs, nowMs);
  }

  /** The live member of `key`'s entry at `index` (refreshed), or -1 when it has none, expired or changes hands. */
  private readEntry(index: number, key: number, now: number, durationMs: number): number {
    const words = this.words;
    for (;;) {
      const word = Atomics.load(words, index);
      // No member yet (its first claim is under way), or going to another client: a miss; the
      // caller's claim then joins the claim under way or waits out the hand-over.
      if ((word & MEMBER_MASK) === 0 || (word & REUSE) !== 0) return -1;
      if ((word & PENDING) === 0) {
        if (Atomics.load(this.expires, index) <= now) return -1;
        // The expiry read may be a takeover's (another thread found the entry expired and is writing
        // it): then the word changed too, and the loop reads the new one.
        if (Atomics.load(words, index) !== word) continue;
      }
      if (Atomics.load(this.keys, index) !== key) return -1; // handed to another client since the probe read it
      if ((word & PENDING) === 0) this.expires[index] = now + expirySeconds(durationMs);
      return (word & MEMBER_MASK) - 1;
    }
  }

  private write(key: number, slot: number, stale: number, durationMs: number, nowMs: number): number {
    if (!(slot >= 0 && slot <= MAX_STICKY_MEMBER_SLOT))
      throw new RangeError(`sticky member slot ${slot} outside 0…${MAX_STICKY_MEMBER_SLOT}`);
    const now = this.seconds(nowMs);
    const until = now + expirySeconds(durationMs);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const won = this.writeOnce(key, slot, stale, now, until);
      if (won !== RETRY) return won;
    }
    return slot;
  }

  /** One scan of `key`'s probe window: its entry, else the first expired one, else the first empty one. */
  private writeOnce(key: number, slot: number, stale: number, now: number, until: number): number {
    const keys = this.keys;
    const words = this.words;
    const mask = this.mask;
    let reusable = -1;
    let reusableWord = 0;
    for (let i = 0, index = key & mask; i < STICKY_PROBES; i++, index = (index + 1) & mask) {
      const k = Atomics.load(keys, index);
      if (k === key) return this.takeEntry(index, key, slot, stale, now, until);
      if (k === 0) {
        if (reusable >= 0) break; // the key is not further on: reuse the expired entry seen first
        const won = Atomics.compareExchange(keys, index, 0, key);
        if (won === 0 || won === key) return this.takeEntry(index, key, slot, stale, now, until);
        continue; // another client took this empty entry just now; look on
      }
      const word = Atomics.load(words, index);
      if ((word & REUSE) !== 0) return this.settle(index, word); // it may be becoming this client's
      const expired = word !== 0 && (word & PENDING) === 0 && Atomics.load(this.expires, index) <= now;
      // A hand-over may have run while this entry was read (word first, then key and expiry): then
      // the expiry or the key read is the new client's, and the word or key differs now.
      if (Atomics.load(words, index) !== word || Atomics.load(keys, index) !== k) return RETRY;
      if (expired && reusable < 0) {
        reusable = index;
        reusableWord = word;
      }
    }
    if (reusable < 0) return slot; // window full: not remembered
    // Hand the expired entry to this client: the word first (so its own client's reclaim and other
    // reuses lose, and everyone meeting it waits), then key and expiry, then the word without flags.
    const next = successor(reusableWord, slot) | REUSE;
    if (Atomics.compareExchange(words, reusable, reusableWord, next) !== reusableWord) return RETRY;
    Atomics.store(keys, reusable, key);
    Atomics.store(this.expires, reusable, until);
    // Fails only when this thread stalled so long that a waiter gave up on it (settle): not stored then.
    Atomics.compareExchange(words, reusable, next, next & ~(PENDING | REUSE));
    return slot;
  }

  /** Decides the member of `key`'s entry at `index`: first writer wins; RETRY when it changes hands. */
  private takeEntry(index: number, key: number, slot: number, stale: number, now: number, until: number): number {
    const words = this.words;
    for (;;) {
      const word = Atomics.load(words, index);
      if ((word & REUSE) !== 0) return this.settle(index, word);
      if (Atomics.load(this.keys, index) !== key) return RETRY; // handed to another client since the scan
      const member = (word & MEMBER_MASK) - 1;
      if (member >= 0 && member !== stale) {
        if ((word & PENDING) !== 0) return member;
        if (Atomics.load(this.expires, index) > now) {
          if (Atomics.load(words, index) !== word) continue; // taken over between the two loads
          this.expires[index] = until;
          return member;
        }
      }
      const next = successor(word, slot);
      if (Atomics.compareExchange(words, index, word, next) === word) {
        Atomics.store(this.expires, index, until);
        Atomics.compareExchange(words, index, next, next & ~PENDING); // fails only if rebound meanwhile
        return slot;
      }
      // another thread wrote the word first: read its winner
    }
  }

  /**
   * Waits until the REUSE word at `index` is replaced (the caller then scans again): a short spin,
   * then sleeps of 0.1 ms (the thread handing it over may be descheduled and need this core). After
   * SETTLE_GIVE_UP_MS — its thread stalled that long or died in the middle — it ends the hand-over:
   * the word loses its flags (the entry keeps whatever key and expiry were stored), the stalled
   * thread's final exchange then fails.
   */
  private settle(index: number, word: number): number {
    const words = this.words;
    for (let spin = 0; spin < SETTLE_SPINS; spin++) if (Atomics.load(words, index) !== word) return RETRY;
    const deadline = Date.now() + SETTLE_GIVE_UP_MS;
    while (Atomics.load(words, index) === word) {
      if (Date.now() >= deadline) {
        Atomics.compareExchange(words, index, word, ((word + GEN_ONE) & GEN_MASK) | (word & MEMBER_MASK));
        break;
      }
      Atomics.wait(words, index, word, 0.1);
    }
    return RETRY;
  }

  private seconds(nowMs: number): number {
    return Math.floor((nowMs - this.baseMs) / 1000);
  }
}

/** Whole seconds an entry lives after a use: at least `durationMs`, plus one for the partial current second. */
function expirySeconds(durationMs: number): number {
  return Math.ceil(durationMs / 1000) + 1;
}

/** 32-bit key of (pool, client IP): FNV-1a seeded with the pool key, murmur3's finalizer; never 0. Exported for tests. */
export function entryKey(poolKey: number, clientIp: string): number {
  let h = Math.imul(0x811c9dc5 ^ poolKey, 0x01000193);
  for (let i = 0; i < clientIp.length; i++) h = Math.imul(h ^ clientIp.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}
