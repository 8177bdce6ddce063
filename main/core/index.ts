/**
 * The core's one door. The shells (CLI, browser-mode host, Electron) import from here and nowhere
 * else in main/core (the layering lint rule enforces it): a Core of services, plus the few pure
 * pieces a shell adapts to its platform (the terminal byte link, the HTTPS console window's rules).
 */
import { assembleCore, type Core, type CoreOptions } from './wiring';
import { tuneGarbageCollector } from './gc-tuning';

export type { Core, CoreOptions } from './wiring';
export { APP_VERSION, defaultEngineer } from './wiring';
export type {
  AccessPolicy, AccessRequest, ApprovalService, CoreServices, CredentialService, DirectoryService, NoteService, ProfileService,
  SessionLogQuery, SessionLogService, TicketService,
} from './services';
export { resolveDataDir } from './paths';
export { keepServingThroughStrayErrors } from './last-resort';
export { ApiError } from '../../contract/errors';

// For the shells' adapters: the terminal byte channel, the HTTPS console window, the CLI's prompts.
export { linkTerminal, type TerminalCarrier, type TerminalLink } from './sessions/terminal-link';
export type { TerminalSessions } from './sessions/terminal-sessions';
export type { VncSessions } from './vnc/vnc-sessions';
export { linkVnc } from './vnc/vnc-link';
export type { ConsoleEnd, ConsoleHost, ConsoleSpec, RefusedNavigation } from './https/console-host';
export {
  CERT_REJECT, ConsoleActivity, consoleCertificateVerdict, consoleDownload, consoleNavigation, consolePermission, consoleRequest, consoleWindowOpen, downloadDialogOptions,
} from './https/console-window-rules';
export type { SshPrompts, SshSession } from './sessions/ssh-session';
export type { ForwardRequest } from './sessions/forwards';
export type { KeyboardChallenge } from './ssh/auth';
export { runDoctor, type CheckResult, type CheckStatus } from './doctor/doctor';
export { KeytarSecretStore } from './keychain/keytar-secret-store';
export { EXPORT_FORMAT } from './session-log/export';
export { AuditCancelled } from './accountability/parallel-audit';
export { JobCancelled } from './session-log/background-jobs';
export { snippetToText } from './notes/search';
export { classifySeverity } from './tickets/severity';
/** A remote name as it is safe to print (control and invisible characters escaped). */
export { escapeName } from './files/transfer-policy';
export { downloadFolder, uploadFolder, type FolderTransferResult } from './files/folder-transfers';
export { localFileChunks } from './files/local-file-source';

/** Opens the data dir and wires every service; all entry points start here. */
export function openCore(options: CoreOptions): Core {
  tuneGarbageCollector();
  return assembleCore(options).core;
}
export { CLOCK_SKEW_WARNING_MS, type TeamStatus } from './team-store/team-link';
