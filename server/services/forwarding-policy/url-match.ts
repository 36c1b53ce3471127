import { RE2JS } from "re2js";
import type { UrlMatchRule } from "@/db/schema/listener-l7";

/**
 * The matching conditions of a forwarding policy (guide 3.8.1, table 3-7), checked the same way in the
 * form and on the server: Domain Name (exact match) and/or URL by its URL Matching Rule. A Regular
 * expression must compile with RE2 (re2js, linear time: the engine's matcher), so no pattern can hang it.
 * Pure: no server imports.
 */

/** Guide words for the stored URL Matching Rule. */
export const urlMatchRuleLabels: Record<UrlMatchRule, string> = { EXACT: "Exact match", PREFIX: "Prefix match", REGEX: "Regular expression match" };

/** Longest Domain Name of a forwarding policy. */
export const POLICY_DOMAIN_NAME_MAX = 100;
/** Longest URL of a forwarding policy (a path or a regular expression). */
export const POLICY_URL_MAX = 128;

/** A host name: labels of letters, digits and hyphens, each starting and ending with a letter or digit. */
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** URL path characters for Exact and Prefix match (RFC 3986 path characters; the query is not matched). */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/;
/** A regular expression: printable ASCII. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** One problem, by field. */
export interface MatchIssue {
  path: ["domainName"] | ["url"];
  message: string;
}

/** Why `domainName` (already trimmed and lower-cased) is not a host name, or null. */
export function domainNameProblem(domainName: string): string | null {
  if (domainName.length > POLICY_DOMAIN_NAME_MAX) return `Domain Name: can contain at most ${POLICY_DOMAIN_NAME_MAX} characters`;
  if (!HOST_NAME.test(domainName))
    return "Domain Name: enter a host name such as www.test.com: letters, digits and hyphens (-) in labels separated by periods (.), each label starting and ending with a letter or digit";
  return null;
}

/** Rules across the matching fields: Domain Name or URL required; the URL checked against its URL Matching Rule. */
export function policyMatchIssues(fields: { domainName: string | null; url: string | null; urlMatchRule: UrlMatchRule }): MatchIssue[] {
  const { domainName, url, urlMatchRule } = fields;
  if (!domainName && !url) return [{ path: ["domainName"], message: "Domain Name or URL: enter a domain name, a URL, or both (table 3-7)" }];
  if (!url) return [];
  const problem = urlProblem(url, urlMatchRule);
  return problem ? [{ path: ["url"], message: problem }] : [];
}

/** Why `url` does not fit `rule`, or null. */
function urlProblem(url: string, rule: UrlMatchRule): string | null {
  if (url.length > POLICY_URL_MAX) return `URL: can contain at most ${POLICY_URL_MAX} characters`;
  if (rule !== "REGEX") {
    if (!url.startsWith("/")) return `URL: must start with a slash (/) for ${urlMatchRuleLabels[rule]}`;
    if (!PATH_CHARACTERS.test(url))
      return "URL: can contain only letters, digits and the URL path characters - . _ ~ ! $ & ' ( ) * + , ; = : @ % / (no spaces, query, control or non-ASCII characters; percent-encode others, e.g. %20)";
    return null;
  }
  if (!PRINTABLE_ASCII.test(url)) return "URL: a regular expression can contain only printable ASCII characters (no control or non-ASCII characters)";
  try {
    RE2JS.compile(url);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    return `URL: not a valid regular expression (RE2 syntax): ${reason}`;
  }
}
