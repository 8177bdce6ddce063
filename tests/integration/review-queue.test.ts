import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewFilter } from '../../contract/review';
import { reviewWhere, SESSION_COLUMNS, SESSION_FROM } from '../../main/core/accountability/review-queue';
import { verifyReviewReport } from '../../main/core/accountability/review-report';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import { call, callError, customerFields, siteFields, useCores, type TestCore } from '../helpers/core';
import { becomeLead, castText, seedEngineer, seedSessions, type SeedSession } from '../helpers/review-seed';

const newCore = useCores();
const stores = new Set<string>();
afterAll(async () => {
  const all = await keytar.findCredentials(KEYCHAIN_SERVICE);
  for (const { account } of all) if ([...stores].some((id) => account.startsWith(`${id}/`))) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
});

const ravi = seedEngineer('Ravi Nair', 'ravi@example.com');
const asha = seedEngineer('Asha Rao', 'asha@example.com');

/** Seven sessions around the week of Monday 2026-11-16 (Asia/Kolkata is UTC+5:30). Numbered as in the table below. */
const SESSIONS: Record<number, SeedSession> = {
  1: { engineer: ravi, site: 'Acme/Pune', method: 'ssh', ticket: 'INC-1', startedAt: '2026-11-17T05:00:00.000Z', recording: castText('uptime: 42 days') },
  2: { engineer: ravi, site: 'Acme/Pune', method: 'https', ticket: 'INC-2', startedAt: '2026-11-18T06:00:00.000Z' },
  3: { engineer: asha, site: 'Acme/Delhi', method: 'ssh', ticket: 'INC-2', decision: 'deny', startedAt: '2026-11-19T07:00:00.000Z' },
  4: { engineer: asha, site: 'Globex/Pune', method: 'vnc', ticket: 'INC-3', exception: true, startedAt: '2026-11-20T08:00:00.000Z' },
  // Sunday 23:30 in Kolkata: still the week of the 16th there, though Sunday 18:00 UTC.
  5: { engineer: asha, site: 'Globex/Pune', method: 'ssh', ticket: 'INC-3', startedAt: '2026-11-22T18:00:00.000Z' },
  // Monday 00:15 in Kolkata: the next week there, though still Sunday in UTC.
  6: { engineer: ravi, site: 'Globex/Pune', method: 'ssh', ticket: null, startedAt: '2026-11-22T18:45:00.000Z' },
  7: { engineer: ravi, site: 'Acme/Pune', method: 'ssh', ticket: 'INC-9', startedAt: '2026-11-10T09:00:00.000Z' },
};

let lead: TestCore;
/** Queue id of session n. */
const q: Record<number, number> = {};
const n = (id: number) => Number(Object.entries(q).find(([, v]) => v === id)![0]);

async function leadCore(): Promise<TestCore> {
  const c = newCore();
  stores.add(storeId(c.db));
  await becomeLead(c, [ravi, asha]);
  const ids = seedSessions(c, Object.values(SESSIONS));
  Object.keys(SESSIONS).forEach((k, i) => { q[Number(k)] = ids[i]!; });
  return c;
}

beforeAll(async () => {
  lead = await leadCore();
});

describe('review queue: filters, order and pages', () => {
  const rows: [string, ReviewFilter, number[]][] = [
    ['nothing: every session, newest first', {}, [6, 5, 4, 3, 2, 1, 7]],
    ['engineer', { engineer: 'ravi@example.com' }, [6, 2, 1, 7]],
    ['engineer, written in capitals', { engineer: 'RAVI@example.com' }, [6, 2, 1, 7]],
    ['customer, any case', { customer: 'acme' }, [3, 2, 1, 7]],
    ['site by its name, across customers', { site: 'pune' }, [6, 5, 4, 2, 1, 7]],
    ['site as Customer/site', { site: 'Globex/Pune' }, [6, 5, 4]],
    ['customer and site', { customer: 'Acme', site: 'Pune' }, [2, 1, 7]],
    ['ticket, any case', { ticket: 'inc-2' }, [3, 2]],
    ['method', { method: 'ssh' }, [6, 5, 3, 1, 7]],
    ['outcome', { outcome: 'denied' }, [3]],
    ['state', { state: 'unreviewed' }, [6, 5, 4, 3, 2, 1, 7]],
    ['state nobody has yet', { state: 'signed-off' }, []],
    ['date range: a date alone as "to" includes that day', { from: '2026-11-17', to: '2026-11-19' }, [3, 2, 1]],
    ['from an ISO time, inclusive', { from: '2026-11-18T06:00:00Z' }, [6, 5, 4, 3, 2]],
    ['to an ISO time with an offset, exclusive', { to: '2026-11-18T11:30:00+05:30' }, [1, 7]],
    ['engineer and method together', { engineer: 'asha@example.com', method: 'ssh' }, [5, 3]],
    ['customer, state and dates together', { customer: 'Acme', state: 'unreviewed', from: '2026-11-16' }, [3, 2, 1]],
  ];
  it.each(rows)('%s', async (_name, filter, expected) => {
    const page = await call<{ sessions: { id: number }[] }>(lead, 'review.list', filter);
    expect(page.sessions.map((s) => n(s.id))).toEqual(expected);
  });

  it('shows each session with at least id, engineer, ticket, method, outcome and state', async () => {
    const page = await lead.services.review.list({ ticket: 'INC-1' });
    expect(page.sessions[0]).toMatchObject({
      engineer: 'ravi@example.com', engineerName: 'Ravi Nair', ticket: 'INC-1', customer: 'Acme', site: 'Pune', method: 'ssh', outcome: 'completed',
      state: 'unreviewed', decidedBy: null, exception: false,
    });
    expect(page.sessions[0]!.recordingSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pages by keyset: every session once, in order, and no next page after the last', async () => {
    const seen: number[] = [];
    let after: { startedAt: string; id: number } | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await lead.services.review.list({ limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.sessions.map((s) => n(s.id)));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 7]);
  });

  it('refuses a bad filter in words', async () => {
    expect((await callError(lead, 'review.list', { from: 'last tuesday' })).code).toBe('INVALID_INPUT');
    expect((await callError(lead, 'review.list', { from: '2026-11-20', to: '2026-11-19' })).message).toMatch(/date range is empty/);
    expect((await callError(lead, 'review.list', { site: 'Acme/Pune', customer: 'Globex' })).message).toMatch(/names the customer Acme/);
    expect((await callError(lead, 'review.list', { state: 'approved' })).code).toBe('INVALID_INPUT');
  });

  it('offers the engineers and customers imported', async () => {
    expect(await lead.services.review.facets()).toEqual({
      engineers: [{ email: 'asha@example.com', name: 'Asha Rao' }, { email: 'ravi@example.com', name: 'Ravi Nair' }],
      customers: ['Acme', 'Globex'],
    });
  });
});

describe('review queue: each filter reads a page straight off its index', () => {
  const plans: [string, ReviewFilter, string][] = [
    ['nothing', {}, 'review_sessions_byStarted'],
    ['engineer', { engineer: 'ravi@example.com' }, 'review_sessions_byEngineer'],
    ['customer', { customer: 'Acme' }, 'review_sessions_byCustomer'],
    ['site name', { site: 'Pune' }, 'review_sessions_bySiteName'],
    ['customer and site', { site: 'Acme/Pune' }, 'review_sessions_bySite'],
    ['ticket', { ticket: 'INC-1' }, 'review_sessions_byTicket'],
    ['method', { method: 'ssh' }, 'review_sessions_byMethod'],
    ['outcome', { outcome: 'denied' }, 'review_sessions_byOutcome'],
    ['state', { state: 'flagged' }, 'review_sessions_byState'],
    ['date range', { from: '2026-11-01', to: '2026-11-30' }, 'review_sessions_byStarted'],
    ['engineer and date range', { engineer: 'ravi@example.com', from: '2026-11-01', to: '2026-11-30' }, 'review_sessions_byEngineer'],
  ];
  it.each(plans)('%s → %s, no sort', (_name, filter, index) => {
    const { where, params } = reviewWhere(filter);
    const sql = `SELECT ${SESSION_COLUMNS} FROM ${SESSION_FROM} ${where} ORDER BY r.started_at DESC, r.id DESC LIMIT 51`;
    const plan = (lead.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((p) => p.detail);
    // review_sessions is a view (migration 0021) flattened into the query: the plan names its table.
    const outer = plan.find((d) => /^(SCAN|SEARCH) (r|review_sessions_all)\b/.test(d));
    expect(outer, plan.join('\n')).toContain(index);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
    // The latest decision comes by the decisions' own index, one probe per row shown.
    expect(plan.join('\n')).toMatch(/review_decisions_bySession/);
  });

  it('the next page (keyset) uses the same index', () => {
    const { where, params } = reviewWhere({ engineer: 'ravi@example.com' });
    const sql = `SELECT r.id FROM ${SESSION_FROM} ${where} AND (r.started_at, r.id) < (@afterAt, @afterId) ORDER BY r.started_at DESC, r.id DESC LIMIT 51`;
    const plan = (lead.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...params, afterAt: '2026-11-20', afterId: 3 }) as { detail: string }[]).map((p) => p.detail).join('\n');
    expect(plan).toContain('review_sessions_byEngineer');
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});

describe('review decisions are signed records in the lead\'s chain', () => {
  it('marks a session reviewed: a review record naming the engineer, their key, the session and its record hashes; the history row points at it', async () => {
    const id = q[1]!;
    const marked = await call<{ state: string; decidedBy: string; decidedAt: string }>(lead, 'review.mark', { id, state: 'reviewed' });
    expect(marked).toMatchObject({ state: 'reviewed', decidedBy: 'lena@example.com' });
    const decision = lead.db.prepare('SELECT state, comment, decided_by, log_seq FROM review_decisions WHERE review_session_id = ?').get(id) as { state: string; comment: string | null; decided_by: string; log_seq: number };
    expect(decision).toMatchObject({ state: 'reviewed', comment: null, decided_by: 'lena@example.com' });
    const record = lead.db.prepare('SELECT kind, engineer, ticket, detail FROM session_events WHERE seq = ?').get(decision.log_seq) as { kind: string; engineer: string; ticket: string; detail: string };
    expect(record).toMatchObject({ kind: 'review', engineer: 'lena@example.com', ticket: 'INC-1' });
    const hashes = lead.db.prepare('SELECT hash FROM imported_events WHERE engineer_key = ? ORDER BY seq').pluck().all(ravi.publicKey) as string[];
    const detail = JSON.parse(record.detail) as Record<string, unknown>;
    expect(detail).toMatchObject({ engineer: 'ravi@example.com', engineerKey: ravi.publicKey, state: 'reviewed', previousState: 'unreviewed' });
    expect(detail.records).toHaveLength(2);
    for (const h of detail.records as string[]) expect(hashes).toContain(h);
    // The lead's checkpoint scheduler signs the chain with the decision in it.
    await lead.services.accountability.idle();
    const latest = lead.db.prepare('SELECT max(size) FROM checkpoints').pluck().get() as number;
    expect(latest).toBeGreaterThanOrEqual(decision.log_seq);
    expect((await lead.services.sessionLog.verify()).ok).toBe(true);
  });

  it('a flag needs a comment; with one, it is kept and shown', async () => {
    const error = await callError(lead, 'review.mark', { id: q[2], state: 'flagged' });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/needs a comment/);
    expect(lead.db.prepare('SELECT count(*) FROM review_decisions WHERE review_session_id = ?').pluck().get(q[2])).toBe(0);
    await call(lead, 'review.mark', { id: q[2], state: 'flagged', comment: 'Ran a DB cleanup without a change ticket' });
    const detail = await lead.services.review.get(q[2]!);
    expect(detail.session).toMatchObject({ state: 'flagged', comment: 'Ran a DB cleanup without a change ticket' });
    expect(detail.decisions.map((d) => d.state)).toEqual(['flagged']);
  });

  it('keeps the whole history: signed off, then back to unreviewed', async () => {
    await lead.services.review.mark(q[3]!, 'signed-off');
    await lead.services.review.mark(q[3]!, 'unreviewed', 'reopened after the customer complained');
    const detail = await lead.services.review.get(q[3]!);
    expect(detail.decisions.map((d) => d.state)).toEqual(['signed-off', 'unreviewed']);
    expect(detail.session.state).toBe('unreviewed');
    expect(() => lead.db.prepare('DELETE FROM review_decisions').run()).toThrow(/history/);
  });

  it('says which session is unknown', async () => {
    expect((await callError(lead, 'review.mark', { id: 999_999, state: 'reviewed' })).code).toBe('NOT_FOUND');
    await expect(lead.services.review.resolve('no-such-session')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('finds a session by its id or its first eight characters', async () => {
    const { session } = await lead.services.review.get(q[4]!);
    expect(await lead.services.review.resolve(session.sessionId)).toBe(q[4]);
    expect(await lead.services.review.resolve(session.sessionId.slice(0, 8))).toBe(q[4]);
  });

  it('shows the imported events beside the session', async () => {
    const detail = await lead.services.review.get(q[1]!);
    expect(detail.events.map((e) => e.kind)).toEqual(['attempt', 'ended']);
    expect(detail.recording).toMatchObject({ sha256: detail.session.recordingSha256 });
  });
});

describe('only a lead of the current roster reviews', () => {
  it('refuses an engineer of the roster, and a data dir with no roster, with NOT_A_LEAD', async () => {
    const engineerDir = newCore();
    stores.add(storeId(engineerDir.db));
    const me = await engineerDir.services.accountability.initIdentity({ name: 'Asha Rao', email: 'asha@example.com', role: 'lead' });
    const ids = seedSessions(engineerDir, [{ engineer: ravi, startedAt: '2026-11-17T05:00:00.000Z', recording: castText('x') }]);
    // No roster yet: the role given at identity init does not make a lead.
    let error = await callError(engineerDir, 'review.mark', { id: ids[0], state: 'reviewed' });
    expect(error.code).toBe('NOT_A_LEAD');
    expect(error.message).toMatch(/no team roster/);
    // A roster signed by the lead, listing this person as an engineer.
    const signed = await lead.services.accountability.signRoster(`version: 1\nteam: T\nmembers:\n  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "${(await lead.services.accountability.identity())!.publicKey}" }\n  - { name: Asha Rao, email: asha@example.com, role: engineer, public_key: "${me.publicKey}" }\n`);
    const leadFingerprint = (await lead.services.accountability.identity())!.fingerprint;
    await engineerDir.services.accountability.importRoster(signed, leadFingerprint);
    error = await callError(engineerDir, 'review.mark', { id: ids[0], state: 'reviewed' });
    expect(error.code).toBe('NOT_A_LEAD');
    expect(error.message).toMatch(/lists them as an engineer/);
    expect((await callError(engineerDir, 'review.recording', { id: ids[0] })).code).toBe('NOT_A_LEAD');
    expect((await callError(engineerDir, 'review.export', { format: 'json' })).code).toBe('NOT_A_LEAD');
    expect(engineerDir.db.prepare("SELECT count(*) FROM session_events WHERE kind IN ('review', 'viewing')").pluck().get()).toBe(0);
  });
});

describe('viewing a recording is recorded, and its SHA-256 checked every time', () => {
  const viewings = () => lead.db.prepare("SELECT detail FROM session_events WHERE kind = 'viewing' ORDER BY seq").pluck().all().map((d) => JSON.parse(d as string) as Record<string, unknown>);

  it('plays the recording and records one viewing per opening', async () => {
    const before = viewings().length;
    const recording = await call<{ events: [number, string, string][]; viewingSeq: number; sha256Matches: boolean }>(lead, 'review.recording', { id: q[1] });
    expect(recording.sha256Matches).toBe(true);
    expect(recording.events.map((e) => e[2]).join('')).toContain('uptime: 42 days');
    const after = viewings();
    expect(after).toHaveLength(before + 1);
    const { session } = await lead.services.review.get(q[1]!);
    expect(after.at(-1)).toMatchObject({ engineer: 'ravi@example.com', session: session.sessionId, recordingSha256: session.recordingSha256, result: 'opened' });
    const row = lead.db.prepare('SELECT kind, engineer FROM session_events WHERE seq = ?').get(recording.viewingSeq);
    expect(row).toEqual({ kind: 'viewing', engineer: 'lena@example.com' });
    await call(lead, 'review.recording', { id: q[1] });
    expect(viewings()).toHaveLength(before + 2);
  });

  it('refuses a recording whose bytes changed after the import, and records the attempt', async () => {
    const { session } = await lead.services.review.get(q[1]!);
    const file = path.join(lead.dataDir, 'imported-recordings', `${session.recordingSha256}.cast`);
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('42 days', '41 days'));
    try {
      const error = await callError(lead, 'review.recording', { id: q[1] });
      expect(error.code).toBe('RECORDING_MISMATCH');
      expect(error.message).toContain(`the signed record says ${session.recordingSha256}`);
      expect(viewings().at(-1)).toMatchObject({ result: 'hash-mismatch', recordingSha256: session.recordingSha256 });
      fs.rmSync(file);
      expect((await callError(lead, 'review.recording', { id: q[1] })).message).toMatch(/missing/);
      expect(viewings().at(-1)).toMatchObject({ result: 'missing' });
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('says when a session has no recording', async () => {
    expect((await callError(lead, 'review.recording', { id: q[2] })).message).toMatch(/has no recording/);
  });
});

describe('the review report', () => {
  it('CSV: one row per session with the decision, newest first', async () => {
    const { text } = await call<{ text: string; fileName: string }>(lead, 'review.export', { format: 'csv', filter: { customer: 'Acme' } });
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,engineer,ticket,customer,site,host,method,outcome,started,ended,state,comment,decided by,decided at');
    expect(lines).toHaveLength(5);
    const flagged = lines.find((l) => l.includes('flagged'))!;
    expect(flagged).toContain('ravi@example.com,INC-2,Acme,Pune,pbx1,https,completed,2026-11-18T06:00:00.000Z');
    expect(flagged).toContain('Ran a DB cleanup without a change ticket,lena@example.com,');
  });

  it('JSON: signed by the lead, verified against the roster; an edit breaks it', async () => {
    const { text, fileName } = await lead.services.review.export('json');
    expect(fileName).toMatch(/\.json$/);
    const leads = (await lead.services.accountability.roster())!.members.filter((m) => m.role === 'lead');
    const { report, signedBy } = verifyReviewReport(text, leads);
    expect(signedBy.email).toBe('lena@example.com');
    expect(report.sessions).toHaveLength(7);
    expect(report.lead.email).toBe('lena@example.com');
    const edited = text.replace('Ran a DB cleanup without a change ticket', 'Fine');
    expect(() => verifyReviewReport(edited, leads)).toThrow(/changed after it was signed/);
    expect(() => verifyReviewReport(text, [])).toThrow(/not by a lead/);
  });
});

describe('the weekly view', () => {
  it('counts the lead\'s week (Monday to Sunday in their zone) per engineer and per site', async () => {
    const week = await lead.services.review.weekly('2026-11-19', 'Asia/Kolkata');
    expect(week.week).toEqual({ monday: '2026-11-16', sunday: '2026-11-22', timeZone: 'Asia/Kolkata', startsAt: '2026-11-15T18:30:00.000Z', endsAt: '2026-11-22T18:30:00.000Z' });
    expect(week.totals).toEqual({ sessions: 5, denials: 1, exceptions: 1, flagged: 1 });
    expect(week.perEngineer).toEqual([
      { engineer: 'asha@example.com', name: 'Asha Rao', sessions: 3, denials: 1, exceptions: 1, flagged: 0 },
      { engineer: 'ravi@example.com', name: 'Ravi Nair', sessions: 2, denials: 0, exceptions: 0, flagged: 1 },
    ]);
    expect(week.perSite.map((s) => [s.customer, s.site, s.sessions])).toEqual([['Acme', 'Pune', 2], ['Globex', 'Pune', 2], ['Acme', 'Delhi', 1]]);
    expect(week.flaggedSessions.map((s) => n(s.id))).toEqual([2]);
    expect(week.bundles.map((b) => [b.engineer, b.name, b.bundles])).toEqual(expect.arrayContaining([['ravi@example.com', 'Ravi Nair', 1], ['asha@example.com', 'Asha Rao', 1]]));
    expect(week.bundles.every((b) => b.records > 0 && !Number.isNaN(Date.parse(b.lastAcceptedAt)))).toBe(true);
    // In UTC the same Monday's week has session 6 (Sunday 18:45 UTC) too.
    expect((await lead.services.review.weekly('2026-11-16', 'UTC')).totals.sessions).toBe(6);
  });

  it('lists the tickets whose SLA was missed: the lead\'s own, and says which tickets of the sessions it cannot judge', async () => {
    const customer = await call<{ id: number }>(lead, 'customers.create', { ...customerFields('Acme'), timezone: 'Asia/Kolkata', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    const site = await call<{ id: number }>(lead, 'sites.create', { customerId: customer.id, fields: siteFields('Pune') });
    const ticket = await call<{ id: number }>(lead, 'tickets.open', { siteId: site.id, ref: 'INC-2', type: 'incident', component: 'acd', impact: { seats: 100, cannotTakeCalls: 50, cannotLogin: 0, callsRejected: 0 } });
    // Reported on the Tuesday of that week and never answered: the 30-minute first response was missed then.
    lead.db.prepare('UPDATE tickets SET reported_at = ? WHERE id = ?').run('2026-11-17T04:00:00.000Z', ticket.id);
    const week = await lead.services.review.weekly('2026-11-16', 'Asia/Kolkata');
    const missed = week.missedTickets.find((t) => t.ref === 'INC-2');
    expect(missed).toMatchObject({ customer: 'Acme', site: 'Pune', sessions: 2 });
    expect(missed!.missed).toContain('first_response');
    expect(missed!.dueAt! >= week.week.startsAt && missed!.dueAt! < week.week.endsAt).toBe(true);
    expect(week.unknownTickets).toEqual(['INC-1', 'INC-3']);
  });

  it('refuses a zone that is not one', async () => {
    expect((await callError(lead, 'review.weekly', { week: '2026-11-16', timeZone: 'Mars/Olympus' })).message).toMatch(/not a time zone/);
  });
});

describe('through the real import: an engineer\'s bundle fills the queue the way these tests seed it', () => {
  it('imports a bundle, lists its sessions with customer and site apart, plays its recording, and a decision covers its records', async () => {
    const engineer = newCore();
    stores.add(storeId(engineer.db));
    const me = await engineer.services.accountability.initIdentity({ name: 'Kiran Das', email: 'kiran@example.com', role: 'engineer' });
    const leadCore = newCore();
    stores.add(storeId(leadCore.db));
    await becomeLead(leadCore, [], [{ name: me.name, email: me.email, publicKey: me.publicKey, role: 'engineer' }]);
    const cast = castText('tail -f dialer.log');
    const sessionId = 'kiran-0001-recorded';
    const file = path.join(engineer.dataDir, 'recordings', `${sessionId}.cast`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, cast);
    const sha = createHash('sha256').update(cast).digest('hex');
    const base = { sessionId, engineer: me.email, site: 'Initech/Chennai', host: 'dialer1', method: 'ssh' };
    engineer.sessionLog.append({ ...base, kind: 'attempt', ticket: 'INC-77', decision: 'allow', outcome: 'allowed', reasons: ['ssh approved'] });
    engineer.sessionLog.append({ ...base, kind: 'ended', outcome: 'completed', detail: { recording: file, recordingSha256: sha } });
    const bundle = await call<{ text: string }>(engineer, 'log.bundle', {});
    const imported = await call<{ sessions: number }>(leadCore, 'review.import', { text: bundle.text });
    expect(imported.sessions).toBe(1);

    const page = await leadCore.services.review.list({ site: 'Initech/Chennai' });
    expect(page.sessions).toHaveLength(1);
    const [session] = page.sessions;
    expect(session).toMatchObject({ sessionId, engineer: 'kiran@example.com', engineerName: 'Kiran Das', customer: 'Initech', site: 'Chennai', ticket: 'INC-77', outcome: 'completed', recordingSha256: sha, state: 'unreviewed' });
    expect((await leadCore.services.review.list({ site: 'Chennai' })).sessions).toHaveLength(1);
    const recording = await leadCore.services.review.openRecording(session!.id);
    expect(recording.events.map((e) => e[2]).join('')).toContain('tail -f dialer.log');
    const marked = await leadCore.services.review.mark(session!.id, 'signed-off');
    expect(marked.state).toBe('signed-off');
    const detail = (await leadCore.services.review.get(session!.id));
    const review = leadCore.db.prepare("SELECT detail FROM session_events WHERE kind = 'review' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    expect((JSON.parse(review) as { records: string[] }).records).toEqual(detail.events.map((e) => e.hash));
    expect((JSON.parse(review) as { engineerKey: string }).engineerKey).toBe(me.publicKey);
  });
});
