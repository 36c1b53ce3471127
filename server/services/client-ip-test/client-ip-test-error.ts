/** The step of a client-IP test that failed: starting the test engine or the echo target, or the client's exchange. */
export type ClientIpTestStep = "start" | "exchange";

/** A client-IP test that could not run to its end; the message names the step and why, for the user. */
export class ClientIpTestError extends Error {
  constructor(
    readonly step: ClientIpTestStep,
    message: string,
  ) {
    super(message);
    this.name = "ClientIpTestError";
  }
}
