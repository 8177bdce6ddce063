import type { ConsoleOpenView, ConsoleView } from '../../../contract/consoles';
import { ApiError } from '../../../contract/errors';
import type { DirectoryService } from '../services/directory';
import type { SessionLifecycle, SessionRun } from '../sessions/lifecycle';
import { decideCertificate } from './certificate-decision';
import type { ConsoleEnd, ConsoleHost, ConsoleSpec } from './console-host';
import { consoleUrl } from './console-url';
import { trustedOrigins } from './origins';
import { probeTls, type TlsProbeOptions } from './tls-probe';

export interface ConsoleRequest { siteId: number; ticket: string; target: string }

export interface ConsoleSessionsDeps {
  directory: DirectoryService;
  /** The policy's decision and the session's record, the same as every other access method. */
  lifecycle: SessionLifecycle;
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
    const run = await this.deps.lifecycle.begin({ ...request, method: 'https' });
    const { sessionId, decision } = run;
    if (!run.allowed) return { sessionId, decision, console: null, message: decision.reasons.join('\n') };
    try {
      return await this.show(run, request);
    } catch (error) {
      throw run.fail(error, error instanceof CertificateRefused ? { certificate: error.certificate } : {});
    }
  }

  private async show(run: SessionRun, request: ConsoleRequest): Promise<ConsoleOpenView> {
    const { sessionId, decision } = run;
    const site = await this.deps.directory.getSite(request.siteId);
    const host = site.hosts.find((h) => h.name === decision.host);
    if (!host) throw new ApiError('NOT_FOUND', `${decision.host ?? request.target} is no longer a host of ${site.customerName}/${site.name}.`);
    const built = consoleUrl(host, decision);
    const address = run.address;
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
      run.end('launched', detail);
      const checked = certificate.decision === 'pinned' ? "Switchboard checked the certificate against the host's pin" : 'Switchboard checked that a certificate authority vouches for the certificate';
      return { sessionId, decision, console: view, message: `Opened ${built.url} in your browser. ${checked} before opening; the browser does its own check.` };
    }
    run.started('connected', { ...detail, ownerPid: process.pid });
    let settle!: () => void;
    const ended = new Promise<void>((resolve) => (settle = resolve));
    const finish = (end: ConsoleEnd): void => {
      if (this.live.get(sessionId)?.ended !== ended) return;
      this.live.delete(sessionId);
      run.end(end.reason === 'load-failed' ? 'failed' : 'disconnected', {
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
