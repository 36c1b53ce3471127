/** A tab of a listener's page (kept in the URL as ?tab=…). */
export type ListenerTab = "forwarding-policies" | "redirects" | "monitoring";

/** The dialogs the listener page's buttons open (Configure beside Access Control / SNI, Modify, Delete). */
export type ListenerPageAction = "access-control" | "sni" | "modify" | "delete" | null;
