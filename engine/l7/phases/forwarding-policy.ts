import { RE2JS } from "re2js";
import type { PoolRuntime } from "../../pools/pool-runtime.types";
import type { SnapshotForwardingPolicy } from "../../protocol/snapshot.types";
import type { StickyPolicy } from "../sticky/sticky-policy";
import type { PhaseOutcome, PhaseRequest, RequestPhase } from "./phase.types";
import { hostWithoutPort } from "./redirect";

/** Where a matching policy sends a request: its backend server group and that group's L7 stickiness. */
export interface PolicyTarget {
  readonly pool: PoolRuntime;
  readonly sticky: StickyPolicy | null;
}

/**
 * Longest path a regular expression policy is tried on. HTTP/1 heads are ≤ 32 KiB already; the bound
 * keeps an HTTP/2 `:path` to the same size. RE2 (re2js) is linear in the input, so this is the whole cost.
 */
export const MAX_REGEX_INPUT = 32 * 1024;

/** One regular expression policy, compiled once. */
interface RegexRule {
  readonly re: RE2JS;
  readonly target: PolicyTarget;
}

/**
 * The URL rules of one domain (or of the domain-less policies), compiled once: exact paths in a Map;
 * prefixes in a Map probed with the path's own prefixes of each distinct prefix length, longest first
 * (cost: the number of distinct lengths, ≤ 128 as URLs are, not the number of policies; the longest
 * matching prefix wins, as the guide's "longer URL, higher priority"); regular expressions in creation
 * order, each matching the whole path (table 3-8: `/index.html` does not match `/elb/index.html`).
 */
class PolicyTable {
  readonly exact = new Map<string, PolicyTarget>();
  readonly prefixes = new Map<string, PolicyTarget>();
  /** Distinct prefix lengths, longest first. */
  prefixLengths: number[] = [];
  readonly regexes: RegexRule[] = [];
  /** A domain-only policy (URL empty) of this domain: matches any path, after the URL rules. */
  domainOnly: PolicyTarget | null = null;

  add(policy: SnapshotForwardingPolicy, target: PolicyTarget): void {
    const url = policy.url;
    if (url === null || url === "") {
      this.domainOnly ??= target;
      return;
    }
    if (policy.match === "EXACT") {
      if (!this.exact.has(url)) this.exact.set(url, target);
    } else if (policy.match === "PREFIX") {
      if (!this.prefixes.has(url)) this.prefixes.set(url, target);
    } else {
      const re = compileRegex(url);
      if (re !== null) this.regexes.push({ re, target });
    }
  }

  /** Called once all policies are in. */
  seal(): void {
    this.prefixLengths = [...new Set([...this.prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);
  }

  /** The target of the first URL rule matching `path` (exact, then longest prefix, then regex by creation order); null = none. */
  matchUrl(path: string): PolicyTarget | null {
    if (this.exact.size > 0) {
      const hit = this.exact.get(path);
      if (hit !== undefined) return hit;
    }
    const lengths = this.prefixLengths;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]!;
      if (length > path.length) continue;
      const hit = this.prefixes.get(length === path.length ? path : path.slice(0, length));
      if (hit !== undefined) return hit;
    }
    const regexes = this.regexes;
    if (regexes.length > 0 && path.length <= MAX_REGEX_INPUT) {
      for (let i = 0; i < regexes.length; i++) if (regexes[i]!.re.testExact(path)) return regexes[i]!.target;
    }
    return null;
  }
}

function compileRegex(pattern: string): RE2JS | null {
  try {
    return RE2JS.compile(pattern);
  } catch {
    return null; // the console validates with the same library; a pattern that does not compile matches nothing
  }
}

/**
 * The forwarding-policy phase (guide 3.8.1, tables 3-7 and 3-8, figure 3-1), compiled once per route:
 * the Host (without port, case-insensitive, a trailing dot ignored) selects its domain's table in a Map,
 * the path without the query is matched there, then in the table of the domain-less policies.
 *
 * Order, first hit wins:
 *   1. policies of the request's domain: exact URL, then longest prefix, then regular expressions in
 *      creation order, then a domain-only policy (no URL) of that domain;
 *   2. policies without a domain: exact, longest prefix, regular expressions in creation order;
 *   3. no match: the listener's default group (the request keeps it).
 * Domain policies come first because a request matching both a domain rule and a path-only rule follows
 * the domain rule (Huawei ELB, "Forwarding Policy": www.elb.com/test goes to the domain policy over the
 * /test one); within each, the guide's exact → prefix → regex order. A match sets `pool` and `sticky`.
 */
export class ForwardingPolicyPhase implements RequestPhase {
  readonly name = "forwarding-policy";

  private constructor(
    private readonly byDomain: ReadonlyMap<string, PolicyTable>,
    private readonly anyDomain: PolicyTable | null,
  ) {}

  /**
   * Compiles `policies` (creation order). `targetOf(poolId)` gives a policy's pool and stickiness; a
   * policy whose pool it does not know is skipped. Null when no policy is left (the phase is left out).
   */
  static compile(policies: readonly SnapshotForwardingPolicy[], targetOf: (poolId: string) => PolicyTarget | undefined): ForwardingPolicyPhase | null {
    const byDomain = new Map<string, PolicyTable>();
    let anyDomain: PolicyTable | null = null;
    for (const policy of policies) {
      const target = targetOf(policy.poolId);
      if (target === undefined) continue;
      const domain = policy.domainName === null || policy.domainName === "" ? null : domainKey(policy.domainName);
      if (domain === null && (policy.url === null || policy.url === "")) continue; // matches nothing (the console requires one of them)
      let table: PolicyTable;
      if (domain === null) table = anyDomain ??= new PolicyTable();
      else {
        let found = byDomain.get(domain);
        if (found === undefined) byDomain.set(domain, (found = new PolicyTable()));
        table = found;
      }
      table.add(policy, target);
    }
    if (byDomain.size === 0 && anyDomain === null) return null;
    for (const table of byDomain.values()) table.seal();
    anyDomain?.seal();
    return new ForwardingPolicyPhase(byDomain, anyDomain);
  }

  run(request: PhaseRequest): PhaseOutcome {
    const head = request.head;
    const target = head.target();
    const query = target.indexOf("?");
    const path = query < 0 ? target : target.slice(0, query);
    let hit: PolicyTarget | null = null;
    if (this.byDomain.size > 0) {
      const table = this.byDomain.get(domainKey(hostWithoutPort(head.host())));
      if (table !== undefined) hit = table.matchUrl(path) ?? table.domainOnly;
    }
    if (hit === null && this.anyDomain !== null) hit = this.anyDomain.matchUrl(path);
    if (hit !== null) {
      request.pool = hit.pool;
      request.sticky = hit.sticky;
    }
    return "continue";
  }
}

/** A host name as a table key: lower case, without one trailing dot ("WWW.Test.com." → "www.test.com"). */
function domainKey(host: string): string {
  const lower = host.toLowerCase();
  return lower.charCodeAt(lower.length - 1) === 0x2e ? lower.slice(0, -1) : lower;
}
