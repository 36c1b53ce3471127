import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import {
  bindEipSchema,
  createLoadBalancerSchema,
  deleteLoadBalancerSchema,
  listLoadBalancersSchema,
  loadBalancerIdSchema,
  modifyBandwidthSchema,
  updateLoadBalancerSchema,
} from "../../../services/load-balancer/load-balancer.schemas";
import { createLoadBalancer } from "../../../services/load-balancer/create-load-balancer";
import { listLoadBalancers } from "../../../services/load-balancer/list-load-balancers";
import { getLoadBalancer } from "../../../services/load-balancer/get-load-balancer";
import { updateLoadBalancer } from "../../../services/load-balancer/update-load-balancer";
import { modifyBandwidth } from "../../../services/load-balancer/modify-bandwidth";
import { bindEip } from "../../../services/load-balancer/bind-eip";
import { unbindEip } from "../../../services/load-balancer/unbind-eip";
import { deleteLoadBalancer } from "../../../services/load-balancer/delete-load-balancer";
import { listNetworkOptions } from "../../../services/network/list-network-options";

const trace = (name: string) => ({ trace: { name, resourceType: "loadbalancer" } });

/** Load balancers (guide chapter 2): thin procedures over the services. */
export const loadBalancerRouter = createTRPCRouter({
  list: protectedProcedure.input(listLoadBalancersSchema).query(({ ctx, input }) => listLoadBalancers(ctx.service, input)),
  networkOptions: protectedProcedure.query(({ ctx }) => listNetworkOptions(ctx.service)),
  get: protectedProcedure.input(loadBalancerIdSchema).query(({ ctx, input }) => getLoadBalancer(ctx.service, input)),
  create: mutationProcedure
    .meta(trace("create loadbalancer"))
    .input(createLoadBalancerSchema)
    .mutation(({ ctx, input }) => createLoadBalancer(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update loadbalancer"))
    .input(updateLoadBalancerSchema)
    .mutation(({ ctx, input }) => updateLoadBalancer(ctx.service, input)),
  modifyBandwidth: mutationProcedure
    .meta(trace("update loadbalancer"))
    .input(modifyBandwidthSchema)
    .mutation(({ ctx, input }) => modifyBandwidth(ctx.service, input)),
  bindEip: mutationProcedure
    .meta(trace("update loadbalancer"))
    .input(bindEipSchema)
    .mutation(({ ctx, input }) => bindEip(ctx.service, input)),
  unbindEip: mutationProcedure
    .meta(trace("update loadbalancer"))
    .input(loadBalancerIdSchema)
    .mutation(({ ctx, input }) => unbindEip(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete loadbalancer"))
    .input(deleteLoadBalancerSchema)
    .mutation(({ ctx, input }) => deleteLoadBalancer(ctx.service, input)),
});
