import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Note, NoteRevision, Site } from '../../contract/models';
import { connectTeamStore, parseTeamStoreUrl } from '../../main/core/team-store/connection';
import { call, callError, customerFields, siteFields, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { joinEngineers, teamStoreMember } from '../helpers/team-store-lab';

/**
 * Site notes through the team store, against a real PostgreSQL: a note written on one laptop reaches the
 * other; an edit made offline on both laptops at once loses neither — both revisions are in the store
 * and in both laptops' history, marked as written at the same time, and both laptops show the same
 * current text; nothing doubles on a second sync or a retry. The store's rules are the database's own.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;
let asha: TestCore;
const logins: Record<string, string> = {};
const clients: pg.Client[] = [];

const siteId = (core: TestCore) => core.db.prepare(`SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id
  WHERE c.name = 'Acme' AND s.name = 'Pune' AND s.deleted_at IS NULL AND c.deleted_at IS NULL`).pluck().get() as number;
const noteIdByUid = (core: TestCore, uid: string) => core.db.prepare('SELECT id FROM notes WHERE uid = ?').pluck().get(uid) as number | undefined;
const uidOf = (core: TestCore, noteId: number) => core.db.prepare('SELECT uid FROM notes WHERE id = ?').pluck().get(noteId) as string;
const revisions = (core: TestCore, noteId: number) => call<NoteRevision[]>(core, 'notes.revisions', { id: noteId });
const revisionUids = (core: TestCore, noteId: number) => core.db.prepare('SELECT uid FROM note_revisions WHERE note_id = ? ORDER BY store_id').pluck().all(noteId) as string[];
async function inStore(noteUid: string) {
  const admin = await postgres().connect();
  try {
    return (await admin.query<{ uid: string; parent_uid: string | null; author: string; body: string; deleted: boolean }>(
      'SELECT uid, parent_uid, author, body, deleted FROM switchboard.note_revisions WHERE note_uid = $1 ORDER BY id', [noteUid])).rows;
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  await lead.team.sync();
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  asha = await teamStoreMember(cores, 'Asha Rao', 'asha@example.com', 'engineer');
  Object.assign(logins, await joinEngineers(postgres(), lead, [{ core: ravi, name: 'Ravi Nair', email: 'ravi@example.com' }, { core: asha, name: 'Asha Rao', email: 'asha@example.com' }]));
}, 90_000);
afterAll(async () => { await Promise.all(clients.map((c) => c.end().catch(() => {}))); });

describe('notes through the team store', () => {
  let noteUid = '';

  it('a note written on one laptop reaches the other, its author named', async () => {
    const note = await call<Note>(ravi, 'notes.create', { siteId: siteId(ravi), fields: { title: 'Dialer restart', body: 'Restart the dialer after 22:00 only.' } });
    noteUid = uidOf(ravi, note.id);
    expect((await ravi.team.sync()).notes).toMatchObject({ pushed: 1, pulled: 0 });
    expect((await asha.team.sync()).notes).toMatchObject({ pushed: 0, pulled: 1 });
    const there = noteIdByUid(asha, noteUid);
    expect(there).toBeDefined();
    expect(await call<Note>(asha, 'notes.get', { id: there })).toMatchObject({ title: 'Dialer restart', body: 'Restart the dialer after 22:00 only.', customerName: 'Acme', siteName: 'Pune' });
    expect(await revisions(asha, there!)).toMatchObject([{ number: 1, author: 'Ravi Nair' }]);
    expect(await revisions(ravi, note.id)).toMatchObject([{ number: 1, author: 'Ravi Nair' }]);
  });

  it('both edit the same note offline: both revisions are kept everywhere, marked concurrent, and both laptops show the same text', async () => {
    const atRavi = noteIdByUid(ravi, noteUid)!;
    const atAsha = noteIdByUid(asha, noteUid)!;
    await call(ravi, 'notes.update', { id: atRavi, fields: { title: 'Dialer restart', body: 'Ravi: restart after 23:00 (changed window).' } });
    await call(asha, 'notes.update', { id: atAsha, fields: { title: 'Dialer restart', body: 'Asha: ask the site lead before any restart.' } });
    await ravi.team.sync();
    await asha.team.sync();
    await ravi.team.sync();

    const stored = await inStore(noteUid);
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.author)).toEqual([logins['ravi@example.com'], logins['ravi@example.com'], logins['asha@example.com']]);
    expect(stored[1]!.parent_uid).toBe(stored[0]!.uid);
    expect(stored[2]!.parent_uid).toBe(stored[0]!.uid);

    for (const [core, id] of [[ravi, atRavi], [asha, atAsha]] as const) {
      expect(revisionUids(core, id)).toEqual(stored.map((r) => r.uid));
      const history = await revisions(core, id);
      expect(history.map((r) => [r.number, r.author, r.concurrentWith ?? []])).toEqual([
        [3, 'Asha Rao', [2]], [2, 'Ravi Nair', [3]], [1, 'Ravi Nair', []],
      ]);
      // The store received Asha's last: it is the current text on both laptops.
      expect((await call<Note>(core, 'notes.get', { id })).body).toBe('Asha: ask the site lead before any restart.');
    }
    const search = await call<{ title: string }[]>(ravi, 'notes.search', { query: 'site lead' });
    expect(search.map((m) => m.title)).toEqual(['Dialer restart']);
  });

  it('a second sync, and a retry of a push whose answer was lost, double nothing', async () => {
    const again = [await ravi.team.sync(), await asha.team.sync()];
    expect(again.map((s) => s.notes)).toMatchObject([{ pushed: 0, pulled: 0 }, { pushed: 0, pulled: 0 }]);
    // As if the connection went away after the store took Ravi's revisions but before his laptop noted it.
    ravi.db.prepare('UPDATE note_revisions SET store_id = NULL, received_at = NULL WHERE author = ?').run(logins['ravi@example.com']);
    await ravi.team.sync();
    expect(await inStore(noteUid)).toHaveLength(3);
    expect(ravi.db.prepare('SELECT count(*) FROM note_revisions WHERE store_id IS NULL').pluck().get()).toBe(0);
    expect(await revisions(ravi, noteIdByUid(ravi, noteUid)!)).toHaveLength(3);
  });

  it('a deletion travels as a revision: the note goes to the trash on the other laptop too, its history kept in the store', async () => {
    await call(asha, 'notes.delete', { id: noteIdByUid(asha, noteUid) });
    expect((await asha.team.sync()).notes.pushed).toBe(1);
    await ravi.team.sync();
    expect((await callError(ravi, 'notes.get', { id: noteIdByUid(ravi, noteUid) })).code).toBe('NOT_FOUND');
    const stored = await inStore(noteUid);
    expect(stored.map((r) => r.deleted)).toEqual([false, false, false, true]);
  });

  it('a note on a site this laptop does not have is kept aside with a warning, and applied once the site is added', async () => {
    const addSite = async (core: TestCore) => {
      const customer = await call<Customer>(core, 'customers.create', customerFields('Globex'));
      return call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields('Berlin') });
    };
    const berlin = await addSite(ravi);
    const note = await call<Note>(ravi, 'notes.create', { siteId: berlin.id, fields: { title: 'VPN quirk', body: 'The VPN drops at midnight.' } });
    await ravi.team.sync();
    const first = await asha.team.sync();
    expect(first.notes).toMatchObject({ pulled: 0, skipped: 1 });
    expect(first.warnings.join('\n')).toMatch(/1 note revision\(s\) of sites this laptop does not have \(Globex\/Berlin\)/);
    // The site comes to Asha's laptop the way a team's sites do: a lead adds it and syncs (the team's
    // profiles come before the notes in a sync); without profile sync, she adds it herself.
    await addSite(lead);
    await lead.team.sync();
    let second = await asha.team.sync();
    const hasBerlin = () => asha.db.prepare("SELECT 1 FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.name = 'Globex' AND s.name = 'Berlin' AND s.deleted_at IS NULL AND c.deleted_at IS NULL").get() !== undefined;
    if (!hasBerlin()) {
      await addSite(asha);
      second = await asha.team.sync();
    }
    expect(second.notes).toMatchObject({ pulled: 1, skipped: 0 });
    expect(await call<Note>(asha, 'notes.get', { id: noteIdByUid(asha, uidOf(ravi, note.id)) })).toMatchObject({ body: 'The VPN drops at midnight.', siteName: 'Berlin' });
  });
});

describe('the store\'s note rules, as an engineer\'s own login with SQL', () => {
  let eve: pg.Client;
  let someRevision = '';

  beforeAll(async () => {
    const added = await lead.team.addMember({ name: 'Eve Engineer', email: 'eve@example.com', role: 'engineer' });
    eve = await connectTeamStore(parseTeamStoreUrl(postgres().url('x', 'x')).address, added.login, added.join_secret);
    clients.push(eve);
    someRevision = (await eve.query<{ uid: string }>('SELECT uid FROM switchboard.note_revisions ORDER BY id LIMIT 1')).rows[0]!.uid;
  });

  const revision = (patch: Record<string, unknown> = {}) => {
    const row = { uid: 'e'.repeat(31) + Math.floor(Math.random() * 10), note_uid: 'f'.repeat(32), parent_uid: null, customer: 'Acme', site: 'Pune', title: 't', body: 'b', written_at: new Date(), ...patch };
    const columns = Object.keys(row);
    return eve.query(`INSERT INTO switchboard.note_revisions (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
  };

  it.each([
    ['UPDATE of a note revision', () => eve.query("UPDATE switchboard.note_revisions SET body = 'rewritten' WHERE uid = $1", [someRevision])],
    ['DELETE of a note revision', () => eve.query('DELETE FROM switchboard.note_revisions WHERE uid = $1', [someRevision])],
    ['TRUNCATE of the notes', () => eve.query('TRUNCATE switchboard.note_revisions')],
    ['an INSERT in another login\'s name', () => revision({ author: logins['ravi@example.com'] })],
  ])('%s is refused by PostgreSQL', async (_what, run) => {
    const before = (await eve.query('SELECT count(*)::int AS n, string_agg(body, \'|\' ORDER BY id) AS bodies FROM switchboard.note_revisions')).rows[0];
    await expect(run()).rejects.toMatchObject({ code: '42501' });
    expect((await eve.query('SELECT count(*)::int AS n, string_agg(body, \'|\' ORDER BY id) AS bodies FROM switchboard.note_revisions')).rows[0]).toEqual(before);
  });

  it('a revision written on one of another note, or on one not in the store, is refused; the store sets who and when itself', async () => {
    await expect(revision({ parent_uid: someRevision })).rejects.toThrow(/is not of the same note as the revision it is written on/);
    await expect(revision({ note_uid: 'a'.repeat(32), parent_uid: 'b'.repeat(32) })).rejects.toThrow(/which is not in the team store/);
    await revision({ uid: 'd'.repeat(32), note_uid: 'd'.repeat(32), received_at: new Date('2000-01-01T00:00:00Z') });
    const row = (await eve.query<{ author: string; received_at: Date }>("SELECT author, received_at FROM switchboard.note_revisions WHERE uid = $1", ['d'.repeat(32)])).rows[0]!;
    expect(row.author).toBe((await eve.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u);
    expect(Math.abs(row.received_at.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
