import { beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../contract/models';
import { call, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { joinEngineers, teamStoreMember } from '../helpers/team-store-lab';

/**
 * Site profiles are authoritative in the team store, against a real PostgreSQL: a lead's edit reaches
 * every engineer; an engineer's edit is refused by the database while only leads may edit, and kept on
 * the engineer's laptop; two offline edits of the same site — the second is not lost but kept, shown
 * with what differs, and redone on top or dropped.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;
let asha: TestCore;

const site = (core: TestCore) => core.db.prepare("SELECT s.id, s.seats, s.peak_calls FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.name = 'Acme' AND s.name = 'Pune' AND s.deleted_at IS NULL").get() as { id: number; seats: number; peak_calls: number };
const hosts = (core: TestCore) => core.db.prepare('SELECT name FROM hosts WHERE site_id = ? AND deleted_at IS NULL ORDER BY name').pluck().all(site(core).id) as string[];
const setSeats = (core: TestCore, seats: number) => call(core, 'sites.update', {
  id: site(core).id, fields: { name: 'Pune', seats, peakCalls: 10, components: [], approvedMethods: ['anydesk'] },
});
const addHost = (core: TestCore, name: string) => call(core, 'hosts.create', { siteId: site(core).id, fields: { name, allow: [], anydesk: '555555555' } });
const storeVersion = async () => {
  const admin = await postgres().connect();
  try {
    return (await admin.query("SELECT version, updated_by FROM switchboard.profiles WHERE customer = 'Acme'")).rows[0] as { version: number; updated_by: string };
  } finally {
    await admin.end();
  }
};
const teamStoreChanges = (core: TestCore) => core.db.prepare("SELECT detail FROM session_events WHERE kind = 'policy-change' AND json_extract(detail, '$.via') = 'team-store'").pluck().all() as string[];

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  await lead.team.sync();
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  asha = await teamStoreMember(cores, 'Asha Rao', 'asha@example.com', 'engineer');
  await joinEngineers(postgres(), lead, [{ core: ravi, name: 'Ravi Nair', email: 'ravi@example.com' }, { core: asha, name: 'Asha Rao', email: 'asha@example.com' }]);
}, 60_000);

describe('site profiles in the team store', () => {
  it('the first lead\'s sync put the profile in the store; engineers with the same profile joined without a conflict', async () => {
    expect(await storeVersion()).toMatchObject({ version: 1 });
    expect(ravi.team.conflicts()).toEqual([]);
    expect(asha.team.conflicts()).toEqual([]);
  });

  it('a lead\'s edit reaches both engineers, as a policy change on their record', async () => {
    await setSeats(lead, 40);
    await addHost(lead, 'wallboard');
    const pushed = await lead.team.sync();
    expect(pushed.profiles).toMatchObject({ pushed: 1, conflicts: 0 });
    expect(await storeVersion()).toMatchObject({ version: 2 });
    for (const engineer of [ravi, asha]) {
      const synced = await engineer.team.sync();
      expect(synced.profiles).toMatchObject({ taken: 1, conflicts: 0 });
      expect(site(engineer).seats).toBe(40);
      expect(hosts(engineer)).toEqual(['agent-pc', 'wallboard']);
      expect(teamStoreChanges(engineer).join('\n')).toMatch(/"seats"|wallboard/);
    }
    // A second sync changes nothing anywhere.
    expect((await ravi.team.sync()).profiles).toEqual({ pushed: 0, taken: 0, conflicts: 0, failed: [], localOnly: [] });
  });

  it('while only leads may edit, an engineer\'s edit is refused by the store, undone here, and kept to redo', async () => {
    await setSeats(ravi, 7);
    const synced = await ravi.team.sync();
    expect(synced.profiles).toMatchObject({ pushed: 0, conflicts: 1 });
    expect(site(ravi).seats).toBe(40);
    expect(await storeVersion()).toMatchObject({ version: 2 });
    const [conflict] = ravi.team.conflicts();
    expect(conflict).toMatchObject({ customer: 'Acme', reason: 'not-allowed' });
    expect(conflict!.message).toMatch(/only leads edit profiles/);
    expect(conflict!.differences).toEqual([{ path: 'sites[Pune].seats', mine: '7', now: '40' }]);
    expect(ravi.team.status()).toMatchObject({ conflicts: 1, profileEditors: 'leads' });
  });

  it('an engineer cannot change who edits profiles; a lead can, and then the redone edit reaches the team', async () => {
    await expect(ravi.team.setProfileEditors('everyone')).rejects.toThrow(/refused|permission denied/);
    await lead.team.setProfileEditors('everyone');
    const [conflict] = ravi.team.conflicts();
    expect(ravi.team.resolveConflict(conflict!.id, 'redo')).toMatchObject({ resolution: 'redone' });
    expect(site(ravi).seats).toBe(7);
    expect((await ravi.team.sync()).profiles).toMatchObject({ pushed: 1, conflicts: 0 });
    expect(await storeVersion()).toMatchObject({ version: 3 });
    await asha.team.sync();
    expect(site(asha).seats).toBe(7);
    expect(ravi.team.conflicts()).toEqual([]);
    expect(ravi.team.conflicts(true)).toHaveLength(1);
  });

  it('two offline edits of the same site: the first to sync wins, the second is kept and shown, then redone on top', async () => {
    await setSeats(ravi, 70);
    await setSeats(asha, 80);
    await addHost(asha, 'ivr-console');
    expect((await ravi.team.sync()).profiles).toMatchObject({ pushed: 1 });
    const second = await asha.team.sync();
    expect(second.profiles).toMatchObject({ pushed: 0, taken: 1, conflicts: 1 });
    // Asha's laptop now reads as the store's version, and her edit is kept, not lost.
    expect(site(asha).seats).toBe(70);
    expect(hosts(asha)).toEqual(['agent-pc', 'wallboard']);
    const [conflict] = asha.team.conflicts();
    expect(conflict).toMatchObject({ reason: 'newer', theirsVersion: 4 });
    expect(conflict!.message).toMatch(/saved version 4 of Acme in the team store before this laptop's edit reached it/);
    expect(conflict!.differences).toEqual(expect.arrayContaining([
      { path: 'sites[Pune].seats', mine: '80', now: '70' },
      { path: 'sites[Pune].hosts[ivr-console]', mine: expect.stringContaining('ivr-console'), now: '(none)' },
    ]));
    asha.team.resolveConflict(conflict!.id, 'redo');
    expect((await asha.team.sync()).profiles).toMatchObject({ pushed: 1, conflicts: 0 });
    await ravi.team.sync();
    expect(site(ravi).seats).toBe(80);
    expect(hosts(ravi)).toEqual(['agent-pc', 'ivr-console', 'wallboard']);
    expect(await storeVersion()).toMatchObject({ version: 5 });
  });

  it('a dropped edit stays dropped: the store\'s version is kept and nothing is pushed', async () => {
    await lead.team.sync();
    await setSeats(lead, 90);
    await setSeats(ravi, 91);
    await lead.team.sync();
    await ravi.team.sync();
    const [conflict] = ravi.team.conflicts();
    expect(ravi.team.resolveConflict(conflict!.id, 'drop')).toMatchObject({ resolution: 'dropped' });
    expect(() => ravi.team.resolveConflict(conflict!.id, 'redo')).toThrow(/already dropped/);
    expect((await ravi.team.sync()).profiles).toEqual({ pushed: 0, taken: 0, conflicts: 0, failed: [], localOnly: [] });
    expect(site(ravi).seats).toBe(90);
  });

  it('a lead turning file transfer on travels in the profile: each engineer gets the setting, as a policy change', async () => {
    await call(lead, 'sites.update', {
      id: site(lead).id,
      fields: { name: 'Pune', seats: site(lead).seats, peakCalls: 10, components: [], approvedMethods: ['anydesk'], files: { transfer: 'download', folders: ['/var/log/ameyo'] } },
    });
    expect((await lead.team.sync()).profiles).toMatchObject({ pushed: 1, conflicts: 0 });
    for (const engineer of [ravi, asha]) {
      await engineer.team.sync();
      expect((await call<Site>(engineer, 'sites.get', { id: site(engineer).id })).files).toEqual({ transfer: 'download', folders: ['/var/log/ameyo'] });
      expect(teamStoreChanges(engineer).join('\n')).toContain('file transfer: off → download only; folders: + /var/log/ameyo');
    }
  });

  it('a document in the store that is not a valid profile is not applied; the laptop keeps what it had', async () => {
    const before = site(asha).seats;
    const admin = await postgres().connect();
    try {
      // Written past the app, as the store's owner could: the laptops must not take it on the server's word.
      await admin.query("ALTER TABLE switchboard.profiles DISABLE TRIGGER profile_check");
      await admin.query(`UPDATE switchboard.profiles SET version = version + 1, document = jsonb_set(document, '{sites,0,hosts,0,address}', '"0x7f.1"') WHERE customer = 'Acme'`);
      await admin.query("ALTER TABLE switchboard.profiles ENABLE TRIGGER profile_check");
    } finally {
      await admin.end();
    }
    const synced = await asha.team.sync();
    expect(synced.profiles.failed.join('\n')).toMatch(/Acme: A profile from the team store is not a valid profile/);
    expect(synced.warnings.join('\n')).toMatch(/not a valid profile/);
    expect(asha.db.prepare("SELECT count(*) FROM hosts WHERE address = '0x7f.1'").pluck().get()).toBe(0);
    expect(site(asha).seats).toBe(before);
  });
});

describe('what waits for the team store', () => {
  it('status counts note revisions, new tickets and ticket changes made here until a sync takes them', async () => {
    const siteId = site(ravi).id;
    await call(ravi, 'notes.create', { siteId, fields: { title: 'Dialer restart', body: 'systemctl restart dialer' } });
    await call(ravi, 'tickets.open', { ref: 'INC-900', siteId, type: 'incident', component: 'dialer', impact: {} });
    const waiting = ravi.team.status().waitingChanges;
    expect(waiting.notes).toBeGreaterThanOrEqual(1);
    expect(waiting.tickets).toBe(1);
    await ravi.team.sync();
    expect(ravi.team.status().waitingChanges).toEqual({ notes: 0, tickets: 0, ticketChanges: 0 });
  });
});
