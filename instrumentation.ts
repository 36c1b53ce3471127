/**
 * Runs once when the console server starts: opens and migrates the database, seeds defaults, and starts
 * the engine supervisor and snapshot publisher (Node.js runtime only).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startControlPlane } = await import("./server/control-plane/start-control-plane");
  await startControlPlane();
}
