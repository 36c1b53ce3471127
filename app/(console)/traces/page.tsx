import { TraceList } from "./_components/trace-list";

/** Cloud Trace Service: the Trace List of guide 9.2. */
export default function TracesPage() {
  return <TraceList />;
}
