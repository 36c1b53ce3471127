import { AlarmRuleList } from "./_components/alarm-rule-list";

/** Alarm Rules (guide 8.2): rules on the metrics of load balancers and listeners, with their states. */
export default function AlarmRulesPage() {
  return <AlarmRuleList />;
}
