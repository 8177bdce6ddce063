import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectTeamStore, parseTeamStoreUrl } from '../../main/core/team-store/connection';
import { call, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { joinEngineers, keptPassword, LAB_TICKET, teamStoreMember } from '../helpers/team-store-lab';
import { rosterYaml } from '../helpers/review-seed';

/**
 * The roster and exception approvals travel through the team store (issue 11: "approvals and roster changes
 * follow the roles of the roster"), against a real PostgreSQL: a lead's roster change reaches an engineer
 * who trusts that lead, a roster signed by someone else is refused, a data dir with no roster is told which
 * lead to confirm; an engineer's request reaches a lead, the lead's signature comes back and the policy
 * honours it — every text checked by the laptop as if it came by file, and the database letting only leads
 * publish rosters and approvals, nobody change either.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;
let asha: TestCore;
const logins: Record<string, string> = {};
const passwords: Record<string, string> = {};
const keys: Record<string, { publicKey: string; fingerprint: string }> = {};

async function as(who: string): Promise<pg.Client> {
  return connectTeamStore(parseTeamStoreUrl(postgres().url('x', 'x')).address, logins[who]!, passwords[who]!);
}

const member = (name: string, email: string, role: 'lead' | 'engineer') => ({ name, email, role, publicKey: keys[email]!.publicKey });
const rosterOf = (core: TestCore) => core.db.prepare('SELECT signed_text FROM rosters ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
const chain = (core: TestCore, kind: string) => (core.db.prepare('SELECT detail FROM session_events WHERE kind = ? ORDER BY seq').pluck().all(kind) as string[]).map((d) => JSON.parse(d) as Record<string, unknown>);
const siteId = (core: TestCore) => core.db.prepare('SELECT id FROM sites').pluck().get() as number;
const vncCheck = (core: TestCore) => call<{ allowed: boolean; reasons: string[] }>(core, 'policy.check', { siteId: siteId(core), ticket: LAB_TICKET, target: 'pbx1', method: 'vnc' });

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  asha = await teamStoreMember(cores, 'Asha Rao', 'asha@example.com', 'engineer');
  // The same PBX with a VNC endpoint on every laptop (VNC is not an approved method of the site).
  for (const core of [lead, ravi, asha]) {
    await call(core, 'hosts.create', { siteId: siteId(core), fields: { name: 'pbx1', address: '10.30.0.5', allow: [], vnc: { port: 5901 } } });
    const { identity } = await call<{ identity: { email: string; publicKey: string; fingerprint: string } }>(core, 'identity.get', {});
    keys[identity.email] = identity;
  }
  await lead.team.init(postgres().superuserUrl, null);
  Object.assign(logins, await joinEngineers(postgres(), lead, [{ core: ravi, name: 'Ravi Nair', email: 'ravi@example.com' }, { core: asha, name: 'Asha Rao', email: 'asha@example.com' }]));
  for (const [email, core] of [['lena@example.com', lead], ['ravi@example.com', ravi], ['asha@example.com', asha]] as const) passwords[email] = await keptPassword(core);
  // The first roster (the lead and Ravi) came by file: Ravi trusts the lead since.
  const first = await call<{ signedText: string }>(lead, 'team.signRoster', { yaml: rosterYaml('Premium Support EMEA', [member('Lena Lead', 'lena@example.com', 'lead'), member('Ravi Nair', 'ravi@example.com', 'engineer')]) });
  await call(lead, 'team.importRoster', { signedText: first.signedText });
  await call(ravi, 'team.importRoster', { signedText: first.signedText, trustLead: keys['lena@example.com']!.fingerprint });
}, 90_000);

describe('the roster through the team store', () => {
  it('a lead\'s roster change (a member added) reaches an engineer who trusts that lead, imported on the record', async () => {
    const second = await call<{ signedText: string }>(lead, 'team.signRoster', { yaml: rosterYaml('Premium Support EMEA', [
      member('Lena Lead', 'lena@example.com', 'lead'), member('Ravi Nair', 'ravi@example.com', 'engineer'), member('Asha Rao', 'asha@example.com', 'engineer'),
    ]) });
    await call(lead, 'team.importRoster', { signedText: second.signedText });
    expect((await lead.team.sync()).rosters).toMatchObject({ published: true, imported: [] });
    expect((await lead.team.sync()).rosters).toMatchObject({ published: false, imported: [] });

    const synced = await ravi.team.sync();
    expect(synced.rosters.imported).toHaveLength(1);
    expect(rosterOf(ravi)).toBe(second.signedText);
    const records = chain(ravi, 'roster');
    expect(records.at(-1)).toMatchObject({ sha256: synced.rosters.imported[0], members: expect.arrayContaining([expect.objectContaining({ email: 'asha@example.com' })]) });
    expect((await ravi.team.sync()).rosters.imported).toEqual([]);
  });

  it('a data dir with no roster trusts none on its own: the sync says which lead signed the waiting one', async () => {
    const synced = await asha.team.sync();
    expect(rosterOf(asha)).toBeUndefined();
    expect(synced.rosters.waiting).toMatchObject({ team: 'Premium Support EMEA', signedBy: [{ email: 'lena@example.com', fingerprint: keys['lena@example.com']!.fingerprint }] });
    expect(synced.warnings.join('\n')).toMatch(/team roster import --from-store --trust-lead SHA256:/);
    expect(asha.team.status().rosterWaiting).toMatchObject({ team: 'Premium Support EMEA' });
    const importWaiting = (trustLead?: string) => call(asha, 'team.importRoster', { signedText: asha.team.waitingRosterText(), ...(trustLead ? { trustLead } : {}) });
    await expect(importWaiting(keys['ravi@example.com']!.fingerprint)).rejects.toThrow(/is not the key that signed this roster/);
    await expect(importWaiting()).rejects.toThrow(/--trust-lead/);
    expect(await importWaiting(keys['lena@example.com']!.fingerprint)).toMatchObject({ firstTrust: true, changed: true });
    expect(asha.team.status().rosterWaiting).toBeNull();
    expect((await asha.team.sync()).rosters).toMatchObject({ imported: [], waiting: null });
  });

  it('a roster in the store not signed by a lead of the roster trusted here is refused, said, never applied', async () => {
    // Ravi signs a roster that makes him the lead; it reaches the store behind the database's back (the store is not trusted either).
    const rogue = await call<{ signedText: string }>(ravi, 'team.signRoster', { yaml: rosterYaml('Premium Support EMEA', [
      member('Ravi Nair', 'ravi@example.com', 'lead'), member('Lena Lead', 'lena@example.com', 'engineer'), member('Asha Rao', 'asha@example.com', 'engineer'),
    ]) });
    const admin = await postgres().connect();
    try {
      await admin.query('INSERT INTO switchboard.rosters (signed_text, sha256, published_by) VALUES ($1, md5($1) || md5($1), $2)', [rogue.signedText, logins['lena@example.com']]);
    } finally {
      await admin.end();
    }
    const before = rosterOf(asha);
    const synced = await asha.team.sync();
    expect(synced.rosters.imported).toEqual([]);
    expect(synced.warnings.join('\n')).toMatch(/not imported: This roster is not signed by a lead of the roster trusted here/);
    expect(rosterOf(asha)).toBe(before);
    expect((await ravi.team.sync()).rosters.imported).toEqual([]);
    expect(rosterOf(ravi)).toBe(before);
  });
});

describe('exception approvals through the team store', () => {
  let requestId = '';

  it('an engineer\'s request reaches the lead\'s inbox; the lead signs it; the engineer\'s sync imports it and the policy allows the method', async () => {
    expect((await vncCheck(ravi)).allowed).toBe(false);
    const made = await call<{ request: { id: string } }>(ravi, 'approvals.request', {
      siteId: siteId(ravi), method: 'vnc', host: 'pbx1', ticket: LAB_TICKET, reason: 'DR drill on the PBX', validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    requestId = made.request.id;
    expect((await ravi.team.sync()).approvals).toMatchObject({ requestsPushed: 1, imported: [] });
    expect((await ravi.team.sync()).approvals).toMatchObject({ requestsPushed: 0 });

    expect((await lead.team.sync()).approvals).toMatchObject({ inbox: 1, approvalsPushed: 0 });
    expect(lead.team.approvalInbox()).toEqual([expect.objectContaining({ requestId, engineer: 'ravi@example.com', site: 'Acme/Pune', method: 'vnc', status: 'waiting' })]);
    await call(lead, 'approvals.sign', { text: lead.team.inboxRequestText(requestId) });
    expect(lead.team.approvalInbox()[0]).toMatchObject({ status: 'signed' });
    expect((await lead.team.sync()).approvals).toMatchObject({ inbox: 0, approvalsPushed: 1 });
    expect((await lead.team.sync()).approvals).toMatchObject({ approvalsPushed: 0 });

    const synced = await ravi.team.sync();
    expect(synced.approvals).toMatchObject({ imported: [requestId] });
    const decision = await vncCheck(ravi);
    expect(decision.allowed, decision.reasons.join(' ')).toBe(true);
    expect(chain(ravi, 'approval').map((d) => d.step)).toEqual(['requested', 'imported']);
    expect((await ravi.team.sync()).approvals).toMatchObject({ imported: [] });
  });

  it('an approval in the store not signed by a lead of the roster is refused once, on the record, and the policy still refuses', async () => {
    const made = await call<{ request: { id: string }; text: string }>(asha, 'approvals.request', {
      siteId: siteId(asha), method: 'vnc', ticket: LAB_TICKET, reason: 'Ravi says it is fine', validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await asha.team.sync();
    // "Approved": the request itself, no lead's signature on it, put in the store behind the database's back.
    const forged = made.text;
    const admin = await postgres().connect();
    try {
      await admin.query("SET session_replication_role = 'replica'");
      await admin.query('INSERT INTO switchboard.approvals (request_id, signed_text, sha256, signed_by) VALUES ($1, $2, md5($2) || md5($2), $3)', [made.request.id, forged, logins['lena@example.com']]);
    } finally {
      await admin.end();
    }
    const synced = await asha.team.sync();
    expect(synced.approvals?.imported).toEqual([]);
    expect(synced.warnings.join('\n')).toMatch(new RegExp(`approval of exception request ${made.request.id}.*was not imported: This is the request itself`));
    expect((await vncCheck(asha)).allowed).toBe(false);
    expect(chain(asha, 'approval').map((d) => d.step)).toEqual(['requested', 'import-refused']);
    expect((await asha.team.sync()).warnings.join('\n')).not.toMatch(/approval of exception request .* was not imported/);
    expect(chain(asha, 'approval')).toHaveLength(2);
    // A roster imported since (it might name the approving lead) gives it one more try — refused again here.
    const third = await call<{ signedText: string }>(lead, 'team.signRoster', { yaml: rosterYaml('Premium Support EMEA', [
      member('Asha Rao', 'asha@example.com', 'engineer'), member('Ravi Nair', 'ravi@example.com', 'engineer'), member('Lena Lead', 'lena@example.com', 'lead'),
    ]) });
    await call(lead, 'team.importRoster', { signedText: third.signedText });
    await lead.team.sync();
    const retried = await asha.team.sync();
    expect(retried.rosters.imported).toHaveLength(1);
    expect(retried.warnings.join('\n')).toMatch(/approval of exception request .* was not imported/);
    expect(chain(asha, 'approval').map((d) => d.step)).toEqual(['requested', 'import-refused', 'import-refused']);
  });

  it('the database: an engineer reads only their own requests and cannot publish an approval or a roster, nor request in another\'s name', async () => {
    const client = await as('asha@example.com');
    try {
      expect((await client.query('SELECT id FROM switchboard.approval_requests WHERE id = $1', [requestId])).rows).toEqual([]);
      expect((await client.query('SELECT request_id FROM switchboard.approvals WHERE request_id = $1', [requestId])).rows).toEqual([]);
      await expect(client.query("INSERT INTO switchboard.approvals (request_id, signed_text, sha256) VALUES ($1, 'x', repeat('a', 64))", [requestId])).rejects.toMatchObject({ code: '42501', message: 'permission denied for table approvals' });
      await expect(client.query("INSERT INTO switchboard.rosters (signed_text, sha256) VALUES ('x', repeat('b', 64))")).rejects.toMatchObject({ code: '42501', message: 'permission denied for table rosters' });
      const note = ravi.db.prepare('SELECT note FROM approval_requests WHERE id = ?').pluck().get(requestId) as string;
      await expect(client.query("INSERT INTO switchboard.approval_requests (id, signed_text, sha256, engineer, valid_until) VALUES ('00000000-0000-4000-8000-000000000001', $1, repeat('c', 64), 'ravi@example.com', now() + interval '1 day')", [note]))
        .rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/in the name of ravi@example.com/) });
    } finally {
      await client.end();
    }
    const mine = await as('ravi@example.com');
    try {
      expect((await mine.query('SELECT id FROM switchboard.approval_requests')).rows).toEqual([{ id: requestId }]);
      expect((await mine.query('SELECT request_id FROM switchboard.approvals')).rows).toEqual([{ request_id: requestId }]);
    } finally {
      await mine.end();
    }
  });

  it('the database: no one updates or deletes a roster, a request or an approval — not a lead, not the owner', async () => {
    const lena = await as('lena@example.com');
    const admin = await postgres().connect();
    try {
      for (const client of [lena, admin]) {
        for (const table of ['rosters', 'approval_requests', 'approvals']) {
          await expect(client.query(`UPDATE switchboard.${table} SET signed_text = signed_text || ' '`)).rejects.toThrow();
          await expect(client.query(`DELETE FROM switchboard.${table}`)).rejects.toThrow();
        }
      }
      // The owner's refusal comes from the insert-only trigger, not from a missing grant.
      await expect(admin.query('DELETE FROM switchboard.approvals')).rejects.toThrow(/insert-only|refuse|cannot/i);
      await expect(admin.query('DELETE FROM switchboard.rosters')).rejects.toThrow(/insert-only|refuse|cannot/i);
      // A lead does not approve their own request, whatever the app does.
      const own = await call<{ request: { id: string } }>(lead, 'approvals.request', {
        siteId: siteId(lead), method: 'vnc', ticket: LAB_TICKET, reason: 'lead on call', validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect((await lead.team.sync()).approvals).toMatchObject({ requestsPushed: 1 });
      await expect(lena.query("INSERT INTO switchboard.approvals (request_id, signed_text, sha256) VALUES ($1, 'x', repeat('d', 64))", [own.request.id]))
        .rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/does not approve their own request/) });
    } finally {
      await lena.end();
      await admin.end();
    }
  });
});
