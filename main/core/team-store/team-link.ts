import type pg from 'pg';
import { ApiError } from '../../../contract/errors';
import type { Identities } from '../accountability/identity';
import type { TeamRoster } from '../accountability/team-roster';
import { pullTeamRecords } from './team-pull';
import { lastWitness, type LastWitness } from './team-checkpoints';
import { syncEvidence, type EvidenceSynced } from './team-evidence';
import { syncTickets, type TicketsSynced } from './team-tickets';
import { syncTicketEvidence, type TicketEvidenceSynced } from './team-ticket-evidence';
import { syncNotes, type NotesSynced } from './team-notes';
import { syncRosters, waitingRoster, waitingRosterText, type RostersSynced, type WaitingRoster } from './team-rosters';
import { approvalInbox, inboxRequestText, syncApprovals, type ApprovalsSynced, type InboxRequest } from './team-approvals';
import type { ExceptionApprovals } from '../approvals/exception-approvals';
import { listProfileConflicts, openProfileConflicts, resolveProfileConflict, syncProfiles, type ProfilesSynced } from './team-profiles';
import type { TeamProfileConflict } from '../../../contract/models';
import type { ScopedSecretStore } from '../keychain/scoped-secret-store';
import { EVENT_COLUMNS, type SessionEventRow } from '../session-log/types';
import { nowIso, type Db } from '../store/database';
import { connectTeamStore, isConnectionLost, parseTeamStoreUrl, teamStoreUrl, TeamStoreUnreachable, type TeamStoreAddress } from './connection';
import { addMember, initTeamStore, loginFor, newSecret, refusal, spendJoinSecret, type NewMember } from './membership';

/** This data dir's link to its team store, kept in store_meta (the password in the keychain, never here). */
interface LinkConfig { url: string; login: string }

export interface TeamStatus {
  linked: boolean;
  url: string | null;
  login: string | null;
  /** Records of this data dir's chain the team store does not have yet (as of the last sync). */
  waiting: number;
  lastSync: string | null;
  /** Since when the team store could not be reached (null when the last attempt reached it). */
  offlineSince: string | null;
  lastError: string | null;
  /** How far this laptop's clock was from the team store's at the last sync (ms, positive = ahead). */
  clockSkewMs: number | null;
  /** The newest checkpoint of this log a lead cosigned in the team store, as the last sync checked it. */
  lastWitness: LastWitness | null;
  /** Profile edits the team store did not take, kept here to redo or drop. */
  conflicts: number;
  /** Who may edit the team's profiles, as of the last sync. */
  profileEditors: 'leads' | 'everyone' | null;
  /** Customers only this laptop has, which this person may not add to the team's profiles (as of the last sync). */
  localOnly: string[];
  /** A roster in the team store waiting for this data dir (which has none) to confirm its lead: team roster import --from-store --trust-lead FP. */
  rosterWaiting: WaitingRoster | null;
  /** Other changes made here the team store does not have yet: note revisions, tickets and ticket changes. */
  waitingChanges: { notes: number; tickets: number; ticketChanges: number };
}

/** `pulled`/`sessions`: for a lead, the team's records pulled into the review queue (0 for an engineer). */
export interface SyncResult extends EvidenceSynced { pushed: number; head: number; pulled: number; sessions: number; at: string; clockSkewMs: number; notes: NotesSynced; profiles: ProfilesSynced; tickets: TicketsSynced; ticketEvidence: TicketEvidenceSynced; rosters: RostersSynced; approvals: ApprovalsSynced | null }

const KEYCHAIN_LOGIN = 'login';
/** Records pushed per INSERT statement and per transaction. */
const PUSH_BATCH = 500;

const META = {
  url: 'team_url', login: 'team_login', lastSync: 'team_last_sync', offlineSince: 'team_offline_since', lastError: 'team_last_error',
  pushedSeq: 'team_pushed_seq', pullCursor: 'team_pull_cursor', clockSkew: 'team_clock_skew_ms', profileEditors: 'team_profile_editors', localOnly: 'team_local_only',
} as const;

/** A laptop clock further than this from the team store's is worth telling the engineer about. */
export const CLOCK_SKEW_WARNING_MS = 2 * 60_000;

/**
 * The laptop's side of the team store: `team init` (a lead, with a role allowed to create roles),
 * `add-member`, `join`, and sync — this data dir's own chain pushed from where the team store's copy of it
 * ends (so a retry or a second sync never doubles anything: the database refuses a record that is not the
 * next of the chain). Everything works offline; a sync that cannot reach the store says so and loses nothing.
 */
export class TeamLink {
  constructor(
    private readonly db: Db, private readonly secrets: ScopedSecretStore, private readonly identities: Identities, private readonly roster: TeamRoster,
    /** This laptop's clock (tests set it wrong on purpose). */
    private readonly clock: () => number = Date.now,
    /** Who is on the record for the policy changes a sync brings in (the core's engineer). */
    private readonly engineer: () => string = () => identities.current()?.name ?? 'team store',
    /** Exception approvals, imported through their own checks (without them a sync leaves approvals alone). */
    private readonly exceptions?: ExceptionApprovals,
  ) {}

  private meta(key: string): string | null {
    return (this.db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM store_meta WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  private config(): LinkConfig | null {
    const url = this.meta(META.url);
    const login = this.meta(META.login);
    return url && login ? { url, login } : null;
  }

  private me() {
    const identity = this.identities.current();
    if (!identity) throw new ApiError('NO_IDENTITY', 'This data dir has no identity yet; create one first: switchboard identity init --name NAME --email EMAIL.');
    return identity;
  }

  /** `team init --db URL`: the schema and roles, and this data dir's person as the first lead. The URL's role is used once and not kept. */
  async init(adminUrl: string, adminPassword: string | null): Promise<{ url: string; login: string; created: boolean; applied: string[] }> {
    const identity = this.me();
    const { address, password } = parseTeamStoreUrl(adminUrl);
    if (!address.user) throw new ApiError('INVALID_INPUT', 'team init needs the URL of a role allowed to create roles: postgresql://ADMIN@HOST:PORT/DATABASE.');
    const admin = await connectTeamStore(address, address.user, password ?? adminPassword ?? '');
    const own = newSecret();
    try {
      const result = await initTeamStore(admin, { name: identity.name, email: identity.email, fingerprint: identity.fingerprint }, own);
      await this.keep(address, result.login, own);
      return { url: teamStoreUrl(address, result.login), login: result.login, created: result.created, applied: result.migration.applied };
    } finally {
      await admin.end().catch(() => {});
    }
  }

  /** `team add-member`, as a lead of the team store. */
  async addMember(member: NewMember): Promise<{ name: string; login: string; join_secret: string }> {
    return this.withStore((client) => addMember(client, member));
  }

  /** `team join --db URL --name N`: signs in with the one-time join secret, sets a password of its own, keeps it, syncs. */
  async join(url: string, name: string, joinSecret: string): Promise<{ url: string; login: string; sync: SyncResult }> {
    const identity = this.me();
    const { address } = parseTeamStoreUrl(url);
    const login = address.user ?? loginFor(identity.email);
    const client = await connectTeamStore(address, login, joinSecret);
    try {
      const row = (await client.query<{ name: string; email: string }>('SELECT name, email FROM switchboard.members WHERE login = current_user')).rows[0];
      if (!row) throw new ApiError('TEAM_STORE_REFUSED', `${login} is not a member of this team store.`);
      if (row.name !== name) throw new ApiError('INVALID_INPUT', `The lead added ${login} as "${row.name}", not "${name}"; check the name the lead gave you.`);
      if (row.email.toLowerCase() !== identity.email.toLowerCase()) {
        throw new ApiError('INVALID_INPUT', `The lead added ${login} for ${row.email}, but this data dir signs as ${identity.email}.`);
      }
      const own = newSecret();
      await spendJoinSecret(client, own);
      await this.keep(address, login, own);
    } finally {
      await client.end().catch(() => {});
    }
    return { url: teamStoreUrl(address, login), login, sync: await this.sync() };
  }

  private async keep(address: TeamStoreAddress, login: string, password: string): Promise<void> {
    await this.secrets.set(KEYCHAIN_LOGIN, password);
    this.setMeta(META.url, teamStoreUrl(address, null));
    this.setMeta(META.login, login);
  }

  /** Connects with this data dir's own login (from the keychain); records whether the store was reachable. */
  private async withStore<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const config = this.config();
    if (!config) throw new ApiError('INVALID_INPUT', 'This data dir is not linked to a team store; run "switchboard team join --db URL --name NAME" (or "team init" as the first lead).');
    const password = await this.secrets.get(KEYCHAIN_LOGIN);
    if (!password) throw new ApiError('TEAM_STORE_REFUSED', `The team store login ${config.login} has no password in the keychain; join again with a new join secret from a lead.`);
    let client: pg.Client;
    try {
      client = await connectTeamStore(parseTeamStoreUrl(config.url).address, config.login, password);
    } catch (error) {
      if (error instanceof TeamStoreUnreachable) {
        if (!this.meta(META.offlineSince)) this.setMeta(META.offlineSince, nowIso());
        this.setMeta(META.lastError, error.message);
      }
      throw error;
    }
    try {
      const result = await work(client);
      this.setMeta(META.offlineSince, null);
      this.setMeta(META.lastError, null);
      return result;
    } catch (error) {
      // The store went away in the middle: unreachable, not refused — nothing is lost, the next sync resumes.
      if (!isConnectionLost(error)) throw error;
      const lost = new TeamStoreUnreachable(`The team store went away during the sync (${(error as Error).message}); nothing is lost: the next sync starts again from what the store has.`);
      if (!this.meta(META.offlineSince)) this.setMeta(META.offlineSince, nowIso());
      this.setMeta(META.lastError, lost.message);
      throw lost;
    } finally {
      await client.end().catch(() => {});
    }
  }

  /**
   * Pushes this data dir's chain from where the team store's copy of it ends, in batches, each batch one
   * transaction. A cut connection loses nothing: the next sync starts again from the store's head.
   */
  async sync(): Promise<SyncResult> {
    return this.withStore(async (client) => {
      // Records keep the time the laptop gave them (the chain is about order); the store notes when it
      // received each. A laptop clock that is off is measured, and said, at every sync.
      const serverMs = Number((await client.query<{ ms: string }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms')).rows[0]!.ms);
      const clockSkewMs = this.clock() - serverMs;
      this.setMeta(META.clockSkew, String(clockSkewMs));
      // What the roster makes this login, and the team's setting on profiles: read once for the whole sync.
      const { lead: isLead, editors } = (await client.query<{ lead: boolean; editors: string | null }>(
        "SELECT switchboard.is_lead() AS lead, (SELECT value FROM switchboard.settings WHERE key = 'profile_editors') AS editors")).rows[0]!;
      // Profiles first: what the store's versions change here goes on this laptop's record, pushed below.
      const profiles = await syncProfiles(client, this.db, this.engineer());
      this.setMeta(META.profileEditors, editors);
      this.setMeta(META.localOnly, JSON.stringify(profiles.localOnly));
      let head = Number((await client.query<{ head: string | null }>('SELECT max(seq) AS head FROM switchboard.log_records WHERE login = current_user')).rows[0]?.head ?? 0);
      let pushed = 0;
      const select = this.db.prepare(`SELECT ${EVENT_COLUMNS.join(', ')}, hash FROM session_events WHERE seq > ? ORDER BY seq LIMIT ?`);
      for (;;) {
        const rows = select.all(head, PUSH_BATCH) as SessionEventRow[];
        if (rows.length === 0) break;
        await client.query('BEGIN');
        try {
          await client.query(insertStatement(rows.length), rows.flatMap((row) => [...EVENT_COLUMNS.map((c) => row[c]), row.hash]));
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw isConnectionLost(error) ? error : refusal(error, `push records ${rows[0]!.seq}–${rows.at(-1)!.seq}`);
        }
        head = rows.at(-1)!.seq;
        pushed += rows.length;
        this.setMeta(META.pushedSeq, String(head));
      }
      // A lead reviews the team live: everyone's records come into the review queue, checked again here.
      let pulled = 0;
      let sessions = 0;
      if (isLead) {
        const pull = await pullTeamRecords(client, this.db, this.roster, Number(this.meta(META.pullCursor) ?? 0));
        this.setMeta(META.pullCursor, String(pull.cursor));
        ({ pulled, sessions } = pull);
      }
      const evidence = await syncEvidence(client, this.db, head, this.roster, this.identities, isLead);
      // The team's one ticket list: ours up, everyone's down, each ticket folded from its events.
      const tickets = await syncTickets(client, this.db);
      // Then the files on those tickets (the tickets must be in the store, and here, first).
      const ticketEvidence = await syncTicketEvidence(client, this.db);
      // Roster changes and exception approvals travel as signed texts; each data dir checks them as if they came by file.
      const rosters = await syncRosters(client, this.db, this.roster, isLead);
      const approvals = this.exceptions ? await syncApprovals(client, this.db, this.exceptions, isLead) : null;
      const notes = await syncNotes(client, this.db);
      const at = nowIso();
      this.setMeta(META.lastSync, at);
      return { pushed, head, pulled, sessions, at, clockSkewMs, ...evidence, warnings: [...evidence.warnings, ...notes.warnings, ...profiles.failed, ...tickets.warnings, ...ticketEvidence.warnings, ...rosters.warnings, ...(approvals?.warnings ?? [])], notes, profiles, tickets, ticketEvidence, rosters, approvals };
    });
  }

  status(): TeamStatus {
    const config = this.config();
    const pushed = Number(this.meta(META.pushedSeq) ?? 0);
    const local = Number(this.db.prepare('SELECT coalesce(max(seq), 0) FROM session_events').pluck().get());
    return {
      linked: config !== null, url: config?.url ?? null, login: config?.login ?? null,
      waiting: config ? Math.max(0, local - pushed) : 0,
      lastSync: this.meta(META.lastSync), offlineSince: this.meta(META.offlineSince), lastError: this.meta(META.lastError),
      clockSkewMs: this.meta(META.clockSkew) === null ? null : Number(this.meta(META.clockSkew)),
      lastWitness: lastWitness(this.db),
      conflicts: openProfileConflicts(this.db),
      profileEditors: (this.meta(META.profileEditors) as TeamStatus['profileEditors']) ?? null,
      localOnly: JSON.parse(this.meta(META.localOnly) ?? '[]') as string[],
      waitingChanges: config ? this.waitingChanges() : { notes: 0, tickets: 0, ticketChanges: 0 },
      rosterWaiting: this.roster.current() ? null : waitingOnly(this.db),
    };
  }

  /** The signed text of the roster the last sync found waiting, for `team roster import --from-store --trust-lead FP`. */
  waitingRosterText(): string {
    return waitingRosterText(this.db);
  }

  /** A lead's inbox of the team's exception requests, as of the last sync. */
  approvalInbox(): InboxRequest[] {
    return approvalInbox(this.db);
  }

  /** The signed text of a request in the inbox, for `approvals sign ID --from-store`. */
  inboxRequestText(requestId: string): string {
    return inboxRequestText(this.db, requestId);
  }

  private waitingChanges(): TeamStatus['waitingChanges'] {
    const count = (sql: string) => Number(this.db.prepare(sql).pluck().get());
    return {
      notes: count('SELECT count(*) FROM note_revisions WHERE store_id IS NULL'),
      tickets: count('SELECT count(*) FROM tickets WHERE team_pushed = 0'),
      ticketChanges: count('SELECT count(*) FROM ticket_events WHERE team_order IS NULL'),
    };
  }

  /** Profile edits the team store did not take (open ones; `all` also those redone or dropped). */
  conflicts(all = false): TeamProfileConflict[] {
    return listProfileConflicts(this.db, { all });
  }

  /** Redo a kept edit on top of the store's version (pushed at the next sync), or drop it. */
  resolveConflict(id: number, action: 'redo' | 'drop'): TeamProfileConflict {
    return resolveProfileConflict(this.db, id, action, this.engineer());
  }

  /** `team set profile-editors leads|everyone`, as a lead: the database refuses anyone else. */
  async setProfileEditors(value: 'leads' | 'everyone'): Promise<void> {
    await this.withStore(async (client) => {
      try {
        await client.query("UPDATE switchboard.settings SET value = $1 WHERE key = 'profile_editors'", [value]);
      } catch (error) {
        throw refusal(error, `set who may edit profiles to "${value}"`);
      }
      this.setMeta(META.profileEditors, value);
    });
  }
}

const PUSHED_COLUMNS = [...EVENT_COLUMNS, 'hash'];

function insertStatement(rows: number): string {
  const width = PUSHED_COLUMNS.length;
  const values = Array.from({ length: rows }, (_, r) => `(${PUSHED_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return `INSERT INTO switchboard.log_records (${PUSHED_COLUMNS.join(', ')}) VALUES ${values.join(', ')}`;
}

function waitingOnly(db: Db): WaitingRoster | null {
  const waiting = waitingRoster(db);
  if (!waiting) return null;
  const { text: _text, ...shown } = waiting;
  return shown;
}
