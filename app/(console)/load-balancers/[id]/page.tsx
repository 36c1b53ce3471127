import { LoadBalancerDetails } from "../_components/load-balancer-details";

/** Details page of one load balancer. */
export default async function LoadBalancerDetailsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LoadBalancerDetails id={id} />;
}
