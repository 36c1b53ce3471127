import { CreateLoadBalancerForm } from "../_components/create-form";

/** Create Elastic Load Balancer. */
export default function CreateLoadBalancerPage() {
  return <CreateLoadBalancerForm />;
}
