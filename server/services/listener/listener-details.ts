import "server-only";
import { asc, count, eq, inArray, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { certificates, forwardingPolicies, listenerSniCertificates, listeners, redirects } from "@/db/schema";
import { clientIpOf, type ClientIpSettings } from "./client-ip.schemas";

/** A listener elsewhere in a view: id, name, port. */
export interface ListenerRef {
  id: string;
  name: string;
  port: number;
}

/** The protocol-specific parts of a listener view (HTTPS, SNI, access control, redirects, policies, client IP). */
export interface ListenerDetails {
  /** HTTPS: the Server Certificate; null otherwise. */
  serverCertificate: { id: string; name: string } | null;
  /** HTTPS Advanced Settings: HTTP/2. */
  http2Enabled: boolean;
  /** HTTPS Advanced Settings: Mutual Authentication is on exactly when this is set. */
  caCertificate: { id: string; name: string } | null;
  /** HTTPS: SNI and its certificates (by name). */
  sni: { enabled: boolean; certificates: { id: string; name: string; domainName: string | null }[] };
  /** Access Control (guide 3.6): disabled admits everyone; enabled admits the whitelist only. */
  accessControl: { enabled: boolean; whitelist: string[] };
  /** HTTP: its redirect to an HTTPS listener, or null. */
  redirect: { id: string; name: string; description: string; targetListener: ListenerRef } | null;
  /** HTTPS: the HTTP listeners redirected to this one (it can't be deleted while there are any). */
  redirectedFrom: { redirectId: string; redirectName: string; listener: ListenerRef }[];
  /** How many forwarding policies the listener has (guide 3.8.1: at most 500). */
  forwardingPolicyCount: number;
  /** Client IP settings (issue 10): Transfer Client IP Address, Proxy Protocol, Trusted IPs, X-Forwarded-*, Real IP Header. */
  clientIp: ClientIpSettings;
}

type ListenerRow = typeof listeners.$inferSelect;

/** Loads the details of several listeners at once (a fixed number of queries, whatever their count). */
export async function loadListenerDetails(db: Database, rows: ListenerRow[]): Promise<Map<string, ListenerDetails>> {
  const ids = rows.map((l) => l.id);
  if (ids.length === 0) return new Map();
  const [sniRows, redirectRows, policyCounts] = await Promise.all([
    db
      .select({ listenerId: listenerSniCertificates.listenerId, id: certificates.id, name: certificates.name, domainName: certificates.domainName })
      .from(listenerSniCertificates)
      .innerJoin(certificates, eq(certificates.id, listenerSniCertificates.certificateId))
      .where(inArray(listenerSniCertificates.listenerId, ids))
      .orderBy(asc(certificates.domainName), asc(certificates.id)),
    db
      .select()
      .from(redirects)
      .where(or(inArray(redirects.listenerId, ids), inArray(redirects.targetListenerId, ids)))
      .orderBy(asc(redirects.createdAt), asc(redirects.id)),
    db
      .select({ listenerId: forwardingPolicies.listenerId, n: count() })
      .from(forwardingPolicies)
      .where(inArray(forwardingPolicies.listenerId, ids))
      .groupBy(forwardingPolicies.listenerId),
  ]);
  const certificateIds = [...new Set(rows.flatMap((l) => [l.serverCertificateId, l.caCertificateId]).filter((id): id is string => id !== null))];
  const refIds = [...new Set(redirectRows.flatMap((r) => [r.listenerId, r.targetListenerId]))];
  const [certificateRows, refRows] = await Promise.all([
    certificateIds.length ? db.select({ id: certificates.id, name: certificates.name }).from(certificates).where(inArray(certificates.id, certificateIds)) : [],
    refIds.length ? db.select({ id: listeners.id, name: listeners.name, port: listeners.port }).from(listeners).where(inArray(listeners.id, refIds)) : [],
  ]);
  const certificateById = new Map(certificateRows.map((c) => [c.id, c]));
  const refById = new Map(refRows.map((l) => [l.id, l]));
  const certificateOf = (id: string | null) => (id === null ? null : (certificateById.get(id) ?? null));
  return new Map(
    rows.map((l) => {
      const own = redirectRows.find((r) => r.listenerId === l.id);
      const details: ListenerDetails = {
        serverCertificate: certificateOf(l.serverCertificateId),
        http2Enabled: l.http2Enabled,
        caCertificate: certificateOf(l.caCertificateId),
        sni: { enabled: l.sniEnabled, certificates: sniRows.filter((s) => s.listenerId === l.id).map(({ id, name, domainName }) => ({ id, name, domainName })) },
        accessControl: { enabled: l.accessControlEnabled, whitelist: [...l.accessControlWhitelist] },
        redirect: own ? { id: own.id, name: own.name, description: own.description, targetListener: refById.get(own.targetListenerId)! } : null,
        redirectedFrom: redirectRows
          .filter((r) => r.targetListenerId === l.id)
          .map((r) => ({ redirectId: r.id, redirectName: r.name, listener: refById.get(r.listenerId)! })),
        forwardingPolicyCount: policyCounts.find((p) => p.listenerId === l.id)?.n ?? 0,
        clientIp: clientIpOf(l),
      };
      return [l.id, details];
    }),
  );
}
