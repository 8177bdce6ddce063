import { describeForwardPorts, forwardPortsOf } from '../../../contract/domain/forward-ports';
import { ApiError } from '../../../contract/errors';
import type { ForwardOpenResult, ForwardView } from '../../../contract/models';
import { createLogger } from '../logger';
import type { DirectoryService } from '../services/directory';
import type { SessionLogService } from '../services/session-log';
import type { LocalForward, SshConnection } from '../ssh/ssh-connection';
import type { SessionLifecycle, SessionRun } from './lifecycle';

const log = createLogger('forwards');

export interface ForwardRequest { host: string; port: number; localPort?: number | undefined }

export interface PortForwardsDeps {
  directory: DirectoryService;
  /** The carrier's record (its site and ticket are the forward's too). */
  sessionLog: SessionLogService;
  lifecycle: SessionLifecycle;
}

/** The SSH session a forward rides on: its id in the session log and its live connection. */
export interface ForwardCarrier { sessionId: string; connection: SshConnection }


interface LiveForward {
  view: Omit<ForwardView, 'connections' | 'bytesIn' | 'bytesOut'>;
  forward: LocalForward;
  run: SessionRun;
  ended: boolean;
}

/**
 * Local port forwards (`ssh -L`) through live SSH sessions. Each forward is its own connection to a
 * trusted host of the carrier's site, so it is decided by the policy like any other (same ticket,
 * same site, the host's allow-list) and is a session of its own in the log — attempt, start, end —
 * whose detail names the SSH session it rides on. The SSH server is given the IP the policy
 * approved, never a name to resolve. The listener is on 127.0.0.1 only and closes with the carrier,
 * however the carrier ends.
 */
export class PortForwards {
  private readonly live = new Map<string, LiveForward>();

  constructor(private readonly deps: PortForwardsDeps) {}

  async open(carrier: ForwardCarrier, request: ForwardRequest): Promise<ForwardOpenResult> {
    const { record } = await this.deps.sessionLog.get(carrier.sessionId);
    if (record.siteId === null || record.ticket === null) {
      throw new ApiError('INTERNAL', `Session ${carrier.sessionId} has no site or ticket in the log; cannot check a forward against it.`);
    }
    const site = await this.deps.directory.getSite(record.siteId);
    const host = site.hosts.find((h) => h.name.toLowerCase() === request.host.toLowerCase());
    const offered = host ? forwardPortsOf(host) : [];
    const entry = offered.find((p) => p.port === request.port);
    // A port the host does not offer is still checked as the host (under a method it does offer), so
    // the refusal names the port rather than an endpoint that was never asked for.
    const method = entry?.method ?? offered[0]?.method ?? 'ssh';
    const destination = (host: string | null) => `${host ?? request.host}:${request.port}`;
    const run = await this.deps.lifecycle.begin({ siteId: record.siteId, ticket: record.ticket, target: request.host, method }, {
      // Allowed to the host is not enough: the port must be one the host exposes for forwarding.
      refine: (decision) => decision.allowed && !entry
        ? { ...decision, allowed: false, address: null, reasons: [`${decision.host} does not expose port ${request.port} for forwarding. ${describeForwardPorts(decision.host!, offered)}`] }
        : decision,
      detail: { forwardVia: carrier.sessionId, forwardTo: destination(host?.name ?? null), ...(entry ? { forwardKind: entry.kind } : {}), ...(request.localPort ? { requestedLocalPort: request.localPort } : {}) },
    });
    const { decision } = run;
    const forwardId = run.sessionId;
    if (!decision.allowed) {
      log.info(`forward to ${destination(decision.host)} through ${carrier.sessionId} denied: ${decision.reasons.join(' ')}`);
      return { decision, forward: null };
    }

    let forward: LocalForward;
    try {
      forward = await carrier.connection.forwardLocal(decision.address!, request.port, request.localPort ?? 0);
    } catch (error) {
      throw run.fail(listenFailure(error, request.localPort));
    }
    const started = run.started('forwarding', { ownerPid: process.pid, listen: `127.0.0.1:${forward.localPort}`, forwardTo: `${destination(decision.host)} at ${decision.address}` });
    const live: LiveForward = {
      view: {
        forwardId, sessionId: carrier.sessionId, localAddress: '127.0.0.1', localPort: forward.localPort, host: decision.host!, address: decision.address!,
        port: request.port, kind: entry!.kind, label: entry!.label, openedAt: started.at,
      },
      forward, run, ended: false,
    };
    this.live.set(forwardId, live);
    log.info(`forward 127.0.0.1:${forward.localPort} → ${destination(decision.host)} (${decision.address}) through ${carrier.sessionId}`);
    // However the session ends (closed, lost, recording failed, app quitting): its forwards end with it.
    void carrier.connection.closed.then((lost) => this.end(live, lost ? `the SSH session was lost: ${lost.message}` : 'the SSH session ended'));
    return { decision, forward: viewOf(live) };
  }

  /** The live forwards of one SSH session (none once it has ended). */
  list(sessionId: string): ForwardView[] {
    return [...this.live.values()].filter((l) => l.view.sessionId === sessionId).map(viewOf);
  }

  async close(forwardId: string): Promise<ForwardView> {
    const live = this.live.get(forwardId);
    if (!live) throw new ApiError('NOT_FOUND', `There is no open forward ${forwardId}; it may have closed with its session.`);
    await live.forward.close();
    this.end(live, 'closed by the engineer');
    return viewOf(live);
  }

  /** Logs the end synchronously (the session's own end is logged right after), then lets the listener go. */
  private end(live: LiveForward, because: string): void {
    if (live.ended) return;
    live.ended = true;
    this.live.delete(live.view.forwardId);
    const stats = live.forward.stats();
    live.run.end('closed', { closedBecause: because, connections: stats.total, ...(stats.refused ? { refusedConnections: stats.refused } : {}) }, { bytesIn: stats.bytesIn, bytesOut: stats.bytesOut });
    log.info(`forward 127.0.0.1:${live.view.localPort} closed: ${because}`);
    void live.forward.close();
  }
}

function viewOf(live: LiveForward): ForwardView {
  const { open, total, refused, bytesIn, bytesOut } = live.forward.stats();
  return { ...live.view, connections: { open, total, refused }, bytesIn, bytesOut };
}

/** Why the local listener could not open, as a person can act on it. */
function listenFailure(error: unknown, localPort: number | undefined): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const where = `127.0.0.1:${localPort ?? 0}`;
  if (code === 'EADDRINUSE') return new ApiError('IN_USE', `${where} is already in use on this computer. Pick another local port, or leave it empty for a free one.`);
  if (code === 'EACCES') return new ApiError('INVALID_INPUT', `Switchboard may not listen on ${where}. Pick a local port from 1024 to 65535, or leave it empty for a free one.`);
  return new ApiError('INTERNAL', `Could not listen on ${where}: ${(error as Error).message}`);
}
