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

/** What a person should never have to read: a schema library's own words or a programmer's path. */
const RAW_SCHEMA_TEXT = /Invalid input|Invalid option|Unrecognized key|expected|received|\w\[\d+\]|customers\.|\bundefined\b|\bNaN\b|\bobject\b/i;
const bigBody = 'x'.repeat(256 * 1024 + 1);

/** [what, document text, expected path of the first issue, message pattern]. */
const BAD: [string, () => string, string, RegExp][] = [
  ['unknown top-level key', edit((d) => void (d.extra = 1)), '', /extra/],
  ['unknown customer key', set('customers.0', 'region', 'west'), 'customers[0]', /region/],
  ['unknown site key', set(SITE, 'seat', 3), P, /seat/],
  ['unknown host key', set(HOST(1), 'adress', '10.0.0.1'), `${P}.hosts[1]`, /adress/],
  ['unknown ssh key', set(`${HOST(1)}.ssh`, 'password', 'hunter2'), `${P}.hosts[1].ssh`, /password/],
  ['malformed YAML', () => 'version: 1\ncustomers:\n  - name: "Acme\n    package: premium\n', '', /^Line 5, column 1: a quote or bracket is opened but not closed .*not valid YAML/],
  ['broken JSON', () => '{"version": 1, "customers": [}', '', /^Line 1, column 30: .*not valid YAML or JSON/],
  ['empty file', () => '  \n\n', '', /empty/],
  ['a top-level list', () => '- version: 1\n', '', /mapping with "version" and "customers"/],
  ['a bare string', () => 'hello\n', '', /mapping/],
  ['version 2', edit((d) => void (d.version = 2)), 'version', /version 1/],
  ['customers missing', edit((d) => void delete (d as Partial<ProfileDoc>).customers), 'customers', /^Customer list: is missing, and it is required$/],
  ['duplicate customer (case-insensitive)', set('customers.1', 'name', 'ACME telecom'), 'customers[1].name', /^Customer 2 \(ACME telecom\), name: "ACME telecom" is already the name of customer 1$/],
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
  ['VNC jump to a missing host', set(`${HOST(1)}.vnc`, 'jump', 'bastion2'), `${P}.hosts[1].vnc.jump`, /"bastion2" is not a host of this site/],
  ['VNC jump to itself', set(`${HOST(1)}.vnc`, 'jump', 'app01'), `${P}.hosts[1].vnc.jump`, /its own VNC jump host/],
  ['VNC jump without SSH', set(`${HOST(1)}.vnc`, 'jump', 'vpn-gw'), `${P}.hosts[1].vnc.jump`, /"vpn-gw" has no SSH endpoint/],
  ['unknown VNC clipboard', set(`${HOST(1)}.vnc`, 'clipboard', 'from-engineer'), `${P}.hosts[1].vnc.clipboard`, /not a clipboard setting; use one of off, to-engineer, both/],
  ['bad VNC tls_cert_sha256', set(`${HOST(1)}.vnc`, 'tls_cert_sha256', 'AB:CD'), `${P}.hosts[1].vnc.tls_cert_sha256`, /32 hex byte pairs/],
  ['unquoted product version', set(SITE, 'product_version', 4.12), `${P}.product_version`, /quotes/],
  ['customer name with "/"', set('customers.0', 'name', 'Acme/Telecom'), 'customers[0].name', /may not contain "\/"/],
  ['host name with a space', set(HOST(0), 'name', 'bast ion'), `${P}.hosts[0].name`, /host name is 1–63/],
  ['zero seats', set(SITE, 'seats', 0), `${P}.seats`, /at least 1 seat/],
  ['no workdays', set('customers.0', 'workdays', []), 'customers[0].workdays', /at least one working day/],
  ['bad VPN client', set(`${SITE}.vpn`, 'client', 'pptp'), `${P}.vpn.client`, /not a VPN client/],
  ['duplicate YAML key', () => SAMPLE_PROFILE_YAML.replace('    package: premium\n', '    package: premium\n    package: premium\n'), '', /^Line 5, column 5: the same key appears twice in one mapping/],
];

describe('parseProfile refuses bad documents, naming the field', () => {
  it.each(BAD)('%s', (_what, document, path, message) => {
    const error = parseError(document());
    expect(error.code).toBe('PROFILE_INVALID');
    const first = error.issues?.[0];
    expect(first, error.message).toBeDefined();
    expect(first!.path).toBe(path);
    expect(first!.message).toMatch(message);
    for (const text of [error.message, ...error.issues!.map((i) => i.message)]) expect(text).not.toMatch(RAW_SCHEMA_TEXT);
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

const drop = (where: string, key: string) => edit((doc) => void delete at(doc, where)[key]);
const replaceText = (from: string, to: string) => () => {
  expect(SAMPLE_PROFILE_YAML).toContain(from);
  return SAMPLE_PROFILE_YAML.replace(from, to);
};
const ACME = 'Customer 1 (Acme Telecom)';
const MUMBAI = `${ACME}, site 1 (mumbai-prod)`;

/** [what, document text, where the first problem is (in words), what is wrong]. */
const IN_WORDS: [string, () => string, string, RegExp][] = [
  ['sites as text', set('customers.0', 'sites', 'pune-dr'), `${ACME}, site list`, /^should be a list \(lines starting with "- "\), but it is the text "pune-dr"$/],
  ['customers as text', edit((d) => void ((d as Record<string, unknown>).customers = 'Acme')), 'Customer list', /^should be a list .*but it is the text "Acme"$/],
  ['hosts as a mapping', set(SITE, 'hosts', { name: 'app01' }), `${MUMBAI}, host list`, /^should be a list .*but it is a mapping of keys and values$/],
  ['seats as text', set(SITE, 'seats', 'many'), `${MUMBAI}, seats`, /.+/],
  ['agent as text', set(`${HOST(1)}.ssh`, 'agent', 'yes'), `${MUMBAI}, host 2 (app01), SSH agent setting`, /^agent is true or false$/],
  ['holidays as one string', set('customers.0', 'holidays', '2026-01-26'), `${ACME}, holidays`, /.+/],
  ['a host as a list', set(SITE, 'hosts', [['app01']]), `${MUMBAI}, host 1`, /^should be a mapping of keys and values, but it is a list$/],
  ['unknown contact key', set('customers.0.contacts.0', 'mobile', '+91'), `${ACME}, contact 1 (Priya Nair)`, /^"mobile" is not a field Switchboard knows here/],
  ['two unknown keys', edit((d) => void Object.assign(at(d, HOST(0)), { colour: 'blue', size: 2 })), `${MUMBAI}, host 1 (bastion)`, /^"colour", "size" are not fields Switchboard knows here/],
  ['site without seats', drop(SITE, 'seats'), `${MUMBAI}, seats`, /^is missing, and it is required$/],
  ['customer without time zone', drop('customers.0', 'timezone'), `${ACME}, time zone`, /^is missing, and it is required$/],
  ['host without a name', drop(HOST(1), 'name'), `${MUMBAI}, host 2, name`, /^is missing, and it is required$/],
  ['VPN without gateway', drop(`${SITE}.vpn`, 'gateway'), `${MUMBAI}, VPN gateway`, /^is missing, and it is required$/],
  ['note without a body', drop(`${SITE}.notes.0`, 'body'), `${MUMBAI}, note 1 (DB retention), body`, /^is missing, and it is required$/],
  ['support package gold', set('customers.0', 'package', 'gold'), `${ACME}, support package`, /.+/],
  ['a weekday that is not one', set('customers.0', 'workdays', ['mon', 'funday']), `${ACME}, working day 2 (funday)`, /.+/],
  ['retention as text', set(SITE, 'retention', '90 days'), `${MUMBAI}, retention`, /^should be a mapping of keys and values, but it is the text "90 days"$/],
  ['a file-transfer folder that is not absolute', set(SITE, 'files', { transfer: 'download', folders: ['/var/log/ameyo', 'tmp'] }), `${MUMBAI}, file transfer folder 2 (tmp)`, /^"tmp" is not an absolute path; a folder starts with "\/"/],
  ['a file-transfer folder with NUL', set(SITE, 'files', { transfer: 'download', folders: ['/tmp\u0000x'] }), `${MUMBAI}, file transfer folder 1 (/tmp\u0000x)`, /control characters/],
  ['a file-transfer setting it does not know', set(SITE, 'files', { transfer: 'upload' }), `${MUMBAI}, file transfer setting`, /^not a file-transfer setting; use one of off, download, both$/],
  ['files without transfer', set(SITE, 'files', { folders: ['/tmp'] }), `${MUMBAI}, file transfer setting`, /^is missing, and it is required$/],
  ['files as text', set(SITE, 'files', 'download'), `${MUMBAI}, file transfer`, /^should be a mapping of keys and values, but it is the text "download"$/],
  ['a tab as indentation', replaceText('    package: premium\n', '\tpackage: premium\n'), 'Line', /not valid YAML or JSON/],
  ['an unclosed bracket', () => 'version: 1\ncustomers: [\n', 'Line', /not valid YAML or JSON/],
  ['a key that runs on', () => 'version: 1\ncustomers\n  - name: x\n', 'Line', /not valid YAML or JSON/],
];

describe('parseProfile says what is wrong and where in words, never in schema text', () => {
  it.each(IN_WORDS)('%s', (_what, document, where, wrong) => {
    const error = parseError(document());
    expect(error.code).toBe('PROFILE_INVALID');
    const message = error.issues![0]!.message;
    const [location, what] = where === 'Line' ? [message.replace(/: .*$/, ''), message.replace(/^Line \d+, column \d+: /, '')] : [message.slice(0, where.length), message.slice(where.length + 2)];
    expect(location, message).toMatch(where === 'Line' ? /^Line \d+, column \d+$/ : new RegExp(`^${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(what, message).toMatch(wrong);
    for (const text of [error.message, ...error.issues!.map((i) => i.message)]) expect(text).not.toMatch(RAW_SCHEMA_TEXT);
  });
});

describe('a site\'s file-transfer setting (files)', () => {
  it('is absent unless written, and read with its folders tidied', () => {
    expect(parseProfile(SAMPLE_PROFILE_YAML).customers[0]!.sites[0]!.files).toBeUndefined();
    const file = parseProfile(sampleWith((doc) => void (at(doc, SITE).files = { transfer: 'download', folders: ['/var/log/ameyo/', '//tmp//support'] })));
    expect(file.customers[0]!.sites[0]!.files).toEqual({ transfer: 'download', folders: ['/var/log/ameyo', '/tmp/support'] });
    expect(parseProfile(sampleWith((doc) => void (at(doc, SITE).files = { transfer: 'both' }))).customers[0]!.sites[0]!.files).toEqual({ transfer: 'both', folders: [] });
  });
});
