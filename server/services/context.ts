import type { Database } from "@/db/client";
import type { SessionUser } from "../auth/sessions";
import type { ConfigChangedSignal } from "../control-plane/config-changed";
import type { EngineView } from "../control-plane/engine-view";

/** Region and enterprise project the user is working in (the selector in the upper left). */
export interface Scope {
  regionId: string;
  projectId: string;
}

/** What every service function receives besides its input. */
export interface ServiceContext {
  db: Database;
  user: SessionUser;
  scope: Scope;
  /** The engine's reports and the compiler's diagnostics; "not running" when this process runs no control plane. */
  engine: EngineView;
  /** Tells the control plane that committed configuration changed: only `commitConfigChange` calls it. */
  configChanged: ConfigChangedSignal;
}
