import "server-only";
import type { Database } from "@/db/client";
import { certificates, eips, forwardingPolicies, healthMonitors, listenerSniCertificates, listeners, loadBalancers, members, pools, redirects } from "@/db/schema";

/** Every row the snapshot compiler needs. */
export interface ConfigRows {
  loadBalancers: (typeof loadBalancers.$inferSelect)[];
  eips: (typeof eips.$inferSelect)[];
  listeners: (typeof listeners.$inferSelect)[];
  pools: (typeof pools.$inferSelect)[];
  members: (typeof members.$inferSelect)[];
  healthMonitors: (typeof healthMonitors.$inferSelect)[];
  certificates: (typeof certificates.$inferSelect)[];
  listenerSniCertificates: (typeof listenerSniCertificates.$inferSelect)[];
  redirects: (typeof redirects.$inferSelect)[];
  forwardingPolicies: (typeof forwardingPolicies.$inferSelect)[];
}

/**
 * Reads the data-plane configuration of all load balancers. Pass a repeatable-read transaction when the
 * rows must come from one consistent view (the publisher does).
 */
export async function loadConfigRows(db: Database): Promise<ConfigRows> {
  return {
    loadBalancers: await db.select().from(loadBalancers),
    eips: await db.select().from(eips),
    listeners: await db.select().from(listeners),
    pools: await db.select().from(pools),
    members: await db.select().from(members),
    healthMonitors: await db.select().from(healthMonitors),
    certificates: await db.select().from(certificates),
    listenerSniCertificates: await db.select().from(listenerSniCertificates),
    redirects: await db.select().from(redirects),
    forwardingPolicies: await db.select().from(forwardingPolicies),
  };
}
