import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Deleted, Host, NavigationEntry, Site } from '../../contract/models';
import type { TestCore as Core } from '../helpers/core';
import { call, callError, customerFields, hostFields, siteFields, useCores } from '../helpers/core';
import { HOST_KEY } from '../helpers/fixtures';

const newCore = useCores();

/** One customer with one site, hosts bastion (jump) and app01 (jumps through bastion). */
async function seed(core: Core, customerName = 'Acme Telecom') {
  const customer = await call<Customer>(core, 'customers.create', customerFields(customerName));
  const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields('mumbai-prod') });
  const bastion = await call<Host>(core, 'hosts.create', { siteId: site.id, fields: hostFields('bastion', { address: '203.0.113.10', ssh: { port: 22 } }) });
  const app = await call<Host>(core, 'hosts.create', {
    siteId: site.id,
    fields: hostFields('app01', { address: 'APP01.Acme.Example', allow: ['10.20.0.11/32'], ssh: { port: 22, user: 'support', hostKey: HOST_KEY, jump: 'bastion' } }),
  });
  return { customer, site, bastion, app };
}

describe('create and read back', () => {
  it('customer → site → host → note', async () => {
    const core = newCore();
    const { customer, site, app } = await seed(core);
    const note = await call<{ id: number }>(core, 'notes.create', { siteId: site.id, hostId: app.id, fields: { title: 'Ports', body: 'ssh on 22' } });

    expect(await call(core, 'customers.get', { id: customer.id })).toMatchObject({
      name: 'Acme Telecom', timezone: 'Asia/Kolkata', workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      sites: [{ id: site.id, name: 'mumbai-prod', hostCount: 2, noteCount: 1 }],
    });
    const gotSite = await call<Site>(core, 'sites.get', { id: site.id });
    expect(gotSite.hosts.map((h) => [h.name, h.address])).toEqual([['bastion', '203.0.113.10'], ['app01', 'app01.acme.example']]);
    expect(gotSite.hosts[1]).toEqual({
      id: app.id, siteId: site.id, name: 'app01', address: 'app01.acme.example', allow: ['10.20.0.11/32'],
      ssh: { port: 22, user: 'support', hostKey: HOST_KEY, jump: 'bastion' },
    });
    expect(gotSite.notes).toEqual([expect.objectContaining({ id: note.id, title: 'Ports', hostId: app.id, hostName: 'app01', revisionCount: 1 })]);
    expect(await call(core, 'notes.get', { id: note.id })).toMatchObject({ body: 'ssh on 22', customerName: 'Acme Telecom', siteName: 'mumbai-prod' });
    expect(await call(core, 'customers.list', {})).toEqual([{ id: customer.id, name: 'Acme Telecom', package: 'premium', timezone: 'Asia/Kolkata', siteCount: 1 }]);
  });

  it('NOT_FOUND for an id that does not exist', async () => {
    const core = newCore();
    for (const method of ['customers.get', 'sites.get', 'notes.get', 'hosts.delete']) {
      expect((await callError(core, method, { id: 4242 })).code, method).toBe('NOT_FOUND');
    }
  });
});

describe('input validation', () => {
  let core: Core;
  let ids: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    core = newCore();
    ids = await seed(core);
  });

  const ROWS: [string, string, (ids: Awaited<ReturnType<typeof seed>>) => unknown, string, RegExp][] = [
    ['obfuscated address', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: '0x7f.1' }) }), 'fields.address', /canonical dotted-quad/],
    ['non-canonical IPv6', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: '0:0:0:0:0:0:0:1' }) }), 'fields.address', /write it as ::1/],
    ['CIDR with host bits', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { allow: ['10.0.0.1/8'] }) }), 'fields.allow[0]', /10\.0\.0\.0\/8/],
    ['allow-list of every IPv4 address', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: 'h1.example', allow: ['0.0.0.0/0'] }) }), 'fields.allow[0]', /"0\.0\.0\.0\/0" is every IPv4 address/],
    ['allow-list wider than /48', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: 'h1.example', allow: ['2001:db8::/32'] }) }), 'fields.allow[0]', /wider than \/48/],
    ['cloud metadata address in an allow-list', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: 'h1.example', allow: ['169.254.169.254'] }) }), 'fields.allow[0]', /link-local/],
    ['loopback for a host recorded by name', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: 'h1.example', allow: ['127.0.0.1'] }) }), 'fields.allow[0]', /only for a host whose own address is loopback/],
    ['a multicast host address', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { address: '224.0.0.251' }) }), 'fields.address', /multicast.*cannot have that address/],
    ['widening an allow-list by an update', 'hosts.update', ({ bastion }) => ({ id: bastion.id, fields: hostFields('bastion', { address: '203.0.113.10', allow: ['0.0.0.0/0'] }) }), 'fields.allow[0]', /every IPv4 address/],
    ['ssh port 99999', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { ssh: { port: 99999 } }) }), 'fields.ssh.port', /between 1 and 65535/],
    ['ssh port 0', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { ssh: { port: 0 } }) }), 'fields.ssh.port', /between 1 and 65535/],
    ['bad host key', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { ssh: { port: 22, hostKey: 'SHA256:x' } }) }), 'fields.ssh.hostKey', /43 base64/],
    ['unknown key in ssh', 'hosts.create', ({ site }) => ({ siteId: site.id, fields: hostFields('h1', { ssh: { port: 22, password: 'x' } as never }) }), 'fields.ssh', /password/],
    ['empty customer name', 'customers.create', () => customerFields('  '), 'name', /name is required/],
    ['unknown top-level key', 'customers.create', () => ({ ...customerFields('Initech'), secret: 'hunter2' }), '', /secret/],
    ['zero seats', 'sites.create', ({ customer }) => ({ customerId: customer.id, fields: { ...siteFields('s'), seats: 0 } }), 'fields.seats', /at least 1 seat/],
    ['unknown method', 'sites.create', ({ customer }) => ({ customerId: customer.id, fields: { ...siteFields('s'), approvedMethods: ['telnet'] } }), 'fields.approvedMethods[0]', /not an access method/],
    ['missing id', 'customers.get', () => ({}), 'id', /id is required/],
    ['negative id', 'sites.get', () => ({ id: -3 }), 'id', /.+/],
    ['id as text', 'sites.get', () => ({ id: '1' }), 'id', /.+/],
    ['input not an object', 'customers.list', () => 'hello', '', /.+/],
    ['search too long', 'notes.search', () => ({ query: 'x'.repeat(501) }), 'query', /at most 500/],
    ['bad restore kind', 'trash.restore', () => ({ kind: 'credential', id: 1 }), 'kind', /.+/],
  ];

  it.each(ROWS)('%s → INVALID_INPUT at %j', async (_what, method, input, path, message) => {
    const error = await callError(core, method, input(ids));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues?.[0]?.path).toBe(path);
    expect(error.issues?.[0]?.message).toMatch(message);
    expect(error.message).toBe(path ? `${path}: ${error.issues![0]!.message}` : error.issues![0]!.message);
  });

  it('reports every refused allow-list entry, not only the first', async () => {
    const error = await callError(core, 'hosts.create', { siteId: ids.site.id, fields: hostFields('h1', { address: 'h1.example', allow: ['0.0.0.0/0', '10.20.0.0/28', '::/0', '127.0.0.1'] }) });
    expect(error.issues?.map((issue) => issue.path)).toEqual(['fields.allow[0]', 'fields.allow[2]', 'fields.allow[3]']);
  });

  it('writes nothing on invalid input', async () => {
    const before = (await call<Site>(core, 'sites.get', { id: ids.site.id })).hosts.length;
    await callError(core, 'hosts.create', { siteId: ids.site.id, fields: hostFields('h2', { address: '127.1' }) });
    expect((await call<Site>(core, 'sites.get', { id: ids.site.id })).hosts).toHaveLength(before);
  });

  it.each(['no.such.method', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])('method %j → UNKNOWN_METHOD', async (method) => {
    expect(await core.dispatch(method, {})).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining('not part of the Switchboard API') } });
  });

  it('a jump host that is not on the site → INVALID_INPUT at ssh.jump', async () => {
    const error = await callError(core, 'hosts.create', { siteId: ids.site.id, fields: hostFields('h3', { ssh: { port: 22, jump: 'nowhere' } }) });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'ssh.jump' }] });
  });

  it('a jump loop created by an update → INVALID_INPUT', async () => {
    const error = await callError(core, 'hosts.update', { id: ids.bastion.id, fields: hostFields('bastion', { ssh: { port: 22, jump: 'app01' } }) });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/loop/) });
  });
});

describe('conflicts and deletes', () => {
  it('a duplicate customer name, in any case → CONFLICT', async () => {
    const core = newCore();
    await seed(core);
    expect(await callError(core, 'customers.create', customerFields('ACME telecom'))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already exists/) });
  });

  it('a duplicate host name on the site, in any case → CONFLICT; the same name on another site is fine', async () => {
    const core = newCore();
    const { customer, site } = await seed(core);
    expect((await callError(core, 'hosts.create', { siteId: site.id, fields: hostFields('APP01') })).code).toBe('CONFLICT');
    const other = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields('pune-dr') });
    await call(core, 'hosts.create', { siteId: other.id, fields: hostFields('app01') });
  });

  it('deleting a host another host jumps through → IN_USE, and it stays', async () => {
    const core = newCore();
    const { site, bastion } = await seed(core);
    const error = await callError(core, 'hosts.delete', { id: bastion.id });
    expect(error).toMatchObject({ code: 'IN_USE', message: expect.stringMatching(/app01 uses it as its SSH jump host/) });
    expect((await call<Site>(core, 'sites.get', { id: site.id })).hosts.map((h) => h.name)).toContain('bastion');
  });

  it('soft delete hides a host; trash.restore brings it back', async () => {
    const core = newCore();
    const { site, app } = await seed(core);
    expect(await call<Deleted>(core, 'hosts.delete', { id: app.id })).toEqual({ kind: 'host', id: app.id, label: 'app01' });
    expect((await call<Site>(core, 'sites.get', { id: site.id })).hosts.map((h) => h.name)).toEqual(['bastion']);
    expect(await call(core, 'trash.restore', { kind: 'host', id: app.id })).toEqual({ restored: true });
    expect((await call<Site>(core, 'sites.get', { id: site.id })).hosts.map((h) => h.name)).toEqual(['bastion', 'app01']);
    expect((await callError(core, 'trash.restore', { kind: 'host', id: app.id })).code).toBe('NOT_FOUND');
  });

  it('delete, create the same name, restore → CONFLICT', async () => {
    const core = newCore();
    const { customer } = await seed(core);
    await call(core, 'customers.delete', { id: customer.id });
    await call(core, 'customers.create', customerFields('Acme Telecom'));
    expect(await callError(core, 'trash.restore', { kind: 'customer', id: customer.id })).toMatchObject({ code: 'CONFLICT' });
    expect((await call<unknown[]>(core, 'customers.list', {}))).toHaveLength(1);
  });

  it('navigation.index lists live customers, sites and hosts, and forgets a deleted site with its hosts', async () => {
    const core = newCore();
    const { customer, site, bastion, app } = await seed(core);
    const index = await call<NavigationEntry[]>(core, 'navigation.index', {});
    expect(index).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'customer', id: customer.id, label: 'Acme Telecom' }),
      expect.objectContaining({ kind: 'site', id: site.id, label: 'Acme Telecom / mumbai-prod', customerId: customer.id }),
      expect.objectContaining({ kind: 'host', id: bastion.id, label: 'bastion', siteId: site.id }),
      expect.objectContaining({ kind: 'host', id: app.id, label: 'app01', description: 'Acme Telecom / mumbai-prod · app01.acme.example' }),
    ]));
    expect(index).toHaveLength(4);
    await call(core, 'sites.delete', { id: site.id });
    expect(await call<NavigationEntry[]>(core, 'navigation.index', {})).toEqual([expect.objectContaining({ kind: 'customer' })]);
  });
});
