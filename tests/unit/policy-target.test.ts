import { describe, expect, it } from 'vitest';
import type { Host } from '../../contract/models';
import { checkResolvedAddresses, matchTarget } from '../../main/core/policy/target';

/** The issue's example: db01 recorded by name with a /28, a bastion recorded by IP, a gateway by IPv6. */
const HOSTS: Host[] = [
  { id: 1, siteId: 1, name: 'db01', address: 'db01.example', allow: ['10.40.1.0/28'] },
  { id: 2, siteId: 1, name: 'bastion', address: '203.0.113.10', allow: [] },
  { id: 3, siteId: 1, name: 'vpn-gw', address: '2001:db8::10', allow: ['2001:db8::/64'] },
];
const db01 = HOSTS[0]!;
const bastion = HOSTS[1]!;

describe('matchTarget: which trusted host a typed target names', () => {
  it.each([
    ['db01', 'db01', /"db01" is the trusted host db01/],
    ['DB01', 'db01', /trusted host db01/],
    ['db01.example', 'db01', /db01\.example is the address of the trusted host db01/],
    ['DB01.Example', 'db01', /address of the trusted host db01/],
    ['203.0.113.10', 'bastion', /203\.0\.113\.10 is the recorded IP address of the trusted host bastion/],
    ['2001:db8::10', 'vpn-gw', /recorded IP address of the trusted host vpn-gw/],
  ])('%j → %s', (typed, host, how) => {
    const match = matchTarget(HOSTS, typed);
    expect(match).toMatchObject({ ok: true, host: { name: host } });
    if (match.ok) expect(match.how).toMatch(how);
  });

  it.each([
    // In db01's allow-list, but not anybody's recorded address: the list opens nothing.
    ['10.40.1.12', /10\.40\.1\.12 is not the recorded address of any trusted host of this site\. It lies in db01's allow-list \(10\.40\.1\.0\/28\), but an allow-list only vouches for what db01\.example resolves to; it does not open the addresses in it\. Connect to db01 by name\./],
    ['10.40.1.0', /not the recorded address[^]*db01's allow-list/],
    ['2001:db8::11', /not the recorded address[^]*vpn-gw's allow-list/],
    // The same addresses in other spellings: refused, never normalised into a match.
    ['010.40.1.12', /canonical dotted-quad/],
    ['0x0a.40.1.12', /canonical dotted-quad/],
    ['10.40.300', /canonical dotted-quad/],
    ['167772172', /canonical dotted-quad/],
    ['0313.0.113.10', /canonical dotted-quad/],
    ['203.0.113.10.', /trailing dot/],
    ['::ffff:10.40.1.12', /IPv4 address dressed as IPv6/],
    ['::ffff:cb00:710a', /IPv4 address dressed as IPv6/],
    ['2001:DB8::10', /canonical form; write it as 2001:db8::10/],
    ['2001:db8:0:0:0:0:0:10', /write it as 2001:db8::10/],
    ['[2001:db8::10]', /without brackets/],
    ['2001:db8::10%eth0', /zone id \("%eth0"\)/],
    ['fe80::1%25eth0', /zone id/],
    ['db01.example.', /trailing dot/],
    ['10.40.1.99', /"10\.40\.1\.99" is not a trusted host of this site\./],
  ])('%j is refused', (typed, reason) => {
    const match = matchTarget(HOSTS, typed);
    expect(match.ok).toBe(false);
    if (!match.ok) expect(match.reason).toMatch(reason);
  });
});

describe('checkResolvedAddresses: the answers a host may be reached at', () => {
  it('allows a name whose every answer lies in its allow-list, and says it was resolved', () => {
    expect(checkResolvedAddresses(db01, ['10.40.1.12'])).toEqual({ ok: true, address: '10.40.1.12', reason: 'db01.example resolved to 10.40.1.12 just now, inside the allow-list; the session connects to 10.40.1.12' });
  });

  it('calls a recorded IP literal the host\'s own address (nothing was resolved)', () => {
    expect(checkResolvedAddresses(bastion, ['203.0.113.10'], false)).toEqual({ ok: true, address: '203.0.113.10', reason: "203.0.113.10 is bastion's own address; the session connects to 203.0.113.10" });
    const outside = checkResolvedAddresses({ ...bastion, allow: ['198.51.100.0/24'] }, ['203.0.113.10'], false);
    expect(outside).toEqual({ ok: false, reason: "bastion's own address 203.0.113.10 is outside bastion's allow-list (198.51.100.0/24)." });
  });

  it.each([
    [{ allow: ['0.0.0.0/0'] }, /db01's allow-list is refused, so no address can be trusted for it \(entry 1: "0\.0\.0\.0\/0" is every IPv4 address/],
    [{ allow: ['10.40.1.0/28', '10.0.0.0/8'] }, /entry 2: "10\.0\.0\.0\/8" is wider than \/16/],
    [{ allow: ['10.40.1.0/28', '127.0.0.1'] }, /entry 2: "127\.0\.0\.1" is in the loopback range/],
    [{ allow: ['10.40.1.0/28', '169.254.169.254', '224.0.0.0/4'] }, /entry 2: .*link-local.*; entry 3: .*multicast/],
    [{ address: '169.254.169.254', allow: [] }, /db01 cannot be trusted: 169\.254\.169\.254 is in the link-local range/],
    [{ address: '0.0.0.0', allow: [] }, /db01 cannot be trusted: 0\.0\.0\.0 is in the unspecified range/],
  ])('refuses to use stored data the forms would refuse today: %j', (change, reason) => {
    const result = checkResolvedAddresses({ ...db01, ...change }, ['10.40.1.12']);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('lets a loopback host (a lab) use a loopback allow-list', () => {
    const lab: Host = { id: 9, siteId: 1, name: 'lab01', address: 'localhost', allow: ['127.0.0.0/28', '::1'] };
    expect(checkResolvedAddresses(lab, ['127.0.0.1', '::1'])).toMatchObject({ ok: true, address: '127.0.0.1' });
  });
});
