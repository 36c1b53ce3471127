/**
 * The HPACK dynamic table (RFC 7541 §4) of one decoding context: a ring buffer of name/value strings,
 * newest first for lookups, evicted from the oldest. An entry costs name + value + 32 octets (names
 * and values are latin1 strings, one char per octet). Inserting never shifts an array; the ring
 * doubles when full (entries are ≥ 32 octets, so it never holds more than limit / 32).
 */
export class DynamicTable {
  /** Entries in the table. */
  count = 0;
  /** Σ entry sizes, ≤ `limit`. */
  size = 0;
  /** The current maximum size (the last size update, else the decoder's maximum). */
  limit: number;

  private names: string[];
  private values: string[];
  /** `names.length - 1` (the length is a power of two). */
  private mask: number;
  /** The slot of the newest entry. */
  private newest: number;

  constructor(limit: number) {
    this.limit = limit;
    this.names = emptyStrings(16);
    this.values = emptyStrings(16);
    this.mask = 15;
    this.newest = 15;
  }

  /** Inserts an entry as index 1, evicting from the oldest until it fits; an entry larger than the limit empties the table. */
  add(name: string, value: string): void {
    const entrySize = name.length + value.length + 32;
    if (entrySize > this.limit) {
      while (this.count > 0) this.evictOldest();
      return;
    }
    while (this.size + entrySize > this.limit) this.evictOldest();
    if (this.count === this.names.length) this.grow();
    const slot = (this.newest + 1) & this.mask;
    this.newest = slot;
    this.names[slot] = name;
    this.values[slot] = value;
    this.count++;
    this.size += entrySize;
  }

  /** Applies a dynamic table size update (§6.3): evicts until the table fits `limit`. */
  setLimit(limit: number): void {
    this.limit = limit;
    while (this.size > limit) this.evictOldest();
  }

  /** The name of entry `index` (1 = newest, ≤ `count`). */
  nameAt(index: number): string {
    return this.names[(this.newest - index + 1) & this.mask]!;
  }

  /** The value of entry `index` (1 = newest, ≤ `count`). */
  valueAt(index: number): string {
    return this.values[(this.newest - index + 1) & this.mask]!;
  }

  private evictOldest(): void {
    const slot = (this.newest - this.count + 1) & this.mask;
    this.size -= this.names[slot]!.length + this.values[slot]!.length + 32;
    this.names[slot] = "";
    this.values[slot] = "";
    this.count--;
  }

  private grow(): void {
    const capacity = this.names.length * 2;
    const names = emptyStrings(capacity);
    const values = emptyStrings(capacity);
    for (let index = this.count; index >= 1; index--) {
      names[this.count - index] = this.nameAt(index);
      values[this.count - index] = this.valueAt(index);
    }
    this.names = names;
    this.values = values;
    this.mask = capacity - 1;
    this.newest = this.count - 1;
  }
}

/** A packed array of `length` empty strings (no holes, so V8 keeps it a fast elements array). */
function emptyStrings(length: number): string[] {
  return Array.from({ length }, () => "");
}
