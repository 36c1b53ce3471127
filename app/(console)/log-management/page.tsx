import { LogManagement } from "./_components/log-management";

/** Log Management (guide chapter 7): log groups and their log streams, where load balancers' access logs go. */
export default function LogManagementPage() {
  return <LogManagement />;
}
