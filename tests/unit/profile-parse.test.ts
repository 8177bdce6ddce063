import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { parseProfile } from '../../main/core/profiles/parse';
import { at, HOST_KEY, SAMPLE_PROFILE_YAML, sampleDoc, sampleWith, type ProfileDoc } from '../helpers/fixtures';

function parseError(text: string): ApiError {
  try {
    parseProfile(text);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}

const SITE = 'customers.0.sites.0';
const HOST = (i: number) => `${SITE}.hosts.${i}`;
const edit = (change: (doc: ProfileDoc) => void) => () => sampleWith(change);
const set = (where: string, key: string, value: unknown) => edit((doc) => void (at(doc, where)[key] = value));

describe('parseProfile accepts the sample', () => {
  const file = parseProfile(SAMPLE_PROFILE_YAML);
  const site = file.customers[0]!.sites[0]!;

  it('reads every customer, site and host', () => {
    expect(file.customers.map((c) => c.name)).toEqual(['Acme Telecom', 'Globex Retail']);
    expect(site.hosts.map((h) => h.name)).toEqual(['bastion', 'app01', 'vpn-gw', 'agent-pc-07']);
    expect(site.vpn).toEqual({ client: 'openvpn', profile: 'acme.ovpn', gateway: 'vpn-gw' });
    expect(file.customers[0]!.holidays).toEqual(['2026-01-26', '2026-12-25']);
  });

  it('reads lync as teams', () => {
    expect(site.approved_methods.at(-1)).toBe('teams');
    expect(site.approved_methods).not.toContain('lync');
  });

  it('fills defaults: ssh port 22, https 443, empty lists', () => {
    expect(site.hosts[1]!.ssh).toEqual({ port: 22, user: 'support', host_key: HOST_KEY, credential: 'acme-support', jump: 'bastion' });
    expect(site.hosts[0]!.ssh!.port).toBe(2222);
    expect(file.customers[1]!.sites[0]!.hosts[0]!.https).toEqual({ port: 443 });
    const dr = file.customers[0]!.sites[1]!;
    expect([dr.components, dr.approved_methods, dr.notes, dr.hosts[0]!.allow]).toEqual([[], [], [], []]);
    expect(file.customers[1]!.contacts).toEqual([]);
  });

  it('keeps partner IDs as text', () => {
    expect(site.hosts[3]).toMatchObject({ anydesk: '123456789', teamviewer: '987654321' });
  });

  it('accepts JSON of the same shape', () => {
    expect(parseProfile(JSON.stringify(sampleDoc(), null, 2))).toEqual(file);
  });

  it('resolves a relative VPN profile against baseDir, and leaves an absolute one alone', () => {
    expect(parseProfile(SAMPLE_PROFILE_YAML, '/srv/profiles').customers[0]!.sites[0]!.vpn!.profile).toBe('/srv/profiles/acme.ovpn');
    const absolute = sampleWith((doc) => void (at(doc, `${SITE}.vpn`).profile = '/etc/openvpn/acme.ovpn'));
    expect(parseProfile(absolute, '/srv/profiles').customers[0]!.sites[0]!.vpn!.profile).toBe('/etc/openvpn/acme.ovpn');
  });
});

const P = 'customers[0].sites[0]';
const bigBody = 'x'.repeat(256 * 1024 + 1);

/** [what, document text, expected path of the first issue, message pattern]. */
const BAD: [string, () => string, string, RegExp][] = [
  ['unknown top-level key', edit((d) => void (d.extra = 1)), '', /extra/],
  ['unknown customer key', set('customers.0', 'region', 'west'), 'customers[0]', /region/],
  ['unknown site key', set(SITE, 'seat', 3), P, /seat/],
  ['unknown host key', set(HOST(1), 'adress', '10.0.0.1'), `${P}.hosts[1]`, /adress/],
  ['unknown ssh key', set(`${HOST(1)}.ssh`, 'password', 'hunter2'), `${P}.hosts[1].ssh`, /password/],
  ['malformed YAML', () => 'version: 1\ncustomers:\n  - name: "Acme\n    package: premium\n', '', /^line 5, column 1: Missing closing "quote .*not valid YAML/],
  ['broken JSON', () => '{"version": 1, "customers": [}', '', /^line 1, column 30: .*not valid YAML or JSON/],
  ['empty file', () => '  \n\n', '', /empty/],
  ['a top-level list', () => '- version: 1\n', '', /mapping with "version" and "customers"/],
  ['a bare string', () => 'hello\n', '', /mapping/],
  ['version 2', edit((d) => void (d.version = 2)), 'version', /version 1/],
  ['customers missing', edit((d) => void delete (d as Partial<ProfileDoc>).customers), 'customers', /expected array/],
  ['duplicate customer (case-insensitive)', set('customers.1', 'name', 'ACME telecom'), 'customers[1].name', /already used by customers\[0\]/],
  ['duplicate site', set('customers.0.sites.1', 'name', 'Mumbai-Prod'), 'customers[0].sites[1].name', /already has a site/],
  ['duplicate host', set(HOST(2), 'name', 'app01'), `${P}.hosts[2].name`, /already has a host "app01"/],
  ['jump to a missing host', set(`${HOST(1)}.ssh`, 'jump', 'bastion2'), `${P}.hosts[1].ssh.jump`, /"bastion2" is not a host of this site/],
  ['jump loop', set(`${HOST(0)}.ssh`, 'jump', 'app01'), `${P}.hosts[0].ssh.jump`, /loop: bastion → app01 → bastion/],
  ['jump to itself', set(`${HOST(1)}.ssh`, 'jump', 'app01'), `${P}.hosts[1].ssh.jump`, /loop/],
  ['VPN gateway not a host', set(`${SITE}.vpn`, 'gateway', 'vpn-gw2'), `${P}.vpn.gateway`, /"vpn-gw2" is not a host of this site/],
  ['obfuscated address', set(HOST(0), 'address', '0x7f.1'), `${P}.hosts[0].address`, /canonical dotted-quad/],
  ['integer address', set(HOST(0), 'address', 2130706433), `${P}.hosts[0].address`, /.+/],
  ['non-canonical IPv6', set(HOST(2), 'address', '2001:db8:0:0:0:0:0:10'), `${P}.hosts[2].address`, /write it as 2001:db8::10/],
  ['bad CIDR', set(HOST(1), 'allow', ['10.20.0.11/24']), `${P}.hosts[1].allow[0]`, /host bits set; did you mean 10\.20\.0\.0\/24/],
  ['duplicate allow entry', set(HOST(1), 'allow', ['10.0.0.1', '10.0.0.1']), `${P}.hosts[1].allow[1]`, /listed twice/],
  ['unquoted numeric AnyDesk ID', set(HOST(3), 'anydesk', 123456789), `${P}.hosts[3].anydesk`, /quotes/],
  ['bad TeamViewer ID', set(HOST(3), 'teamviewer', '12ab5678'), `${P}.hosts[3].teamviewer`, /TeamViewer ID is 9 or 10 digits/],
  ['unknown time zone', set('customers.0', 'timezone', 'Mars/Olympus_Mons'), 'customers[0].timezone', /IANA time zone/],
  ['impossible holiday', set('customers.0', 'holidays', ['2026-02-30']), 'customers[0].holidays[0]', /not a real date/],
  ['duplicate method', set(SITE, 'approved_methods', ['ssh', 'vnc', 'ssh']), `${P}.approved_methods[2]`, /"ssh" is listed twice/],
  ['lync and teams both', set(SITE, 'approved_methods', ['teams', 'lync']), `${P}.approved_methods[1]`, /"teams" is listed twice/],
  ['unknown method', set(SITE, 'approved_methods', ['ssh', 'telnet']), `${P}.approved_methods[1]`, /not an access method/],
  ['unknown component', set(SITE, 'components', ['acd', 'crm']), `${P}.components[1]`, /not a component/],
  ['oversize note body', set(`${SITE}.notes.0`, 'body', bigBody), `${P}.notes[0].body`, /at most 256 KiB/],
  ['bad host_key', set(`${HOST(0)}.ssh`, 'host_key', 'SHA256:tooshort'), `${P}.hosts[0].ssh.host_key`, /43 base64 characters/],
  ['MD5 host_key', set(`${HOST(0)}.ssh`, 'host_key', 'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48'), `${P}.hosts[0].ssh.host_key`, /SHA256/],
  ['bad cert_sha256', set(`${HOST(1)}.https`, 'cert_sha256', 'AB:CD'), `${P}.hosts[1].https.cert_sha256`, /32 hex byte pairs/],
  ['port 70000', set(`${HOST(0)}.ssh`, 'port', 70000), `${P}.hosts[0].ssh.port`, /between 1 and 65535/],
  ['port as text', set(`${HOST(1)}.vnc`, 'port', '5901'), `${P}.hosts[1].vnc.port`, /must be a number/],
  ['unquoted product version', set(SITE, 'product_version', 4.12), `${P}.product_version`, /quotes/],
  ['customer name with "/"', set('customers.0', 'name', 'Acme/Telecom'), 'customers[0].name', /may not contain "\/"/],
  ['host name with a space', set(HOST(0), 'name', 'bast ion'), `${P}.hosts[0].name`, /host name is 1–63/],
  ['zero seats', set(SITE, 'seats', 0), `${P}.seats`, /at least 1 seat/],
  ['no workdays', set('customers.0', 'workdays', []), 'customers[0].workdays', /at least one working day/],
  ['bad VPN client', set(`${SITE}.vpn`, 'client', 'pptp'), `${P}.vpn.client`, /not a VPN client/],
  ['duplicate YAML key', () => SAMPLE_PROFILE_YAML.replace('    package: premium\n', '    package: premium\n    package: premium\n'), '', /^line 5, column 5: Map keys must be unique/],
];

describe('parseProfile refuses bad documents, naming the field', () => {
  it.each(BAD)('%s', (_what, document, path, message) => {
    const error = parseError(document());
    expect(error.code).toBe('PROFILE_INVALID');
    const first = error.issues?.[0];
    expect(first, error.message).toBeDefined();
    expect(first!.path).toBe(path);
    expect(first!.message).toMatch(message);
    expect(error.message).toMatch(/Nothing was imported\.$/);
  });

  it('lists every problem, not just the first', () => {
    const text = sampleWith((doc) => {
      at(doc, HOST(0)).address = '127.1';
      at(doc, 'customers.1').timezone = 'Nowhere/Land';
    });
    const error = parseError(text);
    expect(error.issues!.map((i) => i.path)).toEqual([`${P}.hosts[0].address`, 'customers[1].timezone']);
    expect(error.message).toMatch(/\(and 1 more problem\)/);
  });

  it('has at least 20 rows', () => expect(BAD.length).toBeGreaterThanOrEqual(20));
});
