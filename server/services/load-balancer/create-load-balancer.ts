import "server-only";
import { and, count, eq } from "drizzle-orm";
import { eips, loadBalancers, loadBalancerTags, projects, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { allocatePrivateIp } from "../network/allocate-private-ip";
import { allocateEip } from "../eip/allocate-eip";
import { bindEipAtomically, findBindableEip } from "../eip/find-bindable-eip";
import { createLoadBalancerSchema } from "./load-balancer.schemas";
import { getLoadBalancerView, type LoadBalancerView } from "./load-balancer-view";

/**
 * Create Elastic Load Balancer (guide 2.3): checks the quota, VPC/subnet, allocates or checks the private
 * IP, allocates a new EIP or binds an existing one, writes tags — all in one transaction.
 */
export async function createLoadBalancer(ctx: ServiceContext, rawInput: unknown): Promise<LoadBalancerView> {
  const input = parseInput(createLoadBalancerSchema, rawInput);
  const { regionId } = ctx.scope;
  const projectId = input.projectId || ctx.scope.projectId;
  const id = await commitConfigChange(ctx, async (tx) => {
    // Lock the project row so concurrent creations cannot both slip under the quota.
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
    if (!project) throw new AppError("NOT_FOUND", "Enterprise Project: not found", "projectId");
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(loadBalancers).where(eq(loadBalancers.projectId, projectId));
    if (n >= project.loadBalancerQuota)
      throw new AppError(
        "QUOTA_EXCEEDED",
        `Quota exceeded: enterprise project ${project.name} can have at most ${project.loadBalancerQuota} load balancers. Delete one or ask the administrator for a higher quota.`,
      );
    const [vpc] = await tx.select().from(vpcs).where(and(eq(vpcs.id, input.vpcId), eq(vpcs.regionId, regionId)));
    if (!vpc) throw new AppError("NOT_FOUND", "VPC: the selected VPC does not exist in this region", "vpcId");
    const [subnet] = await tx.select().from(subnets).where(and(eq(subnets.id, input.subnetId), eq(subnets.vpcId, vpc.id)));
    if (!subnet) throw new AppError("BAD_REQUEST", "Subnet: the selected subnet does not belong to the VPC", "subnetId");
    const privateIp = await allocatePrivateIp(tx, subnet.id, input.privateIp || undefined);
    const [lb] = await tx
      .insert(loadBalancers)
      .values({ name: input.name, description: input.description, regionId, projectId, vpcId: vpc.id, subnetId: subnet.id, privateIp })
      .returning({ id: loadBalancers.id });
    if (input.tags.length) await tx.insert(loadBalancerTags).values(input.tags.map((t) => ({ loadBalancerId: lb!.id, key: t.key, value: t.value })));
    if (input.eip?.mode === "new") {
      await allocateEip(tx, { regionId, projectId, bandwidthMbit: input.eip.bandwidthMbit, poolId: input.eip.eipPoolId, loadBalancerId: lb!.id });
    } else if (input.eip?.mode === "existing") {
      const eip = await findBindableEip(tx, { regionId, projectId }, input.eip.eipId);
      await bindEipAtomically(tx, eip, lb!.id);
    }
    return lb!.id;
  });
  return (await getLoadBalancerView(ctx.db, { regionId, projectId }, id))!;
}
