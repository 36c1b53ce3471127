/**
 * SNI selection of one listener, compiled once per snapshot: the domain names of its SNI certificates
 * (exact "a.example.com" or one-label wildcard "*.example.com"), lowercased, without a trailing dot.
 * `select` costs at most two Map lookups whatever the number of certificates.
 */
export class SniTable<T> {
  private readonly byName = new Map<string, T>();

  constructor(
    /** Served when no domain matches or the client sent no server name: the listener's Server Certificate. */
    readonly fallback: T,
  ) {}

  /** Number of domains in the table. */
  get size(): number {
    return this.byName.size;
  }

  /** Adds a domain; the first certificate given a domain keeps it. */
  add(domainName: string, value: T): void {
    const name = normalizeServerName(domainName);
    if (name !== "" && !this.byName.has(name)) this.byName.set(name, value);
  }

  /**
   * The entry for a client's server name: the exact domain, then the wildcard of its parent
   * ("a.example.com" → "*.example.com"; neither "example.com" nor "a.b.example.com" match it), else the
   * fallback. Case-insensitive, a trailing dot ignored.
   */
  select(serverName: string | undefined | null): T {
    if (!serverName) return this.fallback;
    const name = normalizeServerName(serverName);
    const exact = this.byName.get(name);
    if (exact !== undefined) return exact;
    const dot = name.indexOf(".");
    if (dot <= 0) return this.fallback;
    return this.byName.get(`*${name.slice(dot)}`) ?? this.fallback;
  }
}

/** A server name as compared: lowercase, without one trailing dot. */
export function normalizeServerName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}
