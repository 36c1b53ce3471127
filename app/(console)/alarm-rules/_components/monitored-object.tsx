import Link from "next/link";
import type { AlarmRuleView } from "@/server/services/alarm-rule/alarm-rule-view";

/** The monitored object of a rule: a link to the load balancer or listener, or its saved name marked orphaned. */
export function MonitoredObject({ rule }: { rule: AlarmRuleView }) {
  if (rule.object.orphaned)
    return (
      <span>
        {rule.objectName}{" "}
        <span className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-200" title="The load balancer or listener was deleted; the rule is kept.">
          Orphaned
        </span>
      </span>
    );
  const href = rule.listenerId ? `/load-balancers/${rule.loadBalancerId}/listeners/${rule.listenerId}` : `/load-balancers/${rule.loadBalancerId}`;
  return (
    <span>
      <Link href={href} className="text-brand hover:underline">
        {rule.object.name}
      </Link>
      {rule.listenerId && <span className="ml-1 text-xs text-slate-500">({rule.object.loadBalancerName})</span>}
    </span>
  );
}
