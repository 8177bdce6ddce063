import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewFilter, ReviewSessionView } from '../../contract/review';
import { ReviewQueue } from '../../main/core/accountability/review-queue';
import { openDatabase, type Db } from '../../main/core/store/database';
import { migrateTeamStore } from '../../main/core/team-store/migrate';
import { LEAD_ROLE } from '../../main/core/team-store/migrations';
import { teamReviewPage } from '../../main/core/team-store/team-review-queue';
import { usePostgres } from '../helpers/postgres';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The lead's queue read straight from the team store (teamReviewPage) pages exactly as the app's SQLite
 * queue (ReviewQueue.list) over the same sessions: the same sessions, order, values and keyset cursors for
 * every filter — names in any case, "Customer/site", date and ISO bounds, combined filters, ties in time.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-team-review-page-');
let lead: pg.Client;
let sqlite: Db;

const ENGINEERS = ['ravi@example.com', 'asha@example.com', 'mo@example.com'];
const SITES = [['Acme', 'Pune'], ['Acme', 'Delhi'], ['Globex', 'Pune'], [null, null]] as const;
const METHODS = ['ssh', 'anydesk', 'vnc'];
const OUTCOMES = ['completed', 'failed', 'denied', null];
const STATES = ['unreviewed', 'reviewed', 'flagged', 'signed-off'];

/** 240 sessions over three weeks of November 2026; every fifth starts at the same instant as the one before. */
function sessions() {
  const rows = [];
  let at = Date.UTC(2026, 10, 2, 8);
  for (let id = 1; id <= 240; id++) {
    if (id % 5 !== 0) at += 2 * 3_600_000 + (id % 7) * 60_000;
    const [customer, site] = SITES[id % SITES.length]!;
    const state = STATES[(id * 3) % STATES.length]!;
    rows.push({
      id, engineer: ENGINEERS[id % ENGINEERS.length]!, session_id: `session-${id}`, started_at: new Date(at).toISOString(),
      ended_at: id % 9 === 0 ? null : new Date(at + 600_000).toISOString(), ticket: id % 4 === 0 ? null : `INC-${id % 6}`,
      customer, site, host: `host-${id % 3}`, method: METHODS[id % METHODS.length]!, decision: id % 11 === 0 ? 'deny' : 'allow',
      outcome: OUTCOMES[id % OUTCOMES.length]!, exception: id % 13 === 0, recording_sha256: id % 2 === 0 ? 'ab'.repeat(32) : null,
      state, state_comment: state === 'flagged' ? `look at ${id}` : null, state_at: state === 'unreviewed' ? null : new Date(at + 86_400_000).toISOString(),
    });
  }
  return rows;
}

beforeAll(async () => {
  const admin = await postgres().connect();
  try {
    await migrateTeamStore(admin);
    await admin.query(`CREATE ROLE sb_lena LOGIN PASSWORD 'lena-password' IN ROLE ${LEAD_ROLE}`);
    for (const [i, email] of ENGINEERS.entries()) {
      await admin.query('INSERT INTO switchboard.members (login, name, email, role) VALUES ($1, $2, $3, $4)', [`sb_e${i}`, `Engineer ${i}`, email, 'engineer']);
    }
    // Only the fold trigger writes this table; the superuser stands in for it with the rows the test wants.
    for (const r of sessions()) {
      await admin.query(`INSERT INTO switchboard.review_sessions (id, login, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method,
        decision, outcome, exception, recording_sha256, state, state_comment, state_by, state_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [r.id, `sb_e${ENGINEERS.indexOf(r.engineer)}`, r.engineer, r.session_id, r.started_at, r.ended_at, r.ticket, r.customer, r.site, r.host, r.method,
        r.decision, r.outcome, r.exception, r.recording_sha256, r.state, r.state_comment, r.state_at ? 'sb_lena' : null, r.state_at]);
    }
  } finally {
    await admin.end();
  }
  lead = await postgres().connect(postgres().url('sb_lena', 'lena-password'));
  sqlite = openDatabase(path.join(tempDir(), 'lead'));
  for (const [i, email] of ENGINEERS.entries()) {
    sqlite.prepare(`INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, accepted_at, bundles)
      VALUES (?, ?, ?, ?, 1, 1, '', '[]', '', '2026-11-30T00:00:00.000Z', 0)`).run(`team-store:sb_e${i}`, email, `Engineer ${i}`, `team-store/sb_e${i}`);
  }
  const insert = sqlite.prepare(`INSERT INTO review_sessions_all (id, engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision,
    outcome, exception, recording_sha256, state, state_comment, state_at) VALUES (@id, @key, @engineer, @session_id, @started_at, @ended_at, @ticket, @customer, @site, @host,
    @method, @decision, @outcome, @exception, @recording_sha256, @state, @state_comment, @state_at)`);
  for (const r of sessions()) insert.run({ ...r, key: `team-store:sb_e${ENGINEERS.indexOf(r.engineer)}`, exception: r.exception ? 1 : 0 });
}, 60_000);

afterAll(async () => {
  await lead?.end();
  sqlite?.close();
});

/** What both queues show alike (who decided is a login in one and a signed record in the other). */
const shown = (s: ReviewSessionView) => {
  const { decidedBy: _by, decidedAt: _at, ...rest } = s;
  return rest;
};

/** Every page of `limit` through the keyset cursor, from both queues. */
async function pages(filter: ReviewFilter, limit: number) {
  const pgPages: unknown[] = [];
  const litePages: unknown[] = [];
  let after: { startedAt: string; id: number } | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await teamReviewPage(lead, { ...filter, limit, ...(after ? { after } : {}) });
    pgPages.push({ sessions: page.sessions.map(shown), next: page.next });
    if (!page.next) break;
    after = page.next;
  }
  after = undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = new ReviewQueue(sqlite).list({ ...filter, limit, ...(after ? { after } : {}) });
    litePages.push({ sessions: page.sessions.map(shown), next: page.next });
    if (!page.next) break;
    after = page.next;
  }
  return { pgPages, litePages };
}

describe('teamReviewPage', () => {
  const filters: [string, ReviewFilter, 'some' | 'none'][] = [
    ['no filter (ties in time broken by id)', {}, 'some'],
    ['engineer, any case', { engineer: 'RAVI@example.com' }, 'some'],
    ['customer, any case', { customer: 'acme' }, 'some'],
    ['Customer/site', { site: 'globex/PUNE' }, 'some'],
    ['a site name alone', { site: 'Pune' }, 'some'],
    ['ticket, any case', { ticket: 'inc-3' }, 'some'],
    ['method', { method: 'SSH' }, 'some'],
    ['outcome', { outcome: 'Failed' }, 'some'],
    ['state', { state: 'flagged' }, 'some'],
    ['dates (the to day included)', { from: '2026-11-08', to: '2026-11-14' }, 'some'],
    ['ISO bounds', { from: '2026-11-08T10:30:00Z', to: '2026-11-10T00:00:00.000Z' }, 'some'],
    ['engineer + state', { engineer: 'asha@example.com', state: 'unreviewed' }, 'some'],
    ['site + dates', { site: 'Acme/Delhi', from: '2026-11-05', to: '2026-11-20' }, 'some'],
    ['nothing matches', { ticket: 'INC-404' }, 'none'],
  ];
  it.each(filters)('%s: the same pages as the SQLite queue', async (_name, filter, expected) => {
    const { pgPages, litePages } = await pages(filter, 7);
    const found = (pgPages as { sessions: ReviewSessionView[] }[]).flatMap((p) => p.sessions).length;
    expect(expected === 'some' ? found > 0 : found === 0).toBe(true);
    expect(pgPages).toEqual(litePages);
  });

  it('a first page of 50 is what the app shows: values as text, exception a boolean, the engineer named', async () => {
    const page = await teamReviewPage(lead, { state: 'flagged', limit: 50 });
    expect(page.sessions).toHaveLength(50);
    expect(page.next).toEqual({ startedAt: page.sessions[49]!.startedAt, id: page.sessions[49]!.id });
    const flagged = page.sessions.find((s) => s.id === 234)!;
    expect(flagged).toMatchObject({ engineer: 'ravi@example.com', engineerName: 'Engineer 0', engineerKey: 'team-store:sb_e0', comment: 'look at 234', decidedBy: 'sb_lena' });
    expect(flagged.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(page.sessions.every((s) => s.exception === (s.id % 13 === 0))).toBe(true);
  });

  it('a statement the server refuses rejects the read, and the connection goes on reading pages', async () => {
    const first = await teamReviewPage(lead, { method: 'vnc', limit: 3 });
    // The statement is parsed by now; this execution fails in the server (not a time), after Parse.
    await expect(teamReviewPage(lead, { method: 'vnc', limit: 3, after: { startedAt: 'not a time', id: 1 } })).rejects.toThrow(/invalid input syntax for type timestamp/);
    const again = await teamReviewPage(lead, { method: 'vnc', limit: 3 });
    expect(again).toEqual(first);
    const next = await teamReviewPage(lead, { method: 'vnc', limit: 3, after: first.next! });
    expect(next.sessions[0]!.id).toBeLessThan(first.sessions[2]!.id);
  });
});
