import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Ticket, TicketSummary } from '../../contract/models';
import { connectTeamStore, parseTeamStoreUrl } from '../../main/core/team-store/connection';
import type { SyncResult } from '../../main/core/team-store/team-link';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { call, customerFields, openTestCore, siteFields, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { teamStoreMember } from '../helpers/team-store-lab';

/**
 * The team's one ticket list in the team store, against a real PostgreSQL: a ticket opened offline on one
 * laptop reaches the others' `tickets`, two engineers' offline changes to one ticket both land (the same
 * state on both laptops), a laptop whose clock is wrong still records tickets in the server's time, and
 * a ticket's history cannot be rewritten, whoever asks.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;
let asha: TestCore;
const HOUR = 3_600_000;
let ashaJoined: SyncResult;

/** Acme/Pune as this data dir has it now (a profile sync may have replaced the rows the lab set-up made). */
const siteId = (core: TestCore) => core.db.prepare(`SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id
  WHERE c.name = 'Acme' AND s.name = 'Pune' AND s.deleted_at IS NULL AND c.deleted_at IS NULL`).pluck().get() as number;
const list = (core: TestCore) => call<TicketSummary[]>(core, 'tickets.list', {});
const byRef = async (core: TestCore, ref: string): Promise<Ticket> => {
  const found = (await list(core)).find((t) => t.ref === ref);
  expect(found, `${ref} in the ticket list`).toBeDefined();
  return call<Ticket>(core, 'tickets.get', { id: found!.id });
};
const act = (core: TestCore, ticket: Ticket, action: Record<string, unknown>) => call<Ticket>(core, 'tickets.act', { id: ticket.id, ...action });
const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = await postgres().connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};
const inStore = (ref: string) => admin(async (c) => (await c.query(
  `SELECT (SELECT count(*)::int FROM switchboard.tickets WHERE ref_key = lower($1)) AS tickets,
          (SELECT count(*)::int FROM switchboard.ticket_events e JOIN switchboard.tickets t ON t.id = e.ticket_id WHERE t.ref_key = lower($1)) AS events`,
  [ref])).rows[0] as { tickets: number; events: number });
/** A ticket as every laptop must agree on it (not its local id, nor the SLA clocks' progress at the moment of asking). */
const state = ({ id: _id, siteId: _site, clocks: _clocks, escalation: _escalation, ...rest }: Ticket) => rest;
/** What a person sees of a ticket's history, in its order. */
const history = (t: Ticket) => t.events.map((e) => `${e.kind} ${e.engineer}${e.to ? ` → ${e.to}` : ''}`);

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  await lead.team.sync(); // the team's profiles (Acme/Pune) are in the store before anyone joins
  const url = `postgresql://127.0.0.1:${postgres().port}/postgres?sslrootcert=${postgres().caFile}`;
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  await ravi.team.join(url, 'Ravi Nair', (await lead.team.addMember({ name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' })).join_secret);
  asha = await teamStoreMember(cores, 'Asha Rao', 'asha@example.com', 'engineer');
  ({ sync: ashaJoined } = await asha.team.join(url, 'Asha Rao', (await lead.team.addMember({ name: 'Asha Rao', email: 'asha@example.com', role: 'engineer' })).join_secret));
}, 60_000);

describe('the team\'s one ticket list', () => {
  it('a ticket opened offline on one laptop is in everyone\'s `tickets` after their syncs, once', async () => {
    const opened = await call<Ticket>(ravi, 'tickets.open', { siteId: siteId(ravi), ref: 'TKT-100', type: 'incident', component: 'acd', impact: { cannotTakeCalls: 6 } });
    expect(await inStore('TKT-100')).toEqual({ tickets: 0, events: 0 });
    const pushed = await ravi.team.sync();
    expect(pushed.tickets.pushed).toMatchObject({ tickets: 1 });
    expect(await inStore('TKT-100')).toEqual({ tickets: 1, events: opened.events.length });

    for (const other of [asha, lead]) {
      const synced = await other.team.sync();
      expect(synced.tickets.pulled.tickets).toBeGreaterThanOrEqual(1);
      const seen = await byRef(other, 'TKT-100');
      expect(seen).toMatchObject({
        customerName: 'Acme', siteName: 'Pune', severity: opened.severity, computedSeverity: opened.computedSeverity, status: 'open', level: 'L1',
        reportedAt: opened.reportedAt, impact: opened.impact,
      });
      expect(history(seen)).toEqual(history(opened));
    }
  });

  it('a retry or a lost acknowledgement never doubles a ticket or an event', async () => {
    const before = await inStore('TKT-100');
    await ravi.team.sync();
    // As if the store had taken the push but the laptop never heard back.
    ravi.db.prepare('UPDATE tickets SET team_pushed = 0').run();
    ravi.db.prepare('UPDATE ticket_events SET team_order = NULL').run();
    await ravi.team.sync();
    expect(await inStore('TKT-100')).toEqual(before);
    await asha.team.sync();
    expect((await byRef(asha, 'TKT-100')).events).toHaveLength(before.events);
  });

  it('two engineers change the same ticket offline: both changes land, and both laptops show the same ticket', async () => {
    const r = await byRef(ravi, 'TKT-100');
    const a = await byRef(asha, 'TKT-100');
    await act(ravi, r, { action: 'escalate', to: 'L2', reason: 'ACD queue stuck, needs L2' });
    await act(asha, a, { action: 'respond' });
    await act(asha, a, { action: 'setCause', cause: 'software', reason: 'known defect' });
    await ravi.team.sync();
    await asha.team.sync();
    await ravi.team.sync();
    const onRavi = await byRef(ravi, 'TKT-100');
    const onAsha = await byRef(asha, 'TKT-100');
    expect(onRavi).toMatchObject({ level: 'L2', cause: 'software' });
    expect(onRavi.firstResponseAt).toBeDefined();
    expect(state(onAsha)).toEqual(state(onRavi));
    expect(history(onRavi)).toEqual(expect.arrayContaining(['escalated ravi@example.com → L2', 'first_response asha@example.com', 'cause asha@example.com → software']));

    // Both resolve it offline: the first in the store's order resolves it; the second stays in the history.
    await act(asha, onAsha, { action: 'resolve', reason: 'patched' });
    await act(ravi, onRavi, { action: 'resolve', reason: 'restarted the ACD' });
    await asha.team.sync();
    await ravi.team.sync();
    await asha.team.sync();
    const resolvedOnRavi = await byRef(ravi, 'TKT-100');
    const resolvedOnAsha = await byRef(asha, 'TKT-100');
    expect(state(resolvedOnAsha)).toEqual(state(resolvedOnRavi));
    expect(resolvedOnRavi.status).toBe('resolved');
    const resolutions = resolvedOnRavi.events.filter((e) => e.kind === 'resolved');
    expect(resolutions.map((e) => e.engineer)).toEqual(['asha@example.com', 'ravi@example.com']);
    expect(resolvedOnRavi.resolvedAt).toBe(resolutions[0]!.at);
    expect(await inStore('TKT-100')).toMatchObject({ events: resolvedOnRavi.events.length });
  });

  it('one ref opened on two laptops before either synced (the lab\'s INC-1, the lead synced it first): the store\'s first is the team\'s, the other laptop is told once, its changes are added', async () => {
    expect(ashaJoined.warnings.filter((w) => w.includes('INC-1'))).toEqual([
      'Ticket INC-1 was also opened by lena@example.com; the team keeps that opening, and your changes to it are added to it.',
    ]);
    expect((await asha.team.sync()).warnings.filter((w) => w.includes('INC-1'))).toEqual([]);
    await ravi.team.sync();
    const openings = (t: Ticket) => t.events.filter((e) => e.kind === 'opened').map((e) => e.engineer);
    expect(openings(await byRef(ravi, 'INC-1'))).toEqual(['lena@example.com', 'ravi@example.com', 'asha@example.com']);
    expect(openings(await byRef(asha, 'INC-1'))).toEqual(['lena@example.com', 'ravi@example.com', 'asha@example.com']);
  });

  it('a laptop whose clock is an hour ahead records the ticket and counts its SLA clocks in the server\'s time', async () => {
    const skewed = openTestCore({ dataDir: asha.dataDir, mode: 'web', engineer: 'asha@example.com', teamSyncOff: true, teamClock: () => Date.now() + HOUR });
    try {
      expect((await skewed.team.sync()).clockSkewMs).toBeGreaterThan(HOUR - 60_000);
      const opened = await call<Ticket>(skewed, 'tickets.open', { siteId: siteId(skewed), ref: 'TKT-200', type: 'incident', component: 'acd', impact: { cannotTakeCalls: 10 } });
      const now = Date.now();
      expect(Math.abs(Date.parse(opened.reportedAt) - now)).toBeLessThan(5_000);
      expect(opened.clocks.firstResponse.usedMs).toBeLessThan(5_000);
      expect(Math.abs(Date.parse(opened.clocks.firstResponse.dueAt!) - (now + 30 * 60_000))).toBeLessThan(5_000);
      const responded = await act(skewed, opened, { action: 'respond' });
      expect(Math.abs(Date.parse(responded.firstResponseAt!) - Date.now())).toBeLessThan(5_000);
      await skewed.team.sync();
    } finally {
      await skewed.close();
    }
    const stored = await admin(async (c) => (await c.query(
      "SELECT extract(epoch FROM created_at - reported_at) AS apart FROM switchboard.tickets WHERE ref = 'TKT-200'")).rows[0] as { apart: string });
    expect(Math.abs(Number(stored.apart))).toBeLessThan(5);
    await lead.team.sync();
    const onLead = await byRef(lead, 'TKT-200');
    expect(Math.abs(Date.parse(onLead.reportedAt) - Date.now())).toBeLessThan(10_000);
    expect(onLead.clocks.firstResponse.state).toBe('met');
  });

  it('a ticket of a site this laptop does not have waits, said once, and comes with all its changes once the site is added', async () => {
    const globex = await call<{ id: number }>(ravi, 'customers.create', customerFields('Globex'));
    const berlin = await call<{ id: number }>(ravi, 'sites.create', { customerId: globex.id, fields: siteFields('Berlin') });
    const opened = await call<Ticket>(ravi, 'tickets.open', { siteId: berlin.id, ref: 'GLX-7', type: 'incident', component: 'acd', impact: {} });
    await act(ravi, opened, { action: 'escalate', to: 'L2', reason: 'Berlin ACD down' });
    await ravi.team.sync();

    const first = await asha.team.sync();
    expect(first.tickets.skipped).toBe(1);
    expect(first.warnings.filter((w) => w.includes('GLX-7'))).toEqual([expect.stringMatching(/^Ticket GLX-7 of Globex\/Berlin \(opened by ravi@example.com\) is not shown here: this data dir has no site Globex\/Berlin/)]);
    expect((await list(asha)).map((t) => t.ref)).not.toContain('GLX-7');
    await act(ravi, await byRef(ravi, 'GLX-7'), { action: 'respond' });
    await ravi.team.sync();
    const second = await asha.team.sync();
    expect(second.tickets.skipped).toBe(1);
    expect(second.warnings.filter((w) => w.includes('GLX-7'))).toEqual([]);

    const ashaGlobex = await call<{ id: number }>(asha, 'customers.create', customerFields('Globex'));
    await call(asha, 'sites.create', { customerId: ashaGlobex.id, fields: siteFields('Berlin') });
    const third = await asha.team.sync();
    expect(third.tickets.skipped).toBe(0);
    const seen = await byRef(asha, 'GLX-7');
    const onRavi = await byRef(ravi, 'GLX-7');
    expect(state(seen)).toEqual(state(onRavi));
    expect(seen).toMatchObject({ level: 'L2', customerName: 'Globex', siteName: 'Berlin' });
    expect(history(seen)).toEqual(['opened ravi@example.com → minor', 'escalated ravi@example.com → L2', 'first_response ravi@example.com']);
  });
});

describe('`switchboard tickets` on a joined data dir', () => {
  it('lists the team\'s tickets as of the last sync', async () => {
    await buildNodeBundles();
    const text = runCli(['tickets'], { dataDir: asha.dataDir });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^The team's tickets as of the last sync \(\d{4}-\d\d-\d\dT/);
    expect(text.stdout).toMatch(/^TKT-100  Acme\/Pune  critical  resolved  L2  reported /m);
    expect(text.stdout).toMatch(/^GLX-7  Globex\/Berlin  minor  open  L2 /m);
    const json = runCli(['tickets', '--status', 'open', '--json'], { dataDir: asha.dataDir });
    expect(json.status, json.stderr).toBe(0);
    const refs = (JSON.parse(json.stdout) as TicketSummary[]).map((t) => t.ref);
    expect(refs).toEqual(expect.arrayContaining(['GLX-7', 'TKT-200']));
    expect(refs).not.toContain('TKT-100');
  }, 120_000);
});

describe('a ticket\'s history in PostgreSQL, as an engineer\'s own login with SQL', () => {
  let ben: pg.Client;
  let benLogin = '';

  beforeAll(async () => {
    const added = await lead.team.addMember({ name: 'Ben Okafor', email: 'ben@example.com', role: 'engineer' });
    benLogin = added.login;
    ben = await connectTeamStore(parseTeamStoreUrl(postgres().url('x', 'x')).address, added.login, added.join_secret);
    return () => ben.end();
  });

  it('may add an event of its own to a ticket; the laptops show it in the name of the login that wrote it, whatever the row claims', async () => {
    await ben.query(`INSERT INTO switchboard.ticket_events (uid, ticket_id, at, engineer, kind, reason)
      SELECT md5('ben-1'), id, now(), 'ravi@example.com', 'cause', 'claims to be Ravi' FROM switchboard.tickets WHERE ref = 'GLX-7'`);
    const row = (await ben.query("SELECT author FROM switchboard.ticket_events WHERE uid = md5('ben-1')")).rows[0] as { author: string };
    expect(row.author).toBe(benLogin);
    await asha.team.sync();
    const event = (await byRef(asha, 'GLX-7')).events.find((e) => e.reason === 'claims to be Ravi');
    expect(event?.engineer).toBe('ben@example.com');
  });

  it.each([
    ['UPDATE of a ticket event', "UPDATE switchboard.ticket_events SET kind = 'closed' WHERE uid = md5('ben-1')"],
    ['UPDATE of someone else\'s ticket event', "UPDATE switchboard.ticket_events SET reason = 'never happened' WHERE kind = 'resolved'"],
    ['DELETE of a ticket event', "DELETE FROM switchboard.ticket_events WHERE uid = md5('ben-1')"],
    ['DELETE of someone else\'s ticket event', "DELETE FROM switchboard.ticket_events WHERE kind = 'escalated'"],
    ['TRUNCATE of the ticket events', 'TRUNCATE switchboard.ticket_events'],
    ['UPDATE of a ticket', "UPDATE switchboard.tickets SET computed_severity = 'minor'"],
    ['an event in another login\'s name', `INSERT INTO switchboard.ticket_events (uid, ticket_id, at, engineer, kind, author)
      VALUES (md5('ben-2'), (SELECT min(id) FROM switchboard.tickets), now(), 'ravi@example.com', 'closed', 'someone_else')`],
  ])('%s is refused by PostgreSQL', async (_what, sql) => {
    await expect(ben.query(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('even the database\'s superuser cannot change or remove an event: the trigger refuses', async () => {
    await admin(async (c) => {
      await expect(c.query("UPDATE switchboard.ticket_events SET kind = 'closed'")).rejects.toThrow(/never changed or removed/);
      await expect(c.query('DELETE FROM switchboard.ticket_events')).rejects.toThrow(/never changed or removed/);
    });
  });
});
