import { index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { certificates } from "./certificates";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { listeners } from "./listeners";
import { pools } from "./pools";

/** The SNI certificates of an HTTPS listener (guide 3.8.5): each is a server certificate with a domain name. */
export const listenerSniCertificates = pgTable(
  "listener_sni_certificates",
  {
    listenerId: text("listener_id")
      .notNull()
      .references(() => listeners.id, { onDelete: "cascade" }),
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id),
  },
  (t) => [primaryKey({ columns: [t.listenerId, t.certificateId] }), index("listener_sni_certificates_cert_idx").on(t.certificateId)],
);

/**
 * A redirect (guide 3.8.4, table 3-9): the HTTP listener `listenerId` answers every request with 301 to
 * the HTTPS listener `targetListenerId` of the same load balancer. At most one per HTTP listener.
 */
export const redirects = pgTable(
  "redirects",
  {
    id: idColumn(),
    listenerId: text("listener_id")
      .notNull()
      .references(() => listeners.id, { onDelete: "cascade" }),
    targetListenerId: text("target_listener_id")
      .notNull()
      .references(() => listeners.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex("redirects_listener_uq").on(t.listenerId), index("redirects_target_idx").on(t.targetListenerId)],
);

/** URL Matching Rule of a forwarding policy (table 3-7). */
export type UrlMatchRule = "EXACT" | "PREFIX" | "REGEX";

/**
 * A forwarding policy (guide 3.8.1, table 3-7) of an HTTP/HTTPS listener: requests whose Host equals
 * `domainName` (when set) and whose path matches `url` by `urlMatchRule` (when set) go to `poolId`.
 * At least one of domain and URL is set (checked by the service); the same URL can't be in two
 * policies of a listener (unique index; several domain-only policies have url null). `position` is the
 * creation order (regular expressions are tried in it).
 */
export const forwardingPolicies = pgTable(
  "forwarding_policies",
  {
    id: idColumn(),
    listenerId: text("listener_id")
      .notNull()
      .references(() => listeners.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    domainName: text("domain_name"),
    url: text("url"),
    urlMatchRule: text("url_match_rule").$type<UrlMatchRule>().notNull().default("EXACT"),
    poolId: text("pool_id")
      .notNull()
      .references(() => pools.id),
    position: integer("position").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [
    uniqueIndex("forwarding_policies_listener_url_uq").on(t.listenerId, t.url),
    uniqueIndex("forwarding_policies_listener_position_uq").on(t.listenerId, t.position),
    index("forwarding_policies_pool_idx").on(t.poolId),
  ],
);
