import { createHash } from "node:crypto";
import tls from "node:tls";
import { openSecret } from "../protocol/sealed-secret";
import type { SnapshotCertificate, SnapshotListenerTls } from "../protocol/snapshot.types";
import { SniTable } from "./sni-table";
import { TLS_SESSION_TIMEOUT_SECONDS } from "./ticket-keys";
import type { TlsEnvironment } from "./tls-environment";

/** ALPN offers: HTTP/2 first when the listener enables it and an HTTP/2 handler is there. */
const ALPN_H2 = ["h2", "http/1.1"] as const;
const ALPN_HTTP1 = ["http/1.1"] as const;

/** One server SecureContext (certificate + key, and the listener's CA under Mutual Authentication). */
interface ContextEntry {
  readonly context: tls.SecureContext;
  /** The ticket-key period its ticket key belongs to. */
  period: number;
}

/**
 * The TLS side of one HTTPS listener for one snapshot, compiled once: the TLSSocket options every
 * accepted connection shares (default SecureContext, SNI callback, mutual authentication, ALPN).
 */
export interface CompiledTls {
  /** Passed as is to `new tls.TLSSocket(socket, options)`: never copied or changed per connection. */
  readonly socketOptions: tls.TLSSocketOptions;
  /** Mutual Authentication on: a client's certificate must be checked (clientCertificateRefusal) after 'secure'. */
  readonly mutual: boolean;
  /** The protocols offered by ALPN. */
  readonly alpn: readonly string[];
  /** Server name → context (the Server Certificate's when SNI is off or nothing matches). */
  readonly sni: SniTable<tls.SecureContext>;
  /** Server name → id of the certificate `sni` serves for it (the access log's certificate_id). */
  readonly certificateIds: SniTable<string>;
  /** Switches every context to the ticket key of the period `now` falls in, when it changed (once per period). */
  refreshTicketKeys(now: number): void;
}

/** A compile: the TLS settings to serve (null: none could be built) and what went wrong, each naming its certificate. */
export interface TlsCompileResult {
  readonly tls: CompiledTls | null;
  readonly problems: string[];
}

/** What Node's native SecureContext offers beyond the public API (tls.Server uses the same two calls). */
type NativeContext = { setTicketKeys?: (keys: Buffer) => void; setSessionIdContext?: (id: string) => void };

/**
 * Compiles the TLS settings of one listener, snapshot after snapshot. A SecureContext is built once per
 * certificate content (certificate chain, sealed key, the CA of Mutual Authentication) and reused by the
 * next compile while that content did not change; never per connection. A Server Certificate or CA
 * certificate that cannot be used makes the compile fail (`tls` null: the caller keeps serving what it
 * had); an SNI certificate that cannot is left out. Either way `problems` names the certificate.
 */
export class ListenerTlsCompiler {
  private contexts = new Map<string, ContextEntry>();

  constructor(private readonly environment: TlsEnvironment) {}

  /** Compiles a listener's TLS settings against the snapshot's certificates (by id). */
  compile(
    settings: SnapshotListenerTls | null | undefined,
    certificates: ReadonlyMap<string, SnapshotCertificate> = new Map(),
    offerHttp2 = false,
  ): TlsCompileResult {
    const problems: string[] = [];
    if (settings === null || settings === undefined) return { tls: null, problems: ["HTTPS listener without TLS settings (Server Certificate)"] };
    const now = Date.now();
    const period = this.environment.ticketKeys.periodAt(now);
    const ticketKey = this.environment.ticketKeys.keyOf(period);
    const previous = this.contexts;
    const next = new Map<string, ContextEntry>();

    let caPem: string | null = null;
    if (settings.caCertificateId !== null) {
      const ca = certificates.get(settings.caCertificateId);
      if (ca === undefined) return { tls: null, problems: [`CA certificate ${settings.caCertificateId} not in snapshot`] };
      if (ca.type !== "CA") return { tls: null, problems: [`certificate ${ca.id} is not a CA certificate (Mutual Authentication)`] };
      caPem = ca.certificatePem;
    }
    const contextOf = (id: string, role: string): ContextEntry | string => {
      const certificate = certificates.get(id);
      if (certificate === undefined) return `${role} ${id} not in snapshot`;
      if (certificate.type !== "SERVER") return `${role} ${id} is not a server certificate`;
      const key = createHash("sha256").update(`${certificate.certificatePem}\0${certificate.privateKeySealed ?? ""}\0${caPem ?? ""}`).digest("hex");
      const reused = next.get(key) ?? previous.get(key);
      if (reused !== undefined) {
        // A context of an earlier period (no connection came to rotate it): this compile's period, as new ones get.
        if (reused.period !== period) {
          (reused.context.context as NativeContext).setTicketKeys?.(ticketKey);
          reused.period = period;
        }
        next.set(key, reused);
        return reused;
      }
      const built = this.build(certificate, caPem, key, ticketKey);
      if (typeof built === "string") return `${role} ${id}: ${built}`;
      const entry: ContextEntry = { context: built, period };
      next.set(key, entry);
      return entry;
    };

    const main = contextOf(settings.certificateId, "Server Certificate");
    if (typeof main === "string") return { tls: null, problems: [main] };
    const sni = new SniTable(main.context);
    const certificateIds = new SniTable(settings.certificateId);
    for (const id of settings.sniCertificateIds) {
      const entry = contextOf(id, "SNI certificate");
      if (typeof entry === "string") {
        problems.push(entry);
        continue;
      }
      const domain = certificates.get(id)?.domainName;
      if (!domain) problems.push(`SNI certificate ${id} has no domain name`);
      else {
        sni.add(domain, entry.context);
        certificateIds.add(domain, id);
      }
    }
    this.contexts = next;

    const alpn = offerHttp2 && settings.http2 ? ALPN_H2 : ALPN_HTTP1;
    const mutual = caPem !== null;
    const socketOptions: tls.TLSSocketOptions = {
      isServer: true,
      secureContext: main.context,
      ALPNProtocols: [...alpn],
      requestCert: mutual,
      rejectUnauthorized: mutual,
    };
    // One callback per compile (not per connection): the table is this snapshot's.
    if (sni.size > 0) socketOptions.SNICallback = (serverName, done) => done(null, sni.select(serverName));
    const entries = [...next.values()];
    const environment = this.environment;
    let current = period;
    const refreshTicketKeys = (at: number): void => {
      const due = environment.ticketKeys.periodAt(at);
      if (due === current) return;
      current = due;
      const rotated = environment.ticketKeys.keyOf(due);
      for (const entry of entries) {
        if (entry.period === due) continue;
        (entry.context.context as NativeContext).setTicketKeys?.(rotated);
        entry.period = due;
      }
    };
    return { tls: { socketOptions, mutual, alpn, sni, certificateIds, refreshTicketKeys }, problems };
  }

  /** A SecureContext, or why not. */
  private build(certificate: SnapshotCertificate, caPem: string | null, contentKey: string, ticketKey: Buffer): tls.SecureContext | string {
    const secret = this.environment.secretKey;
    if (certificate.privateKeySealed === null) return "has no private key";
    if (secret.key === null) return `cannot open its private key: ${secret.problem ?? "no secret key"}`;
    let keyPem: string;
    try {
      keyPem = openSecret(certificate.privateKeySealed, secret.key);
    } catch (err) {
      return `cannot open its private key (sealed with another secret key?): ${(err as Error).message}`;
    }
    try {
      const context = tls.createSecureContext({
        cert: certificate.certificatePem,
        key: keyPem,
        ca: caPem ?? undefined,
        minVersion: "TLSv1.2",
        maxVersion: "TLSv1.3",
        ticketKeys: ticketKey,
        sessionTimeout: TLS_SESSION_TIMEOUT_SECONDS,
      });
      // Resumption under Mutual Authentication needs a session id context (OpenSSL refuses the handshake
      // otherwise); the same in every thread, and new when the certificate or CA changes.
      (context.context as NativeContext).setSessionIdContext?.(contentKey.slice(0, 32));
      return context;
    } catch (err) {
      return `not usable: ${(err as Error).message}`;
    }
  }
}
