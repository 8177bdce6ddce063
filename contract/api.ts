/**
 * The one contract between the window and main. Each entry names its input schema (validated in
 * main, whatever the transport) and, as a phantom type, its result. The preload client, the IPC
 * handler, the WebSocket adapter and the core's handler table are all derived from this map, so
 * they cannot drift apart.
 */
import { z } from 'zod';
import { inputs, ticketInputs as t } from './inputs';
import { consoleInputs, type ConsoleOpenView } from './consoles';
import { fileInputs, type FolderDownloadView, type MakeFolderView, type RemoteListingView, type TransferView } from './files';
import { evidenceInputs } from './evidence';
import { logJobInputs, type BundleImportJobView, type LogExportJobView, type LogVerifyJobView } from './log-jobs';
import { connectFlowInputs, type RecentConnection, type ShownDecision } from './connect-flow';
import { accountabilityInputs as a, type BundleImportView, type BundleView, type CheckpointView, type IdentityView, type RosterImportView, type RosterPreview, type RosterView, type WitnessImportView, type WitnessStatus } from './accountability';
import type * as M from './models';
import type { CallResult } from './errors';
import type { ApiMethodName } from './method-names';
import { approvalInputs, type ApprovalInspection, type ApprovalNoteView, type ApprovalsOverview, type ExceptionApprovalView, type InboxRequestView } from './approvals';
import { reviewInputs as r, type ReviewDetail, type ReviewFacets, type ReviewPage, type ReviewRecordingView, type ReviewSessionView, type ReviewVncSliceView, type WeeklyReview } from './review';

interface Call<I extends z.ZodTypeAny, O> { input: I; output?: O }
const call = <O>() => <I extends z.ZodTypeAny>(input: I): Call<I, O> => ({ input });

export const contract = {
  'app.info': call<M.AppInfo>()(inputs.none),
  'navigation.index': call<M.NavigationEntry[]>()(inputs.none),

  'customers.list': call<M.CustomerSummary[]>()(inputs.none),
  'customers.get': call<M.Customer>()(inputs.byIdSchema),
  'customers.create': call<M.Customer>()(inputs.customerCreate),
  'customers.update': call<M.Customer>()(inputs.customerUpdate),
  'customers.delete': call<M.Deleted>()(inputs.byIdSchema),

  'sites.get': call<M.Site>()(inputs.byIdSchema),
  'sites.create': call<M.Site>()(inputs.siteCreate),
  'sites.update': call<M.Site>()(inputs.siteUpdate),
  'sites.delete': call<M.Deleted>()(inputs.byIdSchema),

  'hosts.create': call<M.Host>()(inputs.hostCreate),
  'hosts.update': call<M.Host>()(inputs.hostUpdate),
  'hosts.replaceHostKey': call<M.HostKeyReplaced>()(t.hostKeyReplace),
  'hosts.delete': call<M.Deleted>()(inputs.byIdSchema),

  'trash.restore': call<{ restored: true }>()(inputs.restore),

  'notes.get': call<M.Note>()(inputs.byIdSchema),
  'notes.create': call<M.Note>()(inputs.noteCreate),
  'notes.update': call<M.Note>()(inputs.noteUpdate),
  'notes.delete': call<M.Deleted>()(inputs.byIdSchema),
  'notes.search': call<M.NoteMatch[]>()(inputs.noteSearch),
  'notes.revisions': call<M.NoteRevision[]>()(inputs.byIdSchema),
  'notes.restoreRevision': call<M.Note>()(inputs.revisionRestore),

  'credentials.list': call<M.CredentialStatus[]>()(inputs.none),
  'credentials.set': call<M.CredentialStatus>()(inputs.credentialSet),
  'credentials.delete': call<{ deleted: true }>()(inputs.credentialName),
  'credentials.test': call<M.CredentialTestResult>()(inputs.credentialName),

  'profiles.import': call<M.ImportSummary>()(inputs.profileImport),
  'profiles.export': call<{ text: string; fileName: string }>()(inputs.profileExport),

  'tickets.list': call<M.TicketSummary[]>()(t.ticketList),
  'tickets.get': call<M.Ticket>()(inputs.byIdSchema),
  'tickets.open': call<M.Ticket>()(t.ticketOpen),
  'tickets.classify': call<M.SeverityComputation>()(t.ticketClassify),
  'tickets.act': call<M.Ticket>()(t.ticketAction),

  'approvals.list': call<ApprovalsOverview>()(approvalInputs.list),
  /** The engineer signs a request for an exception; the text goes to a lead. */
  'approvals.request': call<ApprovalNoteView>()(approvalInputs.request),
  /** What a signed request or approval says and who of the roster signed it (stores nothing). */
  'approvals.inspect': call<ApprovalInspection>()(approvalInputs.note),
  /** A lead of the roster countersigns a request (NOT_A_LEAD for anyone else). */
  'approvals.sign': call<ApprovalNoteView>()(approvalInputs.note),
  /** The engineer imports the lead-signed approval of their own request. */
  'approvals.import': call<ExceptionApprovalView>()(approvalInputs.note),
  /** A lead's inbox: the team's requests pulled from the team store at the last sync, newest first. */
  'approvals.inbox': call<InboxRequestView[]>()(inputs.none),
  /** The signed text of a request in the inbox, to inspect and sign (published at the next sync). */
  'approvals.inboxText': call<{ text: string }>()(approvalInputs.inboxRequest),

  'policy.check': call<M.PolicyDecision>()(t.connection),
  /** The decision the connect flow shows; a denial is recorded as a denied attempt (policy.check logs nothing). */
  'policy.decide': call<ShownDecision>()(t.connection.omit({ print: true })),
  'launches.open': call<M.ConnectResultView>()(t.connection),
  'launches.stop': call<{ disconnected: true }>()(t.sessionId),
  'log.summarize': call<M.SessionRecordView>()(t.sessionSummary),
  'launches.running': call<string[]>()(inputs.none),
  'connections.recent': call<RecentConnection[]>()(connectFlowInputs.recentConnections),

  'log.list': call<M.SessionRecordView[]>()(t.logList),
  'log.get': call<{ record: M.SessionRecordView; events: M.SessionEventView[] }>()(t.sessionId),
  'log.verify': call<M.LogVerification>()(inputs.none),
  /** Verification as a job off the request path: start it (or join the one running), ask how far it got, cancel it. */
  'log.verifyStart': call<LogVerifyJobView>()(inputs.none),
  'log.verifyJob': call<LogVerifyJobView>()(logJobInputs.job),
  'log.verifyCancel': call<LogVerifyJobView>()(logJobInputs.job),
  /** An export written by the log's worker (a part file put in place only when whole); the window then takes its text, once. */
  'log.exportStart': call<LogExportJobView>()(logJobInputs.exportStart),
  'log.exportJob': call<LogExportJobView>()(logJobInputs.job),
  'log.exportCancel': call<LogExportJobView>()(logJobInputs.job),
  'log.exportText': call<{ text: string; fileName: string }>()(logJobInputs.job),
  'log.export': call<{ text: string; fileName: string }>()(t.logExport),
  'log.engineers': call<string[]>()(inputs.none),
  'log.recording': call<M.RecordingView>()(t.sessionId),
  /** Signs a checkpoint of the log now, as this data dir's identity. */
  'log.checkpoint': call<CheckpointView>()(inputs.none),
  'log.witnessStatus': call<WitnessStatus>()(inputs.none),
  /** A signed bundle of the log for a lead (switchboard-bundle/1): since the last one a lead accepted, or since a date. */
  'log.bundle': call<BundleView>()(a.logBundle),
  /** Takes back the checkpoint a lead cosigned on accepting a bundle. */
  'log.witness': call<WitnessImportView>()(a.logWitness),
  /** A lead verifies and imports an engineer's bundle, all or nothing, and cosigns its checkpoint (NOT_A_LEAD, BUNDLE_REFUSED …). */
  'review.import': call<BundleImportView>()(a.reviewImport),
  /** The same import as a job off the request path: start it, ask how far the checks got (n of N records), cancel it (nothing imported). */
  'review.importStart': call<BundleImportJobView>()(a.reviewImport),
  'review.importJob': call<BundleImportJobView>()(logJobInputs.job),
  'review.importCancel': call<BundleImportJobView>()(logJobInputs.job),

  'identity.get': call<{ identity: IdentityView | null }>()(inputs.none),
  'identity.init': call<IdentityView>()(a.identityInit),
  'team.roster': call<{ roster: RosterView | null }>()(inputs.none),
  /** Reads a signed roster without importing it: who signed it, and whether the first-trust confirmation is needed. */
  'team.previewRoster': call<RosterPreview>()(a.rosterPreview),
  'team.importRoster': call<RosterImportView>()(a.rosterImport),
  'team.signRoster': call<{ signedText: string }>()(a.rosterSign),
  /** The team store link: waiting records, last sync, offline since, clock skew; `team.syncNow` syncs at once. */
  'team.status': call<M.TeamSyncView>()(inputs.none),
  'team.syncNow': call<M.TeamSyncView>()(inputs.none),
  /** Profile edits the team store did not take, kept to redo or drop (`all`: also the resolved ones). */
  'team.conflicts': call<M.TeamProfileConflict[]>()(a.teamConflicts),
  'team.resolveConflict': call<M.TeamProfileConflict>()(a.teamResolveConflict),
  /** Imports the roster the last sync found waiting in the team store (status.rosterWaiting), trusting the confirmed lead. */
  'team.importWaitingRoster': call<RosterImportView>()(a.waitingRosterImport),

  'terminals.open': call<{ sessionId: string; decision: M.PolicyDecision }>()(t.terminalOpen),
  'terminals.answerHostKey': call<{ answered: true }>()(t.hostKeyAnswer),
  'terminals.answerPrompt': call<{ answered: true }>()(t.promptAnswer),
  'terminals.close': call<M.TerminalExitView>()(t.sessionId),
  'terminals.list': call<M.LiveTerminalView[]>()(inputs.none),
  'links.open': call<{ opened: true }>()(t.linkOpen),

  /** An embedded VNC viewer's session: decided and logged like SSH; the bytes travel on the viewer's own channel (contract/vnc-protocol.ts). */
  'vnc.open': call<{ sessionId: string; decision: M.PolicyDecision }>()(t.vncOpen),
  'vnc.close': call<{ closed: boolean }>()(t.sessionId),
  'vnc.list': call<M.LiveVncView[]>()(inputs.none),
  /** "Save screenshot to ticket": the viewer's frame as a PNG, kept by its hash and named in the session's end. */
  'vnc.saveScreenshot': call<M.VncScreenshotView>()(t.vncScreenshot),
  /** A VNC recording for replay, in slices (the file's bytes, base64), its hash checked against the log's. */
  'log.vncRecording': call<M.VncRecordingChunk>()(t.vncRecordingChunk),
  /** The screenshots saved to a ticket from its VNC sessions (ended and live), newest first. */
  'tickets.screenshots': call<M.TicketScreenshotView[]>()(inputs.byIdSchema),
  /** One of them as a PNG (base64), its SHA-256 checked against the one recorded. */
  'tickets.screenshot': call<M.ScreenshotImageView>()(t.ticketScreenshot),
  /** A ticket's evidence files, each hash checked now, and the file that may end an RCA wait for debug data. */
  'tickets.evidence': call<M.TicketEvidenceList>()(inputs.byIdSchema),
  /** One tar of the ticket's evidence with manifest.json, MANIFEST.txt and SHA256SUMS; each file's hash checked as it is written. */
  'tickets.evidenceExport': call<M.EvidenceExportView>()(evidenceInputs.evidenceExport),
  /** Ends the ticket's wait for debug data with this evidence file (the engineer's confirmation); the history names the file. */
  'tickets.evidenceEndRcaWait': call<M.Ticket>()(evidenceInputs.evidenceEndRcaWait),

  'forwards.open': call<M.ForwardOpenResult>()(t.forwardOpen),
  'forwards.list': call<M.ForwardView[]>()(t.sessionId),
  'forwards.close': call<M.ForwardView>()(t.forwardClose),

  /** The Files panel: SFTP on a live terminal's connection; each transfer decided by the site's setting and logged in that session. */
  'files.list': call<RemoteListingView>()(fileInputs.list),
  'files.download': call<TransferView>()(fileInputs.download),
  /** Begins an upload; its bytes follow in order through `files.uploadChunk` (base64, ≤ 1 MiB each; each call returns once the core has taken it). */
  'files.upload': call<TransferView>()(fileInputs.upload),
  'files.uploadChunk': call<{ received: number }>()(fileInputs.uploadChunk),
  'files.downloadFolder': call<FolderDownloadView>()(fileInputs.downloadFolder),
  'files.makeFolder': call<MakeFolderView>()(fileInputs.makeFolder),
  'files.cancel': call<TransferView>()(fileInputs.cancel),
  'files.transfers': call<TransferView[]>()(fileInputs.transfers),
  'files.folderDownloads': call<FolderDownloadView[]>()(fileInputs.folderDownloads),
  'files.cancelFolder': call<FolderDownloadView>()(fileInputs.cancelFolder),

  'consoles.open': call<ConsoleOpenView>()(consoleInputs.consoleOpen),
  'consoles.close': call<{ closed: true }>()(t.sessionId),

  /** The lead's review of imported sessions: the queue (newest first, keyset-paged), one session with its records. */
  'review.list': call<ReviewPage>()(r.list),
  'review.get': call<ReviewDetail>()(r.byId),
  'review.facets': call<ReviewFacets>()(inputs.none),
  /** A lead's decision: a 'review' record in the lead's chain (NOT_A_LEAD for anyone else; flagged needs a comment). */
  'review.mark': call<ReviewSessionView>()(r.mark),
  /** The recording, its SHA-256 checked; each call is one opening, recorded as a 'viewing'. */
  'review.recording': call<ReviewRecordingView>()(r.byId),
  /** An imported VNC recording in slices; the first slice checks its SHA-256 against the signed record and records the viewing. */
  'review.vncRecording': call<ReviewVncSliceView>()(r.vncSlice),
  'review.export': call<{ text: string; fileName: string }>()(r.export),
  'review.weekly': call<WeeklyReview>()(r.weekly),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type InputOf<K extends MethodName> = z.input<Contract[K]['input']>;
export type ParsedInputOf<K extends MethodName> = z.output<Contract[K]['input']>;
export type OutputOf<K extends MethodName> = NonNullable<Contract[K]['output']>;

/** What the window sees: one async function per method. */
export type SwitchboardApi = { [K in MethodName]: (input: InputOf<K>) => Promise<OutputOf<K>> };
/** What main implements: the same methods, receiving already-validated input. */
export type ApiHandlers = { [K in MethodName]: (input: ParsedInputOf<K>) => OutputOf<K> | Promise<OutputOf<K>> };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

/** The preload's plain list (method-names.ts) must name exactly these methods; this fails to compile when they differ. */
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const PRELOAD_NAMES_MATCH: SameNames<ApiMethodName, MethodName> = true;

/** What the preload exposes on `window.switchboard`: results as data, so error codes survive IPC. */
export type SwitchboardBridge = { [K in MethodName]: (input: InputOf<K>) => Promise<CallResult<OutputOf<K>>> };
