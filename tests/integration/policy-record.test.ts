import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Host, Site } from '../../contract/models';
import { JOURNALED_COLUMNS } from '../../main/core/policy-record/entities';
import { call, customerFields, hostFields, openTestCore, siteFields, type TestCore } from '../helpers/core';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

/**
 * Changes to the policy are on the record (issue 9 §3): every path that changes customers, sites,
 * approved methods, hosts, addresses, allow-lists, endpoints, pins, VPN profiles, input recording or
 * approvals writes exactly one 'policy-change' record per changed entity, with before → after, who,
 * the ticket and the path — and a change nobody recorded (raw SQL) is recorded at the next start.
 */
const PIN_A = `SHA256:${'A'.repeat(43)}`;
const PIN_B = `SHA256:${'B'.repeat(43)}`;
const BOOKKEEPING = ['created_at', 'updated_at', 'pinned_at', 'recorded_at'];

interface Change { entity: string; change: string; via: string; path: string; fields: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null; ticket: string | null; description: string }

describe.sequential('policy changes on the record', () => {
  const dataDir = makeTempDir('switchboard-policy-record-');
  let core: TestCore = openTestCore({ dataDir, mode: 'web', engineer: 'ravi' });
  afterAll(async () => {
    await core.close();
    removeTempDir(dataDir);
  });
  const reopen = async () => {
    await core.close();
    core = openTestCore({ dataDir, mode: 'web', engineer: 'lena' });
  };
  const headSeq = () => (core.db.prepare('SELECT coalesce(max(seq), 0) FROM session_events').pluck().get() as number);
  const changesSince = (seq: number): Change[] =>
    (core.db.prepare("SELECT ticket, detail FROM session_events WHERE kind = 'policy-change' AND seq > ? ORDER BY seq").all(seq) as { ticket: string | null; detail: string }[])
      .map((r) => ({ ...(JSON.parse(r.detail) as Omit<Change, 'ticket'>), ticket: r.ticket }));
  async function changesOf(action: () => unknown): Promise<Change[]> {
    const seq = headSeq();
    await action();
    return changesSince(seq);
  }

  let customerId = 0;
  let siteId = 0;
  let pbx: Host;
  const profileDir = makeTempDir('switchboard-policy-vpn-');
  const ovpn = path.join(profileDir, 'acme.ovpn');
  fs.writeFileSync(ovpn, 'client\ndev tun\nremote vpn.acme.example 1194\n');
  const site = () => call<Site>(core, 'sites.get', { id: siteId });
  const siteInput = async (patch: Record<string, unknown>) => {
    const s = await site();
    return { ...siteFields(s.name), approvedMethods: s.approvedMethods, recordInput: s.recordInput, files: s.files, ...(s.vpn ? { vpn: { client: s.vpn.client, profile: s.vpn.profile, gateway: s.vpn.gateway } } : {}), ...patch };
  };
  const hostInput = (patch: Record<string, unknown>) => ({ ...hostFields('pbx1'), address: '10.0.0.5', allow: ['10.0.0.0/24'], ssh: { port: 22, hostKey: PIN_A }, ...patch });

  it('the journal covers every column of every policy table but bookkeeping, with its triggers', () => {
    for (const [table, columns] of Object.entries(JOURNALED_COLUMNS)) {
      const actual = (core.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).filter((c) => !BOOKKEEPING.includes(c));
      expect(actual.sort(), table).toEqual([...columns].sort());
      const triggers = core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE '%journal%'").pluck().all(table);
      expect(triggers, table).toHaveLength(3);
    }
  });

  it('setting up a customer, a site and a host through the forms: each one added', async () => {
    const made = await changesOf(async () => {
      customerId = (await call<{ id: number }>(core, 'customers.create', customerFields('Acme'))).id;
      siteId = (await call<Site>(core, 'sites.create', { customerId, fields: siteFields('Pune'), ticket: 'EXO-1' })).id;
      pbx = await call<Host>(core, 'hosts.create', { siteId, fields: hostInput({}), ticket: 'EXO-1' });
    });
    expect(made.map((c) => [c.entity, c.change, c.via, c.path, c.ticket])).toEqual([
      ['customer', 'added', 'form', 'Acme', null],
      ['site', 'added', 'form', 'Acme/Pune', 'EXO-1'],
      ['host', 'added', 'form', 'Acme/Pune/pbx1', 'EXO-1'],
    ]);
    expect(made[2]!.after).toMatchObject({ name: 'pbx1', address: '10.0.0.5', allow: ['10.0.0.0/24'], ssh: { port: 22 }, hostKeyPin: PIN_A });
    expect(made[2]!.before).toBeNull();
  });

  // Each row: a change through one path, and the one record it must leave (fields, before → after).
  const PATHS: { name: string; act: () => Promise<unknown>; expected: Partial<Change>[] }[] = [
    {
      name: 'form: customer time zone',
      act: () => call(core, 'customers.update', { id: customerId, fields: { ...customerFields('Acme'), timezone: 'Europe/Berlin' }, ticket: 'EXO-2' }),
      expected: [{ entity: 'customer', change: 'changed', via: 'form', fields: ['timezone'], before: { timezone: 'Asia/Kolkata' }, after: { timezone: 'Europe/Berlin' }, ticket: 'EXO-2' }],
    },
    {
      name: 'form: approved methods',
      act: async () => call(core, 'sites.update', { id: siteId, fields: await siteInput({ approvedMethods: ['ssh', 'https', 'vpn'] }) }),
      expected: [{ entity: 'site', change: 'changed', fields: ['approvedMethods'], before: { approvedMethods: ['ssh'] }, after: { approvedMethods: ['ssh', 'https', 'vpn'] }, ticket: null }],
    },
    {
      name: 'form: allow-list',
      act: () => call(core, 'hosts.update', { id: pbx.id, fields: hostInput({ allow: ['10.0.0.0/24', '10.0.1.5/32'] }), ticket: 'EXO-3' }),
      expected: [{ entity: 'host', path: 'Acme/Pune/pbx1', fields: ['allow'], before: { allow: ['10.0.0.0/24'] }, after: { allow: ['10.0.0.0/24', '10.0.1.5/32'] }, ticket: 'EXO-3' }],
    },
    {
      name: 'form: address',
      act: () => call(core, 'hosts.update', { id: pbx.id, fields: hostInput({ address: '10.0.0.6', allow: ['10.0.0.0/24', '10.0.1.5/32'] }) }),
      expected: [{ entity: 'host', fields: ['address'], before: { address: '10.0.0.5' }, after: { address: '10.0.0.6' } }],
    },
    {
      name: 'form: endpoints (ssh port, https and vnc added)',
      act: () => call(core, 'hosts.update', { id: pbx.id, fields: hostInput({ address: '10.0.0.6', allow: ['10.0.0.0/24', '10.0.1.5/32'], ssh: { port: 2222, hostKey: PIN_A }, https: { port: 8443 }, vnc: { port: 5901 } }) }),
      expected: [{ entity: 'host', fields: ['ssh', 'https', 'vnc'], before: { ssh: { port: 22, user: null, credential: null, agent: 0, jumpHost: null }, https: null, vnc: null } }],
    },
    {
      name: 'form: a save that changes nothing leaves no record',
      act: async () => {
        await call(core, 'sites.update', { id: siteId, fields: await siteInput({}) });
        await call(core, 'hosts.update', { id: pbx.id, fields: hostInput({ address: '10.0.0.6', allow: ['10.0.0.0/24', '10.0.1.5/32'], ssh: { port: 2222, hostKey: PIN_A }, https: { port: 8443 }, vnc: { port: 5901 } }) });
      },
      expected: [],
    },
    {
      name: 'form: a VPN profile set',
      act: async () => {
        await call(core, 'hosts.create', { siteId, fields: { ...hostFields('vpn-gw'), address: '10.0.0.1' } });
        await call(core, 'sites.update', { id: siteId, fields: await siteInput({ vpn: { client: 'openvpn', profile: ovpn, gateway: 'vpn-gw' } }), ticket: 'EXO-4' });
      },
      expected: [
        { entity: 'host', change: 'added', path: 'Acme/Pune/vpn-gw' },
        { entity: 'site', change: 'changed', fields: ['vpn'], before: { vpn: null }, after: { vpn: expect.objectContaining({ client: 'openvpn', profilePath: ovpn, gatewayHost: 'vpn-gw' }) }, ticket: 'EXO-4' },
      ],
    },
    {
      name: 'form: file transfer turned on, download only, in one folder',
      act: async () => call(core, 'sites.update', { id: siteId, fields: await siteInput({ files: { transfer: 'download', folders: ['/var/log/ameyo/'] } }), ticket: 'EXO-41' }),
      expected: [{
        entity: 'site', change: 'changed', via: 'form', ticket: 'EXO-41', fields: ['fileTransfer', 'fileFolders'],
        before: { fileTransfer: 'off', fileFolders: [] }, after: { fileTransfer: 'download', fileFolders: ['/var/log/ameyo'] },
        description: 'site Acme/Pune changed: file transfer: off → download only; folders: + /var/log/ameyo',
      }],
    },
    {
      name: 'form: file transfer both ways, a folder swapped',
      act: async () => call(core, 'sites.update', { id: siteId, fields: await siteInput({ files: { transfer: 'both', folders: ['/tmp/support', '/var/log/ameyo'] } }) }),
      expected: [{
        entity: 'site', fields: ['fileTransfer', 'fileFolders'], after: { fileTransfer: 'both', fileFolders: ['/tmp/support', '/var/log/ameyo'] },
        description: 'site Acme/Pune changed: file transfer: download only → both ways; folders: + /tmp/support',
      }],
    },
    {
      name: 'form: a site form without the setting turns file transfer off (it is policy, like the methods)',
      act: async () => call(core, 'sites.update', { id: siteId, fields: { ...(await siteInput({})), files: undefined } }),
      expected: [{
        entity: 'site', fields: ['fileTransfer', 'fileFolders'], after: { fileTransfer: 'off', fileFolders: [] },
        description: 'site Acme/Pune changed: file transfer: both ways → off; folders: − /tmp/support, − /var/log/ameyo (no folder limit now)',
      }],
    },
    {
      name: 'form: input recording on',
      act: async () => call(core, 'sites.update', { id: siteId, fields: await siteInput({ recordInput: true }) }),
      expected: [{ entity: 'site', fields: ['recordInput'], before: { recordInput: 0 }, after: { recordInput: 1 }, via: 'form' }],
    },
    {
      name: 'CLI sites set: input recording off',
      act: () => core.services.directory.setRecordInput(siteId, false, 'EXO-5'),
      expected: [{ entity: 'site', fields: ['recordInput'], before: { recordInput: 1 }, after: { recordInput: 0 }, via: 'cli', ticket: 'EXO-5' }],
    },
    {
      name: 'delete a host to the trash',
      act: () => call(core, 'hosts.delete', { id: pbx.id }),
      expected: [{ entity: 'host', change: 'removed', via: 'remove', fields: ['deletedAt'] }],
    },
    {
      name: 'undo: restore it from the trash',
      act: () => call(core, 'trash.restore', { kind: 'host', id: pbx.id, ticket: 'EXO-6' }),
      expected: [{ entity: 'host', change: 'added', via: 'restore', fields: ['deletedAt'], ticket: 'EXO-6' }],
    },
    {
      name: 'a pinned host key replaced (with a ticket the policy accepts)',
      act: async () => {
        await call(core, 'tickets.open', { siteId, ref: 'EXO-7', type: 'incident', component: 'acd', impact: {} });
        await call(core, 'hosts.replaceHostKey', { siteId, ticket: 'EXO-7', host: 'pbx1', previous: PIN_A, fingerprint: PIN_B, reason: 'confirmed with the customer by phone' });
      },
      expected: [{ entity: 'host', via: 'pin-replace', fields: ['hostKeyPin'], before: { hostKeyPin: PIN_A }, after: { hostKeyPin: PIN_B }, ticket: 'EXO-7' }],
    },
    {
      // An import only adds: a customer already here is refused (delete it first), so a "changed" site comes in as new rows.
      name: 'profile import: a new customer with a site and its host',
      act: () => core.services.profiles.import(`version: 1
customers:
  - name: Beta
    package: premium
    timezone: Europe/Berlin
    workdays: [mon, tue, wed, thu, fri]
    sites:
      - name: Delhi
        seats: 5
        peak_calls: 5
        components: [acd]
        approved_methods: [ssh]
        files: { transfer: both, folders: [/srv/patches] }
        hosts:
          - { name: db1, address: 10.1.0.5 }
`, undefined, 'EXO-8'),
      expected: [
        { entity: 'customer', path: 'Beta', change: 'added', via: 'import', ticket: 'EXO-8' },
        { entity: 'site', path: 'Beta/Delhi', change: 'added', via: 'import', ticket: 'EXO-8', after: expect.objectContaining({ approvedMethods: ['ssh'], fileTransfer: 'both', fileFolders: ['/srv/patches'] }) },
        { entity: 'host', path: 'Beta/Delhi/db1', change: 'added', via: 'import', ticket: 'EXO-8', after: expect.objectContaining({ address: '10.1.0.5', allow: [] }) },
      ],
    },
  ];

  it.each(PATHS)('$name', async ({ act, expected }) => {
    const made = await changesOf(act);
    expect(made).toHaveLength(expected.length);
    expected.forEach((want, i) => expect(made[i]).toMatchObject({ ...want, ...(want.before ? { before: expect.objectContaining(want.before) } : {}), ...(want.after ? { after: want.after } : {}) }));
    for (const change of made) expect(change).toMatchObject({ before: change.change === 'added' && change.via !== 'restore' ? null : expect.anything() });
  });

  it('a raw SQL change to an allow-list is recorded at the next start, unattributed', async () => {
    const seq = headSeq();
    core.db.prepare("UPDATE host_allow SET cidr = '10.9.0.0/16' WHERE host_id = ? AND cidr = '10.0.0.0/24'").run(pbx.id);
    await reopen();
    const made = changesSince(seq);
    expect(made).toEqual([expect.objectContaining({
      entity: 'host', change: 'changed', via: 'unattributed', path: 'Acme/Pune/pbx1', fields: ['allow'], before: { allow: ['10.0.0.0/24', '10.0.1.5/32'] }, after: { allow: ['10.9.0.0/16', '10.0.1.5/32'] },
    })]);
    const record = core.db.prepare("SELECT engineer, host, site FROM session_events WHERE kind = 'policy-change' ORDER BY seq DESC LIMIT 1").get();
    expect(record).toEqual({ engineer: 'lena', host: 'pbx1', site: 'Acme/Pune' });
  });

  it('a raw SQL change while the core runs is recorded apart from the next change, not as part of it', async () => {
    core.db.prepare("INSERT INTO site_methods (site_id, position, method) VALUES (?, 9, 'anydesk')").run(siteId);
    const made = await changesOf(() => call(core, 'hosts.update', { id: pbx.id, fields: hostInput({ address: '10.0.0.7', allow: ['10.9.0.0/16', '10.0.1.5/32'], ssh: { port: 2222, hostKey: PIN_B }, https: { port: 8443 }, vnc: { port: 5901 } }) }));
    expect(made.map((c) => [c.entity, c.via, c.fields])).toEqual([['site', 'unattributed', ['approvedMethods']], ['host', 'form', ['address']]]);
  });

  it('the trash purged after 30 days: each purged row recorded', async () => {
    const db1 = (await call<Site>(core, 'sites.get', { id: (await core.services.directory.findSite('Beta', 'Delhi'))! })).hosts[0]!;
    await call(core, 'hosts.delete', { id: db1.id });
    core.db.prepare("UPDATE hosts SET deleted_at = '2000-01-01T00:00:00.000Z' WHERE id = ?").run(db1.id);
    const seq = headSeq();
    await reopen();
    expect(changesSince(seq).map((c) => [c.entity, c.change, c.via, c.path])).toEqual([
      ['host', 'changed', 'unattributed', 'Beta/Delhi/db1'], // the back-dating above is itself a raw change
      ['host', 'removed', 'purge', 'Beta/Delhi/db1'],
    ]);
  });

  it('the chain still verifies, and log.list shows the changes beside sessions, filterable by kind', async () => {
    expect(await core.services.sessionLog.verify()).toMatchObject({ ok: true });
    const changes = await call<{ kind: string; detail: Record<string, unknown> }[]>(core, 'log.list', { kind: 'policy-change' });
    expect(changes.length).toBeGreaterThan(15);
    expect(changes.every((r) => r.kind === 'policy-change')).toBe(true);
    expect(changes.map((r) => r.detail.description)).toContain('host Acme/Pune/pbx1 changed: allow 10.0.0.0/24, 10.0.1.5/32 → 10.9.0.0/16, 10.0.1.5/32');
    const sessions = await call<{ kind: string }[]>(core, 'log.list', { kind: 'session' });
    expect(sessions.map((r) => r.kind)).toEqual(['session']); // the repin's own entry
    const both = await call<{ kind: string }[]>(core, 'log.list', {});
    expect(both).toHaveLength(changes.length + sessions.length);
    expect(await call(core, 'log.list', { kind: 'policy-change', siteId })).not.toHaveLength(0);
  });
});
