import { ApiError } from '../../../contract/errors';
import type { PolicyDecision, Site } from '../../../contract/models';
import { anydeskLink, meetingLink, teamviewerLink } from '../launchers/deep-links';
import type { ExternalOpener } from '../launchers/external-opener';
import { vpnCommand, VpnProcess, type VpnExit } from '../launchers/vpn';
import type { SessionProfile, VpnProfileStore } from '../launchers/vpn-profile-store';
import type { ConnectionRequest } from '../policy/authorize';
import type { DirectoryService } from '../services/directory';
import type { SessionLifecycle, SessionRun } from './lifecycle';

export type Launch =
  | { kind: 'link'; url: string; opened: boolean; partnerId?: string; failure?: string }
  | { kind: 'process'; command: string[]; running: boolean; pid?: number }
  | { kind: 'command'; command: string[] };

export interface ConnectResult { sessionId: string; decision: PolicyDecision; launch: Launch | null; message: string }

export interface LaunchesDeps {
  directory: DirectoryService;
  /** The policy's decision and the session's record, the same as every other access method. */
  lifecycle: SessionLifecycle;
  opener: ExternalOpener;
  /** Where VPN clients are looked up (tests put a stand-in first on PATH). */
  env?: NodeJS.ProcessEnv;
  /** Checked copies of the sites' VPN profiles; each session starts from one, gateway forced. */
  vpnProfiles: VpnProfileStore;
}

/**
 * Launched sessions (the contract's `launches.*`): access that Switchboard hands to another program —
 * TeamViewer/AnyDesk deep links, meeting links, VPN clients, or a printed command line. Each goes
 * through the one session lifecycle: the policy decides, the attempt is logged whatever the decision,
 * and an allowed one is launched against the address the policy approved.
 */
export class Launches {
  /** Running process sessions; `logged` settles once the end is in the session log. */
  private readonly processes = new Map<string, { process: VpnProcess; logged: Promise<VpnExit> }>();

  constructor(private readonly deps: LaunchesDeps) {}

  async open(request: Omit<ConnectionRequest, 'engineer'>, options: { print?: boolean } = {}): Promise<ConnectResult> {
    const run = await this.deps.lifecycle.begin(request, {
      detail: { print: Boolean(options.print), ...(request.presenterConfirmed ? { presenterConfirmed: true } : {}) },
    });
    const { sessionId, decision } = run;
    if (!run.allowed) return { sessionId, decision, launch: null, message: decision.reasons.join('\n') };
    try {
      return await this.launch(run, request, Boolean(options.print));
    } catch (error) {
      throw run.fail(error);
    }
  }

  private async launch(run: SessionRun, request: Omit<ConnectionRequest, 'engineer'>, print: boolean): Promise<ConnectResult> {
    const { sessionId, decision } = run;
    const site = await this.deps.directory.getSite(request.siteId);
    const host = site.hosts.find((h) => h.name === decision.host);
    const linkFor = (): string | null => {
      if (request.method === 'teamviewer') return teamviewerLink(host!.teamviewer!);
      if (request.method === 'anydesk') return anydeskLink(host!.anydesk!);
      if (request.method === 'webex' || request.method === 'teams') return meetingLink(request.method, request.target);
      return null;
    };
    const url = linkFor();
    if (url) {
      const partnerId = request.method === 'anydesk' ? host!.anydesk! : request.method === 'teamviewer' ? host!.teamviewer! : undefined;
      const id = partnerId ? { partnerId } : {};
      // No application for the link (no AnyDesk installed) is an outcome to show with the ID and link to copy, not a dead end.
      const failure = print ? null : await this.deps.opener.open(url).then(() => null, (error: unknown) => {
        if (error instanceof ApiError && error.code === 'LAUNCHER_UNAVAILABLE') return run.fail(error, { url });
        throw error;
      });
      if (failure) return { sessionId, decision, launch: { kind: 'link', url, opened: false, ...id, failure: failure.message }, message: failure.message };
      run.end(print ? 'printed' : 'launched', { url });
      return { sessionId, decision, launch: { kind: 'link', url, opened: !print, ...id }, message: print ? url : `Opened ${url}` };
    }
    if (request.method === 'vpn') {
      const profile = this.sessionProfile(sessionId, site, run.address);
      let client: VpnProcess;
      let commandLine: string[];
      const forced = { gateway: profile.gateway, profileNamed: profile.named, profileSha256: site.vpn!.profileSha256 };
      const shown = `# gateway forced to ${profile.gateway}${profile.named.length ? ` (the profile names ${profile.named.join(', ')})` : ''}`;
      try {
        const command = vpnCommand(site.vpn!.client, profile.path, run.address);
        commandLine = [command.file, ...command.args];
        if (print) {
          // The derived profile stays for the engineer to run by hand.
          run.end('printed', { command: commandLine, ...forced });
          return { sessionId, decision, launch: { kind: 'command', command: commandLine }, message: `${commandLine.join(' ')}\n${shown}` };
        }
        client = VpnProcess.start(command, this.deps.env ? { env: this.deps.env } : {});
      } catch (error) {
        profile.remove();
        throw error;
      }
      run.started('connected', { command: commandLine, pid: client.pid, ownerPid: process.pid, ...forced });
      const logged = client.exited.then((exit) => {
        profile.remove();
        this.recordExit(run, exit);
        return exit;
      });
      this.processes.set(sessionId, { process: client, logged });
      return { sessionId, decision, launch: { kind: 'process', command: commandLine, running: true, pid: client.pid }, message: `Started ${commandLine[0]} (pid ${client.pid}); ${shown.slice(2)}` };
    }
    // Until the embedded consoles arrive, an allowed SSH/HTTPS/VNC attempt yields the command line
    // pinned to the approved IP, and is logged as printed.
    const command = consoleCommand(request.method, host!, run.address);
    run.end('printed', { command });
    return { sessionId, decision, launch: { kind: 'command', command }, message: command.join(' ') };
  }

  /** The session's own copy of the site's checked profile, its gateway forced to the approved IP. */
  private sessionProfile(sessionId: string, site: Site, address: string): SessionProfile {
    const vpn = site.vpn!;
    if (!vpn.profileSha256) {
      throw new ApiError('INVALID_INPUT', `${site.customerName}/${site.name}'s VPN profile was set before Switchboard checked profiles for hooks and kept its own copy; set the profile again (site form or sites import) to connect.`);
    }
    return this.deps.vpnProfiles.forSession(sessionId, vpn.client, vpn.profileSha256, address);
  }

  private recordExit(run: SessionRun, exit: VpnExit): void {
    this.processes.delete(run.sessionId);
    run.end(exit.exitCode === 0 || exit.signal === 'SIGTERM' ? 'disconnected' : 'failed', { exitCode: exit.exitCode, signal: exit.signal, outputTail: exit.outputTail });
  }

  /** Ends a running process session; its exit is logged by the exit handler. */
  async stop(sessionId: string): Promise<VpnExit> {
    const session = this.processes.get(sessionId);
    if (!session) throw new ApiError('NOT_FOUND', 'That session is not running (it may have ended already).');
    await session.process.disconnect();
    return session.logged;
  }

  /** Settles when a running session's process has exited and its end is logged; null if none runs. */
  waitForExit(sessionId: string): Promise<VpnExit> | null {
    return this.processes.get(sessionId)?.logged ?? null;
  }

  running(): string[] {
    return [...this.processes.keys()];
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((id) => this.stop(id)));
  }
}

/** What an engineer would type to reach the same IP by hand, until the embedded consoles arrive. */
function consoleCommand(method: string, host: { name: string; ssh?: { port: number; user?: string }; https?: { port: number; path?: string }; vnc?: { port: number } }, address: string): string[] {
  const bracketed = address.includes(':') ? `[${address}]` : address;
  switch (method) {
    case 'ssh': return ['ssh', '-p', String(host.ssh!.port), '-o', `HostKeyAlias=${host.name}`, host.ssh!.user ? `${host.ssh!.user}@${address}` : address];
    case 'https': return [`https://${bracketed}:${host.https!.port}${host.https!.path ?? '/'}`];
    case 'vnc': return ['vncviewer', `${bracketed}::${host.vnc!.port}`];
    default: throw new ApiError('INVALID_INPUT', `Nothing to launch for ${method}.`);
  }
}
