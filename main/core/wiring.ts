import os from 'node:os';
import path from 'node:path';
import type { ApiHandlers } from '../../contract/api';
import { ApiError, type CallResult } from '../../contract/errors';
import type { AppInfo } from '../../contract/models';
import { createHandlers } from './api/handlers';
import { dispatch } from './api/dispatch';
import { Credentials } from './credentials/credentials';
import { purgeTrash } from './directory/trash';
import { recordPolicyAtStart } from './policy-record/at-start';
import { KeytarSecretStore } from './keychain/keytar-secret-store';
import type { SecretStore } from './keychain/secret-store';
import { SystemExternalOpener, type ExternalOpener } from './launchers/external-opener';
import { VpnProfileStore } from './launchers/vpn-profile-store';
import { SystemResolver, type AddressResolver } from './policy/resolver';
import { BrowserConsoleHost } from './https/browser-console-host';
import type { ConsoleHost } from './https/console-host';
import { ConsoleSessions } from './https/console-sessions';
import type { TlsProbeOptions } from './https/tls-probe';
import { SessionLog } from './session-log/session-log';
import { Launches } from './sessions/launches';
import { openVncSession, planVncSession, type VncOpenRequest, type VncSession } from './vnc/vnc-session';
import type { VncPlan } from './vnc/vnc-plan';
import { VncSessions, type OpenVnc } from './vnc/vnc-sessions';
import { TeamLink } from './team-store/team-link';
import { TeamSyncScheduler } from './team-store/sync-scheduler';
import { teamTime } from './team-store/team-time';
import { openSshSession, type SshPrompts, type SshSession } from './sessions/ssh-session';
import { TerminalSessions, type OpenSsh, type TerminalSessionsOptions } from './sessions/terminal-sessions';
import { PortForwards } from './sessions/forwards';
import { FileTransfers } from './files/file-transfers';
import { replaceHostKey, type ReplaceHostKeyRequest } from './sessions/host-key-pins';
import { createSqliteServices, type AccessPolicy, type CoreServices } from './services';
import { authorizeConnection } from './policy/authorize';
import { SessionLifecycle } from './sessions/lifecycle';
import type { ConnectionRequest } from './policy/authorize';
import type { PolicyDecision } from '../../contract/models';
import { randomUUID } from 'node:crypto';
import { DATABASE_FILE, openDatabase, type Db } from './store/database';
import { recordingFile, recordingsDir, vncRecordingFile } from './paths';
import { restrictFolder } from './private-files';
import { hashRecordingFile } from './ssh/recording';
import { assembleAccountability } from './accountability/assemble';
import { ExceptionApprovals } from './approvals/exception-approvals';
import { ReviewService } from './accountability/review-service';
import { scopedSecrets } from './keychain/scoped-secret-store';
import { storeId } from './store/store-meta';
import type { CurrentEngineer } from './who';

export const APP_VERSION = '0.1.0';

export interface CoreOptions {
  dataDir: string;
  mode: 'electron' | 'web' | 'cli';
  secretStore?: SecretStore;
  resolver?: AddressResolver;
  opener?: ExternalOpener;
  /** Who is at the keyboard; defaults to $SWITCHBOARD_ENGINEER, else the OS user. */
  engineer?: string;
  /** The environment launchers see (tests put stand-in clients on PATH). */
  env?: NodeJS.ProcessEnv;
  /** Where HTTPS consoles are shown; default: handed to the engineer's browser through the opener. */
  consoleHost?: ConsoleHost;
  /** The HTTPS console certificate check's timeout and trusted CAs (tests give their own CA). */
  tls?: TlsProbeOptions;
  /** How long the window's terminals wait for a person (tests shorten it). */
  terminals?: TerminalSessionsOptions;
  /** No background sync with the team store (tests that sync by hand). */
  teamSyncOff?: boolean;
  /** This laptop's clock as the team store's sync sees it (tests set it wrong on purpose). */
  teamClock?: () => number;
  /** How long the VNC relay waits for the server's TCP connection (default 20 s). */
  vncConnectTimeoutMs?: number;
  /** How long each SSH hop may take to reach "ready", not counting a person's answers (default 20 s). */
  sshReadyTimeoutMs?: number;
  /** Where the window's downloads go (default ~/Downloads). */
  downloadsDir?: string;
}

export interface Core {
  readonly dataDir: string;
  readonly engineer: string;
  /** The data and decisions: directory, tickets, policy, approvals, session log, notes, credentials. */
  readonly services: CoreServices;
  readonly handlers: ApiHandlers;
  /** Launched sessions: deep links, meeting links, VPN clients (the contract's `launches.*`). */
  readonly launches: Launches;
  /** The window's live SSH terminals. */
  readonly terminals: TerminalSessions;
  /** HTTPS consoles, opened through the policy and the certificate pin. */
  readonly consoles: ConsoleSessions;
  /** Local port forwards through live SSH sessions (the window's terminals and the CLI's). */
  readonly forwards: PortForwards;
  /** File transfers over live SSH sessions' SFTP (the window's Files panel and the CLI's `files get/put`). */
  readonly files: FileTransfers;
  /** The window's VNC viewers' sessions. */
  readonly vnc: VncSessions;
  /** Opens a VNC session through the policy, relay and sign-in (the CLI's `connect --method vnc --snapshot`). */
  openVnc(request: VncOpenRequest): Promise<{ sessionId: string; decision: PolicyDecision; session: VncSession | null }>;
  /** `connect --method vnc --print`: the decision and the plan, logged as printed; nothing is connected. */
  planVnc(request: VncOpenRequest): Promise<{ sessionId: string; decision: PolicyDecision; plan: VncPlan | null; text: string }>;
  /** This data dir's link to its team store (PostgreSQL): init, members, join, sync, status. */
  readonly team: TeamLink;
  /** Background sync with the team store (the window's app, not the CLI). */
  readonly teamSync: TeamSyncScheduler;
  /** Opens an SSH session through the policy (the CLI's `connect --method ssh`). */
  openSsh(request: Omit<ConnectionRequest, 'engineer' | 'method'>, prompts: SshPrompts): Promise<{ sessionId: string; decision: PolicyDecision; session: SshSession | null }>;
  dispatch(method: string, input: unknown): Promise<CallResult<unknown>>;
  close(): Promise<void>;
}

/** What only the core's own tests reach past the services for (the storage under them). */
export interface CoreInternals { db: Db; sessionLog: SessionLog; credentials: Credentials }

/**
 * How long a terminal no window shows keeps running: $SWITCHBOARD_DETACHED_TERMINAL_MINUTES (1–1440),
 * else the 15-minute default. A value that is not a whole number of minutes in range stops the start
 * with a sentence saying so, rather than silently running with another limit.
 */
export function detachedTerminalMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.SWITCHBOARD_DETACHED_TERMINAL_MINUTES?.trim();
  if (!text) return undefined;
  const minutes = Number(text);
  if (!/^\d+$/.test(text) || minutes < 1 || minutes > 1440) {
    throw new ApiError('INVALID_INPUT', `SWITCHBOARD_DETACHED_TERMINAL_MINUTES is "${text}"; give a whole number of minutes from 1 to 1440 (a day), or unset it for 15.`);
  }
  return minutes * 60_000;
}

export function defaultEngineer(env: NodeJS.ProcessEnv = process.env): string {
  return env.SWITCHBOARD_ENGINEER?.trim() || os.userInfo().username;
}

/**
 * Opens the data dir (owner-only; migrating its database), closes sessions the last run left open as
 * "interrupted" with the hash of any recording they left, and wires every service, in this one place.
 * Shells get only the `Core` (`openCore` in index.ts); the core's own tests also get its internals.
 */
export function assembleCore(options: CoreOptions): { core: Core; internals: CoreInternals } {
  const db = openDatabase(options.dataDir);
  restrictFolder(recordingsDir(options.dataDir));
  const sessionLog = new SessionLog(db);
  const keychain = options.secretStore ?? new KeytarSecretStore();
  const accountability = assembleAccountability(db, sessionLog, keychain);
  // Records name the person's identity (their e-mail) once they have one — asked at each record, so an
  // identity made while the app runs counts from then on; before that, the OS user.
  const engineer: CurrentEngineer = () => options.engineer ?? accountability.engineer() ?? defaultEngineer();
  recordPolicyAtStart(db, engineer(), () => purgeTrash(db));
  // A session the last run left open may have left an SSH or a VNC recording; it is hashed into the record.
  sessionLog.recoverInterrupted({
    leftRecording: (sessionId) => hashRecordingFile(recordingFile(options.dataDir, sessionId)) ?? hashRecordingFile(vncRecordingFile(options.dataDir, sessionId)),
  });
  const secrets = keychain;
  const credentials = new Credentials(db, scopedSecrets(keychain, storeId(db), 'credential'), keychain);
  const opener = options.opener ?? new SystemExternalOpener();
  const vpnProfiles = new VpnProfileStore(options.dataDir);
  const resolver = options.resolver ?? new SystemResolver();
  const exceptions = new ExceptionApprovals({ db, log: sessionLog, identities: accountability.identities, roster: accountability.roster });
  const policy: AccessPolicy = {
    check: (request) => authorizeConnection({ ...request, engineer: engineer() }, { db, resolver, now: () => new Date(), approvals: exceptions }),
  };
  const services = createSqliteServices({ db, dataDir: options.dataDir, log: sessionLog, credentials, policy, vpnProfiles, engineer, accountability: accountability.service, exceptions,
    ticketClock: teamTime(db, options.teamClock),
    review: new ReviewService({ db, log: sessionLog, identities: accountability.identities, roster: accountability.roster, dataDir: options.dataDir }),
  });
  // Every access method opens, runs and ends its sessions through this one lifecycle.
  const lifecycle = new SessionLifecycle({ log: sessionLog, policy, engineer });
  const launches = new Launches({ directory: services.directory, vpnProfiles, lifecycle, opener, ...(options.env ? { env: options.env } : {}) });
  const appInfo = async (): Promise<AppInfo> => {
    let keychain = { available: true, message: 'The OS keychain is available.' };
    try {
      await secrets.probe();
    } catch (error) {
      keychain = { available: false, message: (error as Error).message };
    }
    return {
      version: APP_VERSION,
      dataDir: options.dataDir,
      databasePath: path.join(options.dataDir, DATABASE_FILE),
      mode: options.mode === 'electron' ? 'electron' : 'web',
      keychain,
    };
  };
  const sshDeps = { db, credentials, dataDir: options.dataDir, lifecycle, policy, ...(options.sshReadyTimeoutMs ? { readyTimeoutMs: options.sshReadyTimeoutMs } : {}) };
  const openSsh: OpenSsh = async (request, prompts, { sessionId, onDecision }) => ({ sessionId, ...(await openSshSession(sshDeps, request, sessionId, prompts, onDecision)) });
  const idleTimeoutMs = options.terminals?.idleTimeoutMs ?? detachedTerminalMs(options.env ?? process.env);
  const terminals = new TerminalSessions(openSsh, { ...options.terminals, ...(idleTimeoutMs ? { idleTimeoutMs } : {}) });
  const vncDeps = { db, credentials, policy, lifecycle, dataDir: options.dataDir, ...(options.vncConnectTimeoutMs ? { connectTimeoutMs: options.vncConnectTimeoutMs } : {}) };
  const openVnc: OpenVnc = (request, { sessionId, onDecision }) => openVncSession(vncDeps, request, sessionId, onDecision);
  const vnc = new VncSessions(openVnc);
  const forwards = new PortForwards({ directory: services.directory, sessionLog: services.sessionLog, lifecycle });
  const files = new FileTransfers({ directory: services.directory, evidence: services.evidence, ...(options.downloadsDir ? { downloadsDir: options.downloadsDir } : {}) });
  const consoles = new ConsoleSessions({
    directory: services.directory, lifecycle,
    host: options.consoleHost ?? new BrowserConsoleHost(opener), ...(options.tls ? { tls: options.tls } : {}),
  });
  const team = new TeamLink(db, scopedSecrets(keychain, storeId(db), 'team'), accountability.identities, accountability.roster, options.teamClock, engineer, exceptions);
  const teamSync = new TeamSyncScheduler(team);
  // The app syncs on its own; a CLI command syncs only when told to (team sync).
  if (options.mode !== 'cli' && !options.teamSyncOff) teamSync.start();
  const replaceHostKeyPin = (request: ReplaceHostKeyRequest) => replaceHostKey({ db, log: sessionLog, engineer, check: (r) => policy.check(r) }, request);
  const handlers = createHandlers({
    services, appInfo, launches, terminals, vnc, db, teamSync, team, forwards, files, consoles, opener, dataDir: options.dataDir, replaceHostKey: replaceHostKeyPin,
    lifecycle, engineer,
  });
  const core: Core = {
    dataDir: options.dataDir,
    get engineer() { return engineer(); },
    services,
    handlers,
    launches,
    terminals,
    forwards,
    files,
    consoles,
    vnc,
    team,
    teamSync,
    openVnc: async (request) => {
      const sessionId = randomUUID();
      return { sessionId, ...(await openVnc(request, { sessionId, onDecision: () => {} })) };
    },
    planVnc: (request) => planVncSession(vncDeps, request),
    openSsh: (request, prompts) => openSsh(request, prompts, { sessionId: randomUUID(), onDecision: () => {} }),
    dispatch: (method, input) => dispatch(handlers, method, input),
    close: async () => {
      await terminals.closeAll();
      await vnc.closeAll();
      teamSync.stop();
      await teamSync.idle();
      await consoles.closeAll();
      await launches.stopAll();
      await accountability.service.idle();
      db.close();
    },
  };
  return { core, internals: { db, sessionLog, credentials } };
}
