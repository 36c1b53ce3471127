/**
 * Whether a test file that needs something of the machine (nginx, HAProxy, network namespaces) must be
 * skipped: `reason` null = it runs. A skip says why on stderr; under CI (`CI=true`, where `npm test`
 * installs every peer and runs as root) there is no skip: the file fails with the reason, so a CI run can
 * never pass a feature whose proof did not run.
 */
export function skipLoudly(file: string, reason: string | null): boolean {
  if (reason === null) return false;
  if (process.env.CI === "true") throw new Error(`[${file}] cannot run under CI: ${reason}`);
  console.error(`[${file}] SKIPPED: ${reason}`);
  return true;
}
