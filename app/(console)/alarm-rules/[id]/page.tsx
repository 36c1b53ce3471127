import { AlarmRuleDetails } from "../_components/alarm-rule-details";

/** Details of one alarm rule: its condition, state history and notification deliveries. */
export default async function AlarmRuleDetailsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AlarmRuleDetails id={id} />;
}
