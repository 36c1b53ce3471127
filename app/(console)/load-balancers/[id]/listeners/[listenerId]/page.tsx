import { ListenerPage } from "../../../_components/listeners/listener-page";

/** A listener's own page (guide 3.6–3.8: "click the listener's name"), deep-linkable by URL. */
export default async function ListenerDetailsPage({ params }: { params: Promise<{ id: string; listenerId: string }> }) {
  const { id, listenerId } = await params;
  return <ListenerPage loadBalancerId={id} listenerId={listenerId} />;
}
