import { describe, expect, it } from 'vitest';
import type { Method } from '../../contract/domain/vocabulary';
import { updateHost } from '../../main/core/directory/hosts';
import { authorizeConnection } from '../../main/core/policy/authorize';
import type { ActiveApproval } from '../../main/core/approvals/exception-approvals';
import { findTicketIdByRef, ticketActions } from '../../main/core/tickets/tickets';
import { RecordingOpener, ScriptedResolver, seedAccess } from '../helpers/access';
import { useCores } from '../helpers/core';

type Site = 'mumbai' | 'pune' | 'berlin';
interface Row { target: string; method: Method; site?: Site; ticket?: string; presenter?: boolean; dns?: (string[] | Error)[]; reason: RegExp }

const APP01 = 'app01.acme.example';

/** Every row must be denied, with a reason that names what is wrong. */
const DENIED: Row[] = [
  // Obfuscated IPv4 and IPv6 tricks.
  { target: '0x7f.1', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '2130706433', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '127.1', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '010.20.0.11', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '10.20.0.011', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '0x0a.0x14.0x00.0x0b', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '0xa14000b', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '10.20.11', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '::ffff:10.20.0.11', method: 'ssh', reason: /IPv4 address dressed as IPv6/ },
  { target: '::ffff:a14:b', method: 'ssh', reason: /IPv4 address dressed as IPv6/ },
  { target: '::10.20.0.11', method: 'ssh', reason: /IPv4 address dressed as IPv6/ },
  { target: '2001:DB8::10', method: 'vpn', reason: /canonical form/ },
  { target: '2001:db8:0:0:0:0:0:10', method: 'vpn', reason: /canonical form; write it as 2001:db8::10/ },
  { target: '[2001:db8::10]', method: 'vpn', reason: /without brackets/ },
  // Userinfo, ports, paths, escapes, trailing dots, whitespace.
  { target: `support@${APP01}`, method: 'ssh', reason: /userinfo/ },
  { target: `${APP01}:22`, method: 'ssh', reason: /not a valid IPv6|not usable/ },
  { target: `${APP01}/admin`, method: 'ssh', reason: /not allowed in a host address/ },
  { target: 'app01%2eacme.example', method: 'ssh', reason: /not allowed in a host address/ },
  { target: `${APP01}.`, method: 'ssh', reason: /trailing dot/ },
  { target: 'APP01.ACME.EXAMPLE.', method: 'ssh', reason: /trailing dot/ },
  { target: 'app 01', method: 'ssh', reason: /not allowed in a host address/ },
  { target: `${APP01}\nbastion`, method: 'ssh', reason: /not allowed in a host address/ },
  { target: '10.20.0.11/32', method: 'ssh', reason: /not allowed in a host address/ },
  // Look-alikes: Cyrillic а (U+0430), fullwidth letters that fold to ASCII.
  { target: 'аpp01.acme.example', method: 'ssh', reason: /not a trusted host.*non-ASCII.*xn--/s },
  { target: 'app01.acme.exаmple', method: 'ssh', reason: /not a trusted host.*non-ASCII/s },
  { target: 'ａｐｐ01.acme.example', method: 'ssh', reason: /look-alike characters.*plain ASCII/ },
  // A typed IP inside a host's allow-list is not that host: the list vouches for what the name
  // resolves to, it opens no address of its own — even the very IP the name resolves to now.
  { target: '10.20.0.11', method: 'vnc', reason: /10\.20\.0\.11 is not the recorded address of any trusted host of this site\. It lies in app01's allow-list \(10\.20\.0\.11\/32\), but an allow-list only vouches for what app01\.acme\.example resolves to[^]*Connect to app01 by name/ },
  { target: '10.20.0.11', method: 'ssh', dns: [['10.20.0.11']], reason: /not the recorded address of any trusted host/ },
  { target: '2001:db8::11', method: 'vpn', reason: /not the recorded address of any trusted host[^]*vpn-gw's allow-list/ },
  // The same address written another way is refused, never normalised into a match.
  { target: '010.20.0.11', method: 'vnc', reason: /canonical dotted-quad/ },
  { target: '203.0.113.010', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '0xcb.0.113.10', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '203.0.29450', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '3405803786', method: 'ssh', reason: /canonical dotted-quad/ },
  { target: '::ffff:203.0.113.10', method: 'ssh', reason: /IPv4 address dressed as IPv6/ },
  { target: '::ffff:cb00:710a', method: 'ssh', reason: /IPv4 address dressed as IPv6/ },
  { target: '203.0.113.10.', method: 'ssh', reason: /trailing dot/ },
  { target: '2001:db8::10%eth0', method: 'vpn', reason: /zone id/ },
  { target: '2001:0db8::10', method: 'vpn', reason: /canonical form; write it as 2001:db8::10/ },
  { target: '[2001:db8::10]:1194', method: 'vpn', reason: /without brackets/ },
  // Not a trusted host of this site.
  { target: '10.20.0.12', method: 'ssh', reason: /not a trusted host/ },
  { target: 'evil.example', method: 'ssh', reason: /not a trusted host/ },
  { target: `${APP01}.evil.example`, method: 'ssh', reason: /not a trusted host/ },
  { target: 'dr01', method: 'ssh', reason: /not a trusted host/ },
  { target: 'web01', method: 'https', reason: /not a trusted host/ },
  // DNS answers outside the allow-list, or not usable.
  { target: 'app01', method: 'ssh', dns: [['10.20.0.99']], reason: /resolved to 10\.20\.0\.99, which is outside app01's allow-list/ },
  { target: 'app01', method: 'ssh', dns: [['10.20.0.11', '198.51.100.7']], reason: /outside app01's allow-list/ },
  { target: 'app01', method: 'ssh', dns: [['::ffff:10.20.0.11']], reason: /dressed as IPv6/ },
  { target: 'app01', method: 'ssh', dns: [['0x0a.0x14.0.0x0b']], reason: /not a plain IP address/ },
  { target: 'app01', method: 'ssh', dns: [[]], reason: /did not resolve/ },
  { target: 'app01', method: 'ssh', dns: [new Error('SERVFAIL')], reason: /could not be resolved: SERVFAIL/ },
  { target: 'web01', method: 'https', site: 'berlin', ticket: 'GLX-1', dns: [['192.0.2.80']], reason: /no allow-list/ },
  // Endpoint not configured for the method, or not the gateway.
  { target: 'bastion', method: 'vnc', reason: /no VNC endpoint/ },
  { target: 'agent-pc-07', method: 'ssh', reason: /no SSH endpoint/ },
  { target: 'app01', method: 'vpn', dns: [['10.20.0.11']], reason: /not the site's VPN gateway \(vpn-gw is\)/ },
  { target: 'bastion', method: 'teamviewer', reason: /no TeamViewer ID/ },
  { target: 'bastion', method: 'anydesk', reason: /no AnyDesk ID/ },
  // Ticket and approval rules.
  { target: 'dr01', method: 'ssh', site: 'pune', ticket: 'EXO-2', reason: /SSH is not approved.*no exception approval for it signed by a lead/ },
  { target: 'app01', method: 'ssh', ticket: 'EXO-2', dns: [['10.20.0.11']], reason: /belongs to Acme Telecom\/pune-dr/ },
  { target: 'app01', method: 'ssh', ticket: 'EXO-404', reason: /no ticket "EXO-404".*no session without a ticket/ },
  // Meeting links: scheme, domain and presenter rules.
  { target: 'https://teams.microsoft.com.evil.io/l/meetup-join/1', method: 'teams', presenter: true, reason: /teams|domain/i },
  { target: 'https://evilwebex.com/meet/x', method: 'webex', presenter: true, reason: /webex|domain/i },
  { target: 'http://acme.webex.com/meet/x', method: 'webex', presenter: true, reason: /https/i },
  { target: 'https://user@acme.webex.com/meet/x', method: 'webex', presenter: true, reason: /user|credential|@/i },
  { target: 'javascript:alert(1)', method: 'teams', presenter: true, reason: /https|link|URL/i },
  { target: 'https://acme.webex.com/meet/x', method: 'webex', presenter: false, reason: /Confirm that the customer is presenting/ },
];

const ALLOWED: (Row & { address: string | null })[] = [
  { target: 'app01', method: 'ssh', dns: [['10.20.0.11']], address: '10.20.0.11', reason: /inside the allow-list/ },
  { target: 'APP01', method: 'ssh', dns: [['10.20.0.11']], address: '10.20.0.11', reason: /trusted host app01/ },
  { target: 'App01.Acme.Example', method: 'https', dns: [['10.20.0.11']], address: '10.20.0.11', reason: /address of the trusted host app01/ },
  { target: '203.0.113.10', method: 'ssh', address: '203.0.113.10', reason: /203\.0\.113\.10 is the recorded IP address of the trusted host bastion[^]*203\.0\.113\.10 is bastion's own address/ },
  { target: '2001:db8::10', method: 'vpn', address: '2001:db8::10', reason: /recorded IP address of the trusted host vpn-gw/ },
  { target: 'bastion', method: 'ssh', address: '203.0.113.10', reason: /bastion's own address/ },
  { target: 'vpn-gw', method: 'vpn', address: '2001:db8::10', reason: /VPN gateway/ },
  { target: 'agent-pc-07', method: 'anydesk', address: null, reason: /AnyDesk ID 123456789/ },
  { target: 'agent-pc-07', method: 'teamviewer', address: null, reason: /TeamViewer ID 987654321/ },
  { target: 'https://acme.webex.com/meet/support', method: 'webex', presenter: true, address: null, reason: /customer is presenting/ },
  { target: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting', method: 'teams', presenter: true, address: null, reason: /own https domain/ },
];

describe('the connection policy (authorizeConnection)', () => {
  const newCore = useCores();

  const decide = async (row: Row) => {
    const resolver = new ScriptedResolver({ [APP01]: [...(row.dns ?? [])], 'web01.globex.example': [...(row.dns ?? [])] });
    const core = newCore({ resolver, opener: new RecordingOpener(), engineer: 'tester' });
    const sites = seedAccess(core);
    return core.services.policy.check({ siteId: sites[row.site ?? 'mumbai'], target: row.target, method: row.method, ticket: row.ticket ?? 'EXO-1', presenterConfirmed: row.presenter ?? false });
  };

  it(`has at least 40 rows of bad targets and links (${DENIED.length})`, () => {
    expect(DENIED.length).toBeGreaterThanOrEqual(40);
  });

  it.each(DENIED)('denies $method to $target', async (row) => {
    const decision = await decide(row);
    expect(decision.allowed).toBe(false);
    expect(decision.address).toBeNull();
    expect(decision.reasons.join('\n')).toMatch(row.reason);
  });

  it.each(ALLOWED)('allows $method to $target', async (row) => {
    const decision = await decide(row);
    expect(decision.reasons.join('\n')).toMatch(row.reason);
    expect(decision.allowed).toBe(true);
    expect(decision.address).toBe(row.address);
  });

  it('denies a closed ticket, and allows it again once reopened', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener() });
    const sites = seedAccess(core);
    const id = findTicketIdByRef(core.db, 'EXO-1')!;
    ticketActions.resolve(core.db, id, 'tester');
    const request = { siteId: sites.mumbai, target: 'bastion', method: 'ssh' as const, ticket: 'EXO-1' };
    await expect(core.services.policy.check(request)).resolves.toMatchObject({ allowed: false, reasons: [expect.stringMatching(/EXO-1 is resolved; reopen it/)] });
    ticketActions.reopen(core.db, id, 'tester', 'came back');
    await expect(core.services.policy.check(request)).resolves.toMatchObject({ allowed: true });
  });

  it('no longer honours an approval recorded with a typed "approved by" name', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener() });
    const sites = seedAccess(core);
    const dr01 = core.db.prepare("SELECT id FROM hosts WHERE name = 'dr01'").get() as { id: number };
    updateHost(core.db, dr01.id, { name: 'dr01', address: '10.30.0.5', allow: [], ssh: { port: 22 } });
    // As rows from before lead-signed approvals are: a name anyone could type.
    core.db.prepare("INSERT INTO method_approvals (site_id, method, approved_by, reason, valid_until, recorded_by, recorded_at) VALUES (?, 'ssh', 'Priya Nair', 'DR drill', '2999-01-01T00:00:00Z', 'tester', '2026-01-01T00:00:00Z')").run(sites.pune);
    const decision = await core.services.policy.check({ siteId: sites.pune, target: 'dr01', method: 'ssh', ticket: 'EXO-2' });
    expect(decision).toMatchObject({ allowed: false });
    expect(decision.reasons.join('\n')).toMatch(/no exception approval for it signed by a lead/);
    expect((await core.services.approvals.list(sites.pune)).legacy).toMatchObject([{ approvedBy: 'Priya Nair' }]);
  });

  const lead = { name: 'Lena Park', email: 'lena@example.com', fingerprint: 'SHA256:lead' };
  const exception = (host: string | null, until = '2999-01-01T00:00:00Z'): ActiveApproval => ({
    id: '3f0c2a4e-1111-4222-8333-944455556666', host, ticket: 'EXO-2', reason: 'DR drill', validUntil: until, lead, sha256: 'ab'.repeat(32),
  });
  it.each([
    ['no approval in force', [], 'dr01', false, /no exception approval for it signed by a lead/],
    ['an approval for any host of the site', [exception(null)], 'dr01', true, /exception signed by Lena Park \(SHA256:lead\) until 2999/],
    ['an approval for this host', [exception('dr01')], 'dr01', true, /for dr01 \(DR drill; approval 3f0c2a4e/],
    ['an approval for another host only', [exception('dr02')], 'dr01', false, /covers only dr02, not dr01/],
  ] as const)('exceptions come only from lead-signed approvals: %s', async (_name, active, target, allowed, reason) => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener() });
    const sites = seedAccess(core);
    const dr01 = core.db.prepare("SELECT id FROM hosts WHERE name = 'dr01'").get() as { id: number };
    updateHost(core.db, dr01.id, { name: 'dr01', address: '10.30.0.5', allow: [], ssh: { port: 22 } });
    const asked: [number, Method][] = [];
    const decision = await authorizeConnection({ engineer: 'ravi', siteId: sites.pune, target, method: 'ssh', ticket: 'EXO-2' }, {
      db: core.db, resolver: new ScriptedResolver({}), now: () => new Date(),
      approvals: { active: (siteId, method) => (asked.push([siteId, method]), [...active]) },
    });
    expect(asked).toEqual([[sites.pune, 'ssh']]);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons.join('\n')).toMatch(reason);
    if (allowed) expect(decision.approval).toMatchObject({ id: exception(null).id, approvedBy: 'Lena Park', leadFingerprint: 'SHA256:lead', sha256: 'ab'.repeat(32) });
  });

  it.each([
    ['0.0.0.0/0', /app01's allow-list is refused[^]*"0\.0\.0\.0\/0" is every IPv4 address/],
    ['10.0.0.0/8', /app01's allow-list is refused[^]*wider than \/16/],
    ['169.254.169.254', /app01's allow-list is refused[^]*link-local/],
    ['127.0.0.1', /app01's allow-list is refused[^]*loopback is allowed only for a host whose own address is loopback/],
  ])('refuses to use a stored allow-list entry %j that the forms would refuse today', async (entry, reason) => {
    const resolver = new ScriptedResolver({ [APP01]: [['10.20.0.11']] });
    const core = newCore({ resolver, opener: new RecordingOpener() });
    const sites = seedAccess(core);
    // Written straight into the table, as data from before the rule (or edited around the forms) would be.
    core.db.prepare("INSERT INTO host_allow (host_id, position, cidr) SELECT id, 1, ? FROM hosts WHERE name = 'app01'").run(entry);
    const decision = await core.services.policy.check({ siteId: sites.mumbai, target: 'app01', method: 'ssh', ticket: 'EXO-1' });
    expect(decision).toMatchObject({ allowed: false, address: null });
    expect(decision.reasons.join('\n')).toMatch(reason);
  });

  it('refuses to use a stored host whose own address is link-local', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener() });
    const sites = seedAccess(core);
    core.db.prepare("UPDATE hosts SET address = '169.254.169.254' WHERE name = 'bastion'").run();
    const decision = await core.services.policy.check({ siteId: sites.mumbai, target: 'bastion', method: 'ssh', ticket: 'EXO-1' });
    expect(decision).toMatchObject({ allowed: false, address: null, reasons: [expect.stringMatching(/bastion cannot be trusted: 169\.254\.169\.254 is in the link-local range/)] });
  });

  it('connects to the address it checked: a name whose answer changes is looked up once', async () => {
    const resolver = new ScriptedResolver({ [APP01]: [['10.20.0.11'], ['198.51.100.66']] });
    const core = newCore({ resolver, opener: new RecordingOpener() });
    const sites = seedAccess(core);
    const result = await core.launches.open({ siteId: sites.mumbai, target: 'app01', method: 'ssh', ticket: 'EXO-1' }, { print: true });
    expect(resolver.lookups).toEqual([APP01]);
    expect(result.launch).toMatchObject({ kind: 'command' });
    expect(result.message).toContain('support@10.20.0.11');
    expect(core.sessionLog.get(result.sessionId).record).toMatchObject({ address: '10.20.0.11', decision: 'allow' });
    const next = await core.services.policy.check({ siteId: sites.mumbai, target: 'app01', method: 'ssh', ticket: 'EXO-1' });
    expect(next).toMatchObject({ allowed: false, reasons: [expect.stringMatching(/198\.51\.100\.66, which is outside/)] });
  });
});
