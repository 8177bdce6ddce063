import type { BundleImportView, BundleView, CheckpointView, IdentityView, RosterImportView, RosterPreview, RosterView, WitnessImportView, WitnessStatus } from '../../../contract/accountability';
import { ApiError } from '../../../contract/errors';
import type { BundleImportJobView } from '../../../contract/log-jobs';
import { BackgroundJobs, type JobRun } from '../session-log/background-jobs';
import type { SessionLog } from '../session-log/session-log';
import type { Db } from '../store/database';
import { exportBundle, type BundleExportOptions } from './bundle-export';
import { importBundle } from './bundle-import';
import { removeLeftoverImports } from './bundle-staging';
import type { CheckpointScheduler } from './checkpoint-scheduler';
import type { Checkpoints, StoredCheckpoint } from './checkpoints';
import type { Identities, Identity, IdentityInit } from './identity';
import type { AuditResult, CheckpointClaim } from './log-audit';
import { auditLogInWorkers, verifyWorkerScript, type AuditRunOptions } from './parallel-audit';
import { personEmail, personName } from './people';
import type { CurrentRoster, TeamRoster } from './team-roster';
import { importWitness, latestWitnessed } from './witness';

export interface AccountabilityParts {
  db: Db;
  log: SessionLog;
  identities: Identities;
  roster: TeamRoster;
  checkpoints: Checkpoints;
  scheduler: CheckpointScheduler;
}

const DAY_MS = 86_400_000;

/**
 * Identity, team roster, signed checkpoints and the audit of the log against them — one door for the
 * window's handlers and the CLI, so both run the same checks.
 */
export class Accountability {
  private readonly importJobs = new BackgroundJobs<BundleImportView>('bundle import');

  constructor(private readonly parts: AccountabilityParts) {
    // A bundle import its process left unpublished when it ended (a crash, a kill): never visible, removed now.
    removeLeftoverImports(parts.db);
  }

  async identity(): Promise<IdentityView | null> {
    const identity = this.parts.identities.current();
    return identity ? this.identityView(identity) : null;
  }

  async initIdentity(input: IdentityInit): Promise<IdentityView> {
    const name = personName.safeParse(input.name);
    const email = personEmail.safeParse(input.email);
    if (!name.success) throw new ApiError('INVALID_INPUT', `The name ${name.error.issues[0]!.message}.`);
    if (!email.success) throw new ApiError('INVALID_INPUT', `"${input.email}" is not an e-mail address: ${email.error.issues[0]!.message}.`);
    return this.identityView(await this.parts.identities.init({ name: name.data, email: email.data, role: input.role }));
  }

  async roster(): Promise<RosterView | null> {
    const current = this.parts.roster.current();
    return current ? rosterView(current) : null;
  }

  async signRoster(yaml: string): Promise<string> {
    return this.parts.roster.sign(yaml);
  }

  /** Who signed a roster file and whether its import needs a confirmed lead fingerprint; stores nothing. */
  async previewRoster(signedText: string): Promise<RosterPreview> {
    const { roster, signers, needsTrustConfirmation } = this.parts.roster.preview(signedText);
    return {
      team: roster.team, members: roster.members, needsTrustConfirmation,
      signers: signers.map((m) => ({ name: m.name, email: m.email, fingerprint: m.fingerprint })),
    };
  }

  async importRoster(signedText: string, trustLead?: string): Promise<RosterImportView> {
    const imported = this.parts.roster.import(signedText, trustLead ? { trustLead } : {});
    return { ...rosterView(imported), firstTrust: imported.firstTrust, changed: imported.changed, warnings: imported.warnings };
  }

  /** Signs a checkpoint now (waiting for any automatic one first, so they come out in order). */
  async checkpoint(): Promise<CheckpointView> {
    await this.parts.scheduler.idle();
    return checkpointView(await this.parts.checkpoints.sign('on-demand'));
  }

  /** The chain, every checkpoint's signature, and that the log still holds all the latest one covers. */
  async verify(expectedHead?: { seq: number; hash: string }, options: AuditRunOptions = {}): Promise<AuditResult> {
    await this.parts.scheduler.idle();
    const identity = this.parts.identities.current();
    const claims: CheckpointClaim[] = this.parts.checkpoints.list().map((c) => ({ note: c.note, source: `checkpoint #${c.id} in the database` }));
    let outside: string | null = null;
    try {
      outside = await this.parts.checkpoints.latestOutside();
    } catch (error) {
      if (identity) throw error; // with an identity the keychain copy is part of the evidence: say it could not be read
    }
    if (outside !== null) claims.push({ note: outside, source: 'the copy kept in the keychain' });
    // Scanned by worker threads where the app ships their bundle, so a long log never stalls the core.
    return auditLogInWorkers(this.parts.db, this.parts.db.name, {
      checkpoints: claims, origin: this.parts.checkpoints.origin(),
      verifier: identity ? this.parts.identities.verifier(identity) : null,
      ...(expectedHead ? { expectedHead } : {}),
    }, verifyWorkerScript(), options);
  }

  /** How much of the log no lead of the roster has cosigned yet. */
  async witnessStatus(now: Date = new Date()): Promise<WitnessStatus> {
    const { db } = this.parts;
    const records = this.parts.log.headRecord()?.seq ?? 0;
    const found = latestWitnessed(db, this.parts.roster.leads());
    const witnessed = found ? { size: found.size, by: found.by.name, at: found.at.toISOString() } : null;
    const since = witnessed?.size ?? 0;
    const unwitnessedSessions = db.prepare("SELECT count(*) FROM session_events WHERE seq > ? AND kind = 'attempt'").pluck().get(since) as number;
    const latest = this.parts.checkpoints.latest();
    return {
      records,
      witnessed,
      unwitnessedRecords: records - since,
      unwitnessedSessions,
      daysSinceWitnessed: witnessed ? Math.floor((now.getTime() - Date.parse(witnessed.at)) / DAY_MS) : null,
      checkpointFailure: this.parts.scheduler.failure(),
      latestCheckpoint: latest ? { size: latest.size, signedAt: latest.signedAt } : null,
    };
  }

  /** A signed bundle of the log since the last one a lead accepted, or since a date (bundle-export.ts). */
  async bundle(options: BundleExportOptions = {}): Promise<BundleView> {
    await this.parts.scheduler.idle();
    return exportBundle(this.parts, options);
  }

  /**
   * A lead's import of an engineer's bundle: every check first, then its rows written unseen (both on the
   * log's worker thread), then one small transaction that publishes them, with the cosignature (bundle-import.ts). `options` carry progress (records checked of
   * the bundle's) and a signal that cancels it with nothing imported (JobCancelled).
   */
  async importBundle(text: string, options: Partial<JobRun> = {}): Promise<BundleImportView> {
    await this.parts.scheduler.idle();
    return importBundle(this.parts, text, new Date(), { ...options, workerScript: verifyWorkerScript() });
  }

  /** The import as a job the window follows (n of N records checked) and may cancel; imports run one at a time. */
  async importBundleStart(text: string): Promise<BundleImportJobView> {
    if (this.importJobs.running()) throw new ApiError('CONFLICT', 'A bundle is already being imported; wait for it to finish (or cancel it) and import this one after.');
    return this.importJobs.start((run) => this.importBundle(text, run), { joinRunning: false });
  }

  async importBundleJob(jobId: string): Promise<BundleImportJobView> { return this.importJobs.get(jobId); }

  /** Stops the import before its publishing transaction: answers once its worker has stopped and the rows it wrote are removed, with nothing imported. */
  async importBundleCancel(jobId: string): Promise<BundleImportJobView> { return this.importJobs.cancel(jobId); }

  /** The engineer takes back the checkpoint a lead cosigned (witness.ts); the next bundle starts after it. */
  async importWitness(text: string): Promise<WitnessImportView> {
    await this.parts.scheduler.idle();
    return importWitness(this.parts, text);
  }

  /** Waits for automatic checkpoints still being signed (the CLI calls this before it exits). */
  idle(): Promise<void> {
    return this.parts.scheduler.idle();
  }

  private identityView(identity: Identity): IdentityView {
    const member = this.parts.roster.member(identity.fingerprint);
    return { ...identity, rosterRole: member?.role ?? null };
  }
}

function rosterView(current: CurrentRoster): RosterView {
  return {
    team: current.roster.team,
    members: current.roster.members,
    signedBy: { name: current.signedBy.name, email: current.signedBy.email, fingerprint: current.signedBy.fingerprint },
    importedAt: current.importedAt,
    trustAnchor: current.trustAnchor,
  };
}

function checkpointView(c: StoredCheckpoint): CheckpointView {
  return { size: c.size, rootHash: c.rootHash, signedAt: c.signedAt, reason: c.reason, note: c.note };
}
