/**
 * Tells the control plane that a committed change affects the data plane (addresses, listeners, pools,
 * members, health checks); the snapshot publisher then compiles and sends a new snapshot. Services never
 * call it themselves: `commitConfigChange` calls it once the transaction has committed.
 */
import "server-only";
export type ConfigChangedSignal = () => void;

/** The signal when no control plane runs in this process (scripts, some tests): nobody listens. */
export const nobodyListens: ConfigChangedSignal = () => {};
