/** The whole database schema, one table per file. */
export * from "./users";
export * from "./sessions";
export * from "./regions";
export * from "./projects";
export * from "./networks";
export * from "./servers";
export * from "./eips";
export * from "./load-balancers";
export * from "./certificates";
export * from "./listeners";
export * from "./listener-l7";
export * from "./pools";
export * from "./members";
export * from "./health-monitors";
export * from "./traces";
export * from "./settings";
export * from "./login-throttle";
