import path from "node:path";

/** File name of the control socket inside ELB_ENGINE_STATE_DIR. */
export const CONTROL_SOCKET_NAME = "control.sock";
/** File name of the pid file inside ELB_ENGINE_STATE_DIR (informational: the lock is the engine's abstract socket). */
export const PID_FILE_NAME = "engine.pid";
/** Exit code of an engine that found another live engine on its state folder. */
export const EXIT_STATE_DIR_LOCKED = 75;

/** Path of the control socket of the engine keeping its state in `stateDir`. */
export const controlSocketPath = (stateDir: string): string => path.join(stateDir, CONTROL_SOCKET_NAME);
