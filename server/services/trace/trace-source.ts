/**
 * Trace Source (guide 9.2 step 5): the service that recorded a trace. Everything this console changes is
 * Elastic Load Balance's, except its users (log in, log out, create/modify/delete user), which a cloud
 * records as IAM traces.
 */
export const TRACE_SOURCES = ["ELB", "IAM"] as const;
export type TraceSource = (typeof TRACE_SOURCES)[number];

/** Resource types whose traces are IAM's rather than ELB's. */
export const IAM_RESOURCE_TYPES: readonly string[] = ["user"];

/** The Trace Source of a trace with this resource type. */
export function traceSourceOf(resourceType: string): TraceSource {
  return IAM_RESOURCE_TYPES.includes(resourceType) ? "IAM" : "ELB";
}

/**
 * Trace Type (guide 9.2 step 5): management traces record operations on resources; data traces record
 * operations on the data a resource holds. A load balancer's traffic is not traced (access logs record it),
 * so every trace of this console is a management trace.
 */
export const TRACE_TYPES = ["management", "data"] as const;
export type TraceType = (typeof TRACE_TYPES)[number];
