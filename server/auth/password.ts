/**
 * Password hashing with scrypt at OWASP's current cost (N=2^17, r=8, p=1). A hash carries its parameters
 * (`scrypt$N$r$p$saltB64$hashB64`), so older hashes keep verifying and `needsRehash` tells log-in to
 * rewrite them. Under vitest only, hashes use cheap parameters unless `ELB_PASSWORD_HASH_COST=real`.
 */
import "server-only";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

/** scrypt cost parameters. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
/** OWASP Password Storage Cheat Sheet: N=2^17 (128 MiB), r=8, p=1. */
export const PASSWORD_HASH_PARAMS: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
/** Cheap parameters for the test suite (never used outside vitest). */
export const TEST_PASSWORD_HASH_PARAMS: Readonly<ScryptParams> = { N: 2 ** 10, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_N = 2 ** 20;

/** The parameters new hashes get. */
export function currentHashParams(): ScryptParams {
  const cheap = Boolean(process.env.VITEST) && process.env.ELB_PASSWORD_HASH_COST !== "real";
  return { ...(cheap ? TEST_PASSWORD_HASH_PARAMS : PASSWORD_HASH_PARAMS) };
}

/** node:crypto refuses more than 32 MiB by default; scrypt needs 128·N·r·p bytes. */
const scryptOptions = ({ N, r, p }: ScryptParams) => ({ N, r, p, maxmem: 128 * N * r * p + 32 * 1024 * 1024 });

/** Hashes a password with scrypt; format `scrypt$N$r$p$saltB64$hashB64`. */
export async function hashPassword(password: string, params: ScryptParams = currentHashParams()): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, scryptOptions(params));
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

/** Parses a stored hash; null when it is not a scrypt hash with sane parameters. */
function parseHash(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, saltB64, hashB64] = stored.split("$");
  if (scheme !== "scrypt" || !saltB64 || !hashB64) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || params.N > MAX_N || !Number.isInteger(params.r) || params.r < 1 || params.r > 32 || !Number.isInteger(params.p) || params.p < 1 || params.p > 16) return null;
  const hash = Buffer.from(hashB64, "base64");
  return hash.length >= 16 ? { params, salt: Buffer.from(saltB64, "base64"), hash } : null;
}

/** Verifies a password against a stored scrypt hash in constant time (false for a malformed hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await scryptAsync(password, parsed.salt, parsed.hash.length, scryptOptions(parsed.params));
  return timingSafeEqual(actual, parsed.hash);
}

/** True when a stored hash was made with other parameters than new hashes get (rewrite it at log-in). */
export function needsRehash(stored: string, params: ScryptParams = currentHashParams()): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}
