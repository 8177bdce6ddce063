import type { CurrentEngineer } from '../who';
import type { Accountability } from '../accountability/service';
import type { ReviewService } from '../accountability/review-service';
import type { ExceptionApprovals } from '../approvals/exception-approvals';
import type { Credentials } from '../credentials/credentials';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import type { SessionLog } from '../session-log/session-log';
import type { Db } from '../store/database';
import type { AccessPolicy } from './access-policy';
import { SqliteApprovals, type ApprovalService } from './approvals';
import type { CredentialService } from './credentials';
import type { DirectoryService } from './directory';
import { SqliteNotes, type NoteService } from './notes';
import { SqliteProfiles, type ProfileService } from './profiles';
import { SqliteSessionLog, type SessionLogService } from './session-log';
import { SqliteDirectory } from './sqlite-directory';
import { SqliteTickets, type TicketService } from './tickets';
import { SqliteEvidence, type EvidenceService } from './evidence';
import type { TicketClock } from '../tickets/tickets';
import { exportsDir, exportToFile, exportToPath } from '../session-log/export-job';
import { verifyWorkerScript } from '../accountability/parallel-audit';

export type { AccessPolicy, AccessRequest } from './access-policy';
export type { ApprovalService } from './approvals';
export type { CredentialService } from './credentials';
export type { DirectoryService } from './directory';
export type { NoteService } from './notes';
export type { ProfileService } from './profiles';
export type { SessionLogService, SessionLogQuery } from './session-log';
export type { TicketService } from './tickets';
export type { EvidenceService, EvidenceInput } from './evidence';

/**
 * The core's data and decisions, each behind its own async door. Handlers, the CLI, the web host and
 * the Electron shell reach the data only through these; a second store engine is one more set of
 * implementations, wired where `createSqliteServices` is.
 */
export interface CoreServices {
  directory: DirectoryService;
  profiles: ProfileService;
  tickets: TicketService;
  /** Files on tickets as evidence, kept by their hash in the data dir (issue 12). */
  evidence: EvidenceService;
  policy: AccessPolicy;
  approvals: ApprovalService;
  sessionLog: SessionLogService;
  notes: NoteService;
  credentials: CredentialService;
  /** Identity, team roster, signed checkpoints, witnessing. */
  accountability: Accountability;
  /** A lead's review of imported sessions: queue, decisions, viewings, report, week. */
  review: ReviewService;
}

export interface SqliteServiceDeps {
  db: Db;
  /** Where evidence files are kept (its evidence folder). */
  dataDir: string;
  log: SessionLog;
  credentials: Credentials;
  policy: AccessPolicy;
  vpnProfiles: VpnProfileStore;
  engineer: CurrentEngineer;
  accountability: Accountability;
  review: ReviewService;
  /** Lead-signed exception approvals (also what the policy reads). */
  exceptions: ExceptionApprovals;
  /** What tickets read as "now": the team's time on a data dir linked to a team store. */
  ticketClock?: TicketClock;
}

/** Today's implementations: one SQLite file per data dir, secrets in the OS keychain. */
export function createSqliteServices(deps: SqliteServiceDeps): CoreServices {
  const { db, engineer } = deps;
  const tickets = new SqliteTickets(db, engineer, deps.ticketClock);
  return {
    directory: new SqliteDirectory(db, deps.vpnProfiles, engineer),
    profiles: new SqliteProfiles(db, deps.vpnProfiles, engineer),
    tickets,
    evidence: new SqliteEvidence(db, deps.dataDir, engineer, tickets, deps.ticketClock),
    policy: deps.policy,
    approvals: new SqliteApprovals(db, deps.exceptions),
    sessionLog: new SqliteSessionLog(deps.log, engineer, (head, options) => deps.accountability.verify(head, options),
      (format, fileName, run, to) => (to
        ? exportToPath({ db, workerScript: verifyWorkerScript() }, format, to, run)
        : exportToFile({ db, workerScript: verifyWorkerScript(), dir: exportsDir(deps.dataDir), fileName }, format, run))),
    notes: new SqliteNotes(db),
    credentials: deps.credentials,
    accountability: deps.accountability,
    review: deps.review,
  };
}
