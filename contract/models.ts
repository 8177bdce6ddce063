/** What the core sends back to the window. Plain data; never a secret. */
import type {
  Component, CredentialKind, Method, Severity, SupportLevel, SupportPackage, TicketCause, TicketComponent, TicketStatus, TicketType, VncClipboard, VpnClient, Weekday,
} from './domain/vocabulary';
import type { LogRecordKind } from './domain/log-kinds';
import type { FileTransferSetting } from './domain/file-transfer';

export type Id = number;

export interface Contact { name: string; role?: string; phone?: string; email?: string }

export interface CustomerSummary { id: Id; name: string; package: SupportPackage; timezone: string; siteCount: number }

export interface Customer {
  id: Id;
  name: string;
  package: SupportPackage;
  timezone: string;
  workdays: Weekday[];
  holidays: string[];
  contacts: Contact[];
  sites: SiteSummary[];
}

export interface SiteSummary { id: Id; customerId: Id; customerName: string; name: string; seats: number; hostCount: number; noteCount: number }

export interface SshEndpoint { port: number; user?: string; hostKey?: string; credential?: string; agent?: boolean; jump?: string }
export interface HttpsEndpoint { port: number; path?: string; certSha256?: string }
export interface VncEndpoint { port: number; credential?: string; viewOnly?: boolean; jump?: string; clipboard?: VncClipboard; tlsCertSha256?: string }

export interface Host {
  id: Id;
  siteId: Id;
  name: string;
  address?: string;
  allow: string[];
  role?: string;
  ssh?: SshEndpoint;
  https?: HttpsEndpoint;
  vnc?: VncEndpoint;
  anydesk?: string;
  teamviewer?: string;
}

/**
 * `profile` is the file the engineer chose; sessions use Switchboard's checked copy of it, kept in the
 * data dir under `profileSha256` (absent for a profile set before copies were kept: set it again).
 */
export interface VpnProfile { client: VpnClient; profile: string; gateway: string; profileSha256?: string }

export interface Retention { ameyodbDays: number; reportsdbDays: number }

export interface Site {
  id: Id;
  customerId: Id;
  customerName: string;
  name: string;
  seats: number;
  peakCalls: number;
  components: Component[];
  productVersion?: string;
  approvedMethods: Method[];
  retention?: Retention;
  vpn?: VpnProfile;
  hosts: Host[];
  notes: NoteSummary[];
  /** Credential names referenced by this site's endpoints, with whether the keychain holds them. */
  credentials: CredentialStatus[];
  /** Whether SSH recordings of this site also record keystrokes (off unless turned on for the site). */
  recordInput: boolean;
  /** Who turned input recording on or off, and when; newest first. */
  recordInputChanges: SiteSettingChange[];
  /** File transfer over SFTP (off unless the customer approved it), limited to `folders` when there are any. Policy. */
  files: FileTransferSetting;
}

export interface SiteSettingChange { on: boolean; by: string; at: string }

export interface CredentialStatus { name: string; kind?: CredentialKind; stored: boolean; updatedAt?: string }

export interface NoteSummary { id: Id; siteId: Id; hostId?: Id; hostName?: string; title: string; updatedAt: string; revisionCount: number }
export interface Note extends NoteSummary { body: string; customerName: string; siteName: string }

export interface NoteRevision {
  id: Id; noteId: Id; title: string; body: string; createdAt: string; number: number;
  /** Who wrote it, once it went through the team store (absent for a laptop without one, or not synced yet). */
  author?: string;
  /** The revision deleted the note (a deletion synced through the team store is a revision too). */
  deleted?: boolean;
  /** Numbers of revisions written on the same parent as this one: edited at the same time, on another laptop. */
  concurrentWith?: number[];
}

export interface SnippetPart { text: string; match: boolean }
export interface NoteMatch {
  noteId: Id;
  customerId: Id;
  customer: string;
  siteId: Id;
  site: string;
  host?: string;
  title: string;
  snippet: SnippetPart[];
  rank: number;
}

export interface NavigationEntry { kind: 'customer' | 'site' | 'host'; id: Id; label: string; description: string; customerId: Id; siteId?: Id }

export interface ImportSummary { customers: number; sites: number; hosts: number; notes: number }

export interface CredentialTestResult { name: string; exists: boolean; readable: boolean; message: string }

export interface AppInfo { version: string; dataDir: string; databasePath: string; mode: 'electron' | 'web'; keychain: { available: boolean; message: string } }

export interface Deleted { kind: 'customer' | 'site' | 'host' | 'note'; id: Id; label: string }

export type ClockState = 'running' | 'paused' | 'met' | 'breached' | 'stopped' | 'not_applicable';
export interface SlaClockView {
  name: 'first_response' | 'resolution' | 'rca';
  state: ClockState;
  budgetMs: number | null;
  usedMs: number;
  remainingMs: number | null;
  fractionUsed: number | null;
  dueAt: string | null;
  /** When the response, resolution or RCA delivery happened, if it has. */
  endedAt?: string;
  reason: string;
  /**
   * Why a paused clock stands still: the RCA waits for debug data, or it is a holiday / a day the
   * customer does not work (then `resumesAt`, ISO, is when it counts again).
   */
  pause?: { kind: 'waiting_for_data' | 'holiday' | 'non_working_day'; resumesAt?: string };
}
export interface SlaClocks { firstResponse: SlaClockView; resolution: SlaClockView; rca: SlaClockView }

export interface Impact { seats: number; calls?: number; cannotTakeCalls: number; cannotLogin: number; callsRejected: number }
export interface SeverityComputation { severity: Severity; loss: number; lossSource: 'cannot_take_calls' | 'cannot_login' | 'calls_rejected' | 'none'; steps: string[] }

export interface TicketSummary {
  id: Id;
  ref: string;
  siteId: Id;
  customerName: string;
  siteName: string;
  /** The customer's IANA time zone: SLA clocks count in it. */
  timezone: string;
  type: TicketType;
  component: TicketComponent;
  severity: Severity;
  computedSeverity: Severity;
  status: TicketStatus;
  level: SupportLevel;
  cause: TicketCause;
  reportedAt: string;
  clocks: SlaClocks;
  escalation: { to: SupportLevel; reason: string } | null;
}

export interface TicketEvent { at: string; engineer: string; kind: string; from?: string; to?: string; reason?: string }

export interface Ticket extends TicketSummary {
  impact: Impact;
  computation: SeverityComputation;
  severityReason?: string;
  summary?: string;
  firstResponseAt?: string;
  resolvedAt?: string;
  rcaDeliveredAt?: string;
  rcaWaiting: boolean;
  events: TicketEvent[];
}

export interface MethodApproval { id: Id; siteId: Id; method: Method; approvedBy: string; reason: string; validUntil: string; recordedBy: string; recordedAt: string }

/** The policy's answer for one connection attempt; reasons are written for a person. */
export interface PolicyDecision {
  allowed: boolean;
  reasons: string[];
  /** The IP the session must connect to (resolved once, now), or null. */
  address: string | null;
  host: string | null;
  target: string;
  method: Method;
  ticketId: Id | null;
  site: string | null;
  /** The lead-signed exception that allowed a method the site has not approved: enough for a lead to re-check it later. */
  approval?: { id: string; approvedBy: string; leadFingerprint: string; ticket: string; host: string | null; reason: string; validUntil: string; sha256: string };
}

export interface SessionRecordView {
  /**
   * A session (its attempt and what followed), or one record of the chain that is not a session: a change
   * to the policy's data (its `detail` says what changed, before → after), an approval step, an identity,
   * a roster, a review decision, a viewing, a bundle.
   */
  kind: LogRecordKind;
  /** Records that are not sessions: the record's number in the chain (approval steps share their `sessionId`). */
  seq?: number;
  /** Records that are not sessions: what the record says, in one line. */
  description?: string;
  sessionId: string;
  engineer: string;
  ticket: string | null;
  ticketId: number | null;
  site: string | null;
  siteId: number | null;
  host: string | null;
  method: string | null;
  target: string | null;
  address: string | null;
  decision: 'allow' | 'deny' | null;
  reasons: string[];
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  bytesIn: number | null;
  bytesOut: number | null;
  detail: Record<string, unknown>;
  summary: string | null;
  /** Who wrote the summary shown (the latest one); null when there is none. */
  summaryBy: string | null;
}

/** One event of a session; `engineer` is who wrote it (who tried, who summarised). */
export interface SessionEventView { seq: number; kind: string; at: string; engineer: string; outcome: string | null; detail: Record<string, unknown>; summary: string | null; hash: string }

export type LogVerification =
  | {
    ok: true; count: number; head: { seq: number; hash: string } | null;
    /** The signed checkpoints the log was held to (absent when verified against an export only). */
    checkpoints?: { checked: number; latest: { size: number; signedAt: string | null; source: string } | null };
  }
  | { ok: false; seq: number; problem: 'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'rewritten' | 'bad-checkpoint'; message: string };

export type LaunchView =
  /** A deep or meeting link; `failure` says why the system could not open it (the window then offers `partnerId` and `url` to copy). */
  | { kind: 'link'; url: string; opened: boolean; partnerId?: string; failure?: string }
  | { kind: 'process'; command: string[]; running: boolean; pid?: number }
  | { kind: 'command'; command: string[] };

export interface ConnectResultView { sessionId: string; decision: PolicyDecision; launch: LaunchView | null; message: string }

/** How a window terminal ended: the remote status, the recording and its SHA-256, or why it failed. */
export interface TerminalExitView { code: number | null; signal: string | null; recording: string | null; sha256: string | null; error: string | null }

/**
 * A terminal the core holds, whether a window shows it or not: after a reload the window lists these
 * to reattach (open the byte channel for `sessionId` again) or end (`terminals.close`) them.
 */
export interface LiveTerminalView {
  sessionId: string;
  siteId: number;
  /** "Customer/site", once the policy has decided. */
  site: string | null;
  host: string;
  /** What was asked for (a host name or address), for reconnecting. */
  target: string;
  ticket: string;
  startedAt: string;
  /** A window shows it now (another one, or this one before it was reloaded). */
  attached: boolean;
  /** `waiting`: for a host-key or sign-in answer; `ended`: kept briefly so a window can read why. */
  state: 'connecting' | 'waiting' | 'connected' | 'ended';
  /** While no window is attached: when it will be ended for want of one. */
  idleEndsAt: string | null;
}

/** A VNC session the core holds for the window: one viewer each; a reload ends it (reconnect is a new session). */
export interface LiveVncView {
  sessionId: string;
  siteId: number;
  ticket: string;
  /** What was asked for (a host name or address), for reconnecting. */
  target: string;
  startedAt: string;
  state: 'connecting' | 'connected' | 'ended';
  viewerAttached: boolean;
}

/** A screenshot saved from a VNC viewer: kept in the data dir by its SHA-256, named in the session's end. */
export interface VncScreenshotView { file: string; sha256: string; bytes: number; savedAt: string }

/** The team store link as the window shows it (main/core/team-store/sync-scheduler.ts). */
export interface TeamSyncView {
  linked: boolean; url: string | null; login: string | null; waiting: number; lastSync: string | null; offlineSince: string | null;
  lastError: string | null; clockSkewMs: number | null; syncing: boolean;
  /** Profile edits the team store did not take, kept here to redo or drop. */
  conflicts: number;
  /** Who may edit the team's profiles, as of the last sync ('leads' or 'everyone'). */
  profileEditors: 'leads' | 'everyone' | null;
  /** Customers only this laptop has, which this person may not add to the team's profiles. */
  localOnly: string[];
  /** Changes made here the team store does not have yet, besides log records. */
  waitingChanges: { notes: number; tickets: number; ticketChanges: number };
  /** When a lead last cosigned this data dir's log, and up to which record. */
  lastWitness: { size: number; by: string; byEmail: string; at: string } | null;
  /** A roster in the team store for this data dir, which has none yet: import it once the person confirmed a signing lead's fingerprint. */
  rosterWaiting: { team: string; sha256: string; publishedBy: string; signedBy: { name: string; email: string; fingerprint: string }[] } | null;
  lastResult: { pushed: number; head: number; pulled: number; sessions: number; at: string; clockSkewMs: number } | null;
}

/**
 * An edit of a customer's profile the team store did not take — a newer version came first, or the
 * team's setting lets only leads edit profiles — kept on this laptop to redo or drop.
 */
export interface TeamProfileConflict {
  id: number;
  customer: string;
  reason: 'newer' | 'not-allowed';
  theirsVersion: number | null;
  theirsBy: string | null;
  message: string;
  foundAt: string;
  resolution: 'redone' | 'dropped' | null;
  resolvedAt: string | null;
  /** The kept edit deleted the customer. */
  mineDeletes: boolean;
  /** Where the kept edit and the customer as it reads now differ. */
  differences: { path: string; mine: string; now: string }[];
}

/** A screenshot saved to a ticket from a VNC viewer: which session, host and engineer, and its hash. */
export interface TicketScreenshotView extends VncScreenshotView { sessionId: string; host: string | null; engineer: string; live: boolean }

/** One screenshot's picture, its SHA-256 checked on every opening. */
export interface ScreenshotImageView { sha256: string; png: string; sha256Matches: boolean }

/**
 * A file on a ticket's evidence, kept in the data dir by its SHA-256: the name it was fetched as
 * (`displayName`: control characters shown escaped), who fetched it from where and when.
 */
export interface TicketEvidenceView {
  sha256: string;
  name: string;
  displayName: string;
  size: number;
  fetchedBy: string;
  /** Site and host it came from (null for a local file attached by hand). */
  site: string | null;
  host: string | null;
  /** The path on the host (or, for a local file, the path it was attached from); `displayRemotePath` shows control characters escaped. */
  remotePath: string | null;
  displayRemotePath: string | null;
  sessionId: string | null;
  addedAt: string;
}

/** A ticket's evidence: each file's hash checked now (`sha256Matches` null: the file is missing). */
export interface TicketEvidenceList {
  ticketId: Id;
  ref: string;
  files: (TicketEvidenceView & { sha256Matches: boolean | null })[];
  /** The ticket waits for debug data and this file, the first attached since, may end the wait once the engineer confirms. */
  rcaWaitCanEndWith: TicketEvidenceView | null;
}

/** What adding a file to a ticket's evidence did. */
export interface EvidenceAdded {
  evidence: TicketEvidenceView;
  /** The same bytes were already on this ticket (the first name and origin are kept). */
  alreadyOnTicket: boolean;
  /** The ticket waits for debug data and this is the first file since: the wait can end once the engineer confirms. */
  rcaWaitCanEnd: boolean;
}

/** An evidence archive written (a tar with manifest.json and MANIFEST.txt). */
export interface EvidenceExportView { file: string; bytes: number; files: number; createdAt: string }

/** A slice of a VNC recording file (docs/recording-format.md) for the window's replay. */
export interface VncRecordingChunk { sessionId: string; offset: number; total: number; data: string; sha256Matches: boolean | null }

/** A live local port forward: 127.0.0.1:localPort leads, through the terminal's SSH connection, to host:port at `address`. */
export interface ForwardView {
  forwardId: string;
  /** The terminal (SSH session) it rides on; the forward is also a session of its own in the log (`forwardId`). */
  sessionId: string;
  localAddress: '127.0.0.1';
  localPort: number;
  host: string;
  /** The IP the policy approved for the host; the SSH server connects there and never resolves a name. */
  address: string;
  port: number;
  kind: 'https' | 'ssh' | 'database';
  label: string;
  openedAt: string;
  connections: { open: number; total: number; refused: number };
  bytesIn: number;
  bytesOut: number;
}

export interface ForwardOpenResult { decision: PolicyDecision; forward: ForwardView | null }

/** An asciicast v2 recording read back for replay: the header and `[seconds, "o"|"i"|"r", data]` events. */
export interface RecordingView { header: Record<string, unknown>; events: [number, string, string][]; truncated: boolean; sha256Matches: boolean }

/** A pinned SSH host key replaced on purpose, as recorded in the session log. */
export interface HostKeyReplaced {
  /** The session-log entry that records it (ticket, engineer, both fingerprints, the reason). */
  sessionId: string;
  host: string;
  previous: string;
  fingerprint: string;
}
