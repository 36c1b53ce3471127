import { LoadBalancerList } from "./_components/load-balancer-list";

/** Load Balancers (guide chapter 2). */
export default function LoadBalancersPage() {
  return <LoadBalancerList />;
}
