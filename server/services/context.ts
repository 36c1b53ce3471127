import type { Database } from "@/db/client";
import type { SessionUser } from "../auth/sessions";

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
}
