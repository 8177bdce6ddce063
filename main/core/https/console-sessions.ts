import { randomUUID } from 'node:crypto';
import type { ConsoleOpenView, ConsoleView } from '../../../contract/consoles';
import { ApiError } from '../../../contract/errors';
import type { PolicyDecision } from '../../../contract/models';
import { getSite } from '../directory/sites';
import { createLogger } from '../logger';
import type { ConnectionRequest } from '../policy/authorize';
import type { SessionLog } from '../session-log/session-log';
import type { Db } from '../store/database';
import { decideCertificate } from './certificate-decision';
import type { ConsoleEnd, ConsoleHost, ConsoleSpec } from './console-host';
import { consoleUrl } from './console-url';
import { trustedOrigins } from './origins';
import { probeTls, type TlsProbeOptions } from './tls-probe';
import { attemptEvent, logBase, type LogBase } from '../session-log/attempt';

const log = createLogger('consoles');

export interface ConsoleRequest { siteId: number; ticket: string; target: string }

export interface ConsoleSessionsDeps {
  db: Db;
  log: SessionLog;
  engineer: string;
  /** The connection policy (SessionManager.check): the same decision as every other session. */
  check: (request: Omit<ConnectionRequest, 'engineer'>) => Promise<PolicyDecision>;
  host: ConsoleHost;
  tls?: TlsProbeOptions;
}


/** A refused certificate: the error the window sees, plus what the session log keeps of it. */
class CertificateRefused extends ApiError {
  constructor(code: ApiError['code'], message: string, readonly certificate: { fingerprint: string; pin: string | null; decision: 'refused' }) {
    super(code, message);
  }
}

interface LiveConsole { ended: Promise<void>; finish: (end: ConsoleEnd) => void }

/**
 * HTTPS consoles end to end: the policy decides (every attempt logged), the console URL is built
 * for the IP it approved, the server's certificate is checked against the host's pin before
 * anything is shown, and the console host shows it. A console in a window is a running session
 * whose end is logged when the window closes; one handed to the browser ends at the hand-off.
 */
export class ConsoleSessions {
  /** Consoles open in a window; each settles once its end is in the session log. */
  private readonly live = new Map<string, LiveConsole>();

  constructor(private readonly deps: ConsoleSessionsDeps) {}

  async open(request: ConsoleRequest): Promise<ConsoleOpenView> {
    const decision = await this.deps.check({ ...request, method: 'https' });
    const sessionId = randomUUID();
    const base = logBase(sessionId, this.deps.engineer, request, decision, 'https');
    this.deps.log.append(attemptEvent(base, decision));
    if (!decision.allowed) return { sessionId, decision, console: null, message: decision.reasons.join('\n') };
    try {
      return await this.show(sessionId, base, decision, request);
    } catch (error) {
      const failure = error instanceof ApiError ? error : new ApiError('INTERNAL', (error as Error).message);
      this.end(base, 'failed', { code: failure.code, error: failure.message, ...(failure instanceof CertificateRefused ? { certificate: failure.certificate } : {}) });
      throw failure;
    }
  }

  private async show(sessionId: string, base: LogBase, decision: PolicyDecision, request: ConsoleRequest): Promise<ConsoleOpenView> {
    const site = getSite(this.deps.db, request.siteId);
    const host = site.hosts.find((h) => h.name === decision.host);
    if (!host) throw new ApiError('NOT_FOUND', `${decision.host ?? request.target} is no longer a host of ${site.customerName}/${site.name}.`);
    const built = consoleUrl(host, decision);
    const address = decision.address!;
    const probe = await probeTls(address, host.https!.port, this.deps.tls);
    if (!probe.ok) throw new ApiError(probe.code, probe.message);
    const verdict = decideCertificate(probe, host.https!.certSha256, { host: host.name, endpoint: built.hostHeader });
    if (!verdict.ok) throw new CertificateRefused(verdict.code, verdict.message, { fingerprint: verdict.fingerprint, pin: verdict.pin, decision: 'refused' });
    const { certificate } = verdict;
    const spec: ConsoleSpec = {
      sessionId, url: built.url, origin: built.origin, trustedOrigins: trustedOrigins(built.origin), pin: certificate.decision === 'pinned' ? certificate.pin : null,
      title: `${host.name} · ${site.customerName}/${site.name} · ${request.ticket}`,
    };
    const shownIn = this.deps.host.shownIn;
    const view: ConsoleView = { url: built.url, origin: built.origin, host: host.name, address, shownIn, certificate };
    const detail = { url: built.url, origin: built.origin, shownIn, certificate: { fingerprint: certificate.fingerprint, decision: certificate.decision, pin: certificate.pin } };
    if (shownIn === 'browser') {
      await this.deps.host.show(spec, () => {});
      this.end(base, 'launched', detail);
      const checked = certificate.decision === 'pinned' ? "Switchboard checked the certificate against the host's pin" : 'Switchboard checked that a certificate authority vouches for the certificate';
      return { sessionId, decision, console: view, message: `Opened ${built.url} in your browser. ${checked} before opening; the browser does its own check.` };
    }
    this.deps.log.append({ ...base, kind: 'started', outcome: 'connected', detail: { ...detail, ownerPid: process.pid } });
    let settle!: () => void;
    const ended = new Promise<void>((resolve) => (settle = resolve));
    const finish = (end: ConsoleEnd): void => {
      if (this.live.get(sessionId)?.ended !== ended) return;
      this.live.delete(sessionId);
      this.end(base, end.reason === 'load-failed' ? 'failed' : 'disconnected', {
        closedBy: end.reason, ...(end.error ? { error: end.error } : {}), refusedCount: end.refusedCount, refused: end.refused, downloads: end.downloads,
      });
      settle();
    };
    this.live.set(sessionId, { ended, finish });
    try {
      await this.deps.host.show(spec, finish);
    } catch (error) {
      // open() logs this failure as the session's end.
      this.live.delete(sessionId);
      settle();
      throw error;
    }
    return { sessionId, decision, console: view, message: `Opened ${built.url} in a Switchboard console window.` };
  }

  private end(base: LogBase, outcome: string, detail: Record<string, unknown>): void {
    try {
      this.deps.log.append({ ...base, kind: 'ended', outcome, detail });
    } catch (error) {
      log.error(`could not record the end of console ${base.sessionId}`, error);
    }
  }

  /** Closes a console window; resolves once its end is in the session log. */
  async close(sessionId: string): Promise<void> {
    const entry = this.live.get(sessionId);
    if (!entry) {
      throw new ApiError('NOT_FOUND', this.deps.host.shownIn === 'browser'
        ? 'That console was handed to your browser; close its tab there (the hand-off is what the session log records).'
        : 'That console is not open (its window may have been closed already).');
    }
    // A window that vanished without telling us still ends the session in the log.
    if (!this.deps.host.close(sessionId)) entry.finish({ reason: 'closed', error: 'the console window was already gone', refused: [], refusedCount: 0, downloads: [] });
    await entry.ended;
  }

  running(): string[] {
    return [...this.live.keys()];
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.running().map((id) => this.close(id).catch(() => undefined)));
  }
}
