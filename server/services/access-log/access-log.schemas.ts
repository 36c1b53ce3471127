import { z } from "zod";
import { idSchema } from "../field-schemas";

/** Input rules of a load balancer's access logging (guide chapter 7, "Configure Access Log"). */

/** Configure Access Log with logging on: the load balancer's HTTP/HTTPS records go to the selected log stream. */
export const configureAccessLogSchema = z.object({
  loadBalancerId: idSchema("Load balancer: select a load balancer"),
  logStreamId: idSchema("Log Stream: select a log stream"),
});
export type ConfigureAccessLogInput = z.input<typeof configureAccessLogSchema>;

/** Configure Access Log with logging off (the selected stream is kept for next time). */
export const disableAccessLogSchema = z.object({ loadBalancerId: idSchema("Load balancer: select a load balancer") });

/** The access log settings of one load balancer. */
export const accessLogOfSchema = disableAccessLogSchema;
