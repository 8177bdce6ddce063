import { describe, expect, it } from 'vitest';
import { allowListIssues, hostAddressProblem, isLoopbackAddress } from '../../contract/domain/allow-range';
import { hostFields } from '../../contract/inputs';
import { hostSchema } from '../../main/core/profiles/schema';

const NAME_HOST = 'app01.acme.example';

/** Entries no allow-list may hold, whatever the host, each with the words the refusal must use. */
const REFUSED: [entry: string, reason: RegExp][] = [
  ['0.0.0.0/0', /every IPv4 address/],
  ['::/0', /every IPv6 address/],
  ['10.0.0.0/8', /wider than \/16 \(16,777,216 addresses\)/],
  ['10.40.0.0/15', /wider than \/16/],
  ['128.0.0.0/1', /wider than \/16/],
  ['2001:db8::/32', /wider than \/48 \(2\^96 addresses\)/],
  ['2001:db8::/47', /wider than \/48/],
  ['0.0.0.0', /is in the unspecified range 0\.0\.0\.0\/8/],
  ['0.0.0.0/32', /unspecified/],
  ['0.0.0.0/16', /unspecified/],
  ['::', /is the unspecified address ::/],
  ['::/128', /unspecified address ::/],
  ['::/64', /covers the unspecified address ::/],
  ['169.254.169.254', /is in the link-local range 169\.254\.0\.0\/16 .*169\.254\.169\.254/],
  ['169.254.169.254/32', /link-local/],
  ['169.254.0.0/16', /link-local/],
  ['169.254.0.0/24', /link-local/],
  ['fe80::1', /is in the link-local range fe80::\/10/],
  ['fe80::/64', /link-local/],
  ['febf::/48', /link-local/],
  ['224.0.0.1', /multicast range 224\.0\.0\.0\/4/],
  ['239.255.255.250/32', /multicast/],
  ['224.0.0.0/4', /is the multicast range/],
  ['224.0.0.0/3', /covers the multicast range/],
  ['ff02::1', /multicast range ff00::\/8/],
  ['ff05::/48', /multicast/],
  ['255.255.255.255', /is the broadcast address 255\.255\.255\.255/],
  ['255.255.255.255/32', /broadcast address/],
  ['255.255.0.0/16', /covers the broadcast address 255\.255\.255\.255/],
  ['240.0.0.1', /reserved/],
  ['127.0.0.1', /loopback range 127\.0\.0\.0\/8.*only for a host whose own address is loopback/],
  ['127.0.0.0/16', /loopback/],
  ['::1', /is the loopback address ::1.*own address is loopback/],
  // malformed entries keep their own reason
  ['10.40.1.1/28', /host bits set; did you mean 10\.40\.1\.0\/28\?/],
  ['010.40.1.0/28', /canonical dotted-quad/],
  ['::ffff:10.40.1.12', /IPv4 address dressed as IPv6/],
  ['db01.example', /is a name, not an IP address/],
];

const ACCEPTED = ['10.40.1.0/28', '10.40.1.12', '10.40.0.0/16', '192.168.1.0/24', '203.0.113.10/32', '2001:db8::/48', '2001:db8::10', '2001:db8:0:1::/64', '172.16.0.0/16', '100.64.0.0/16'];

describe('allow-list entries are never wider than /16 or /48 and never cover special addresses', () => {
  it.each(REFUSED)('refuses %j', (entry, reason) => {
    const issues = allowListIssues([entry], NAME_HOST);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(reason);
    expect(issues[0]!.message).not.toMatch(/Invalid input|expected|zod/i);
  });

  it.each(ACCEPTED)('accepts %j', (entry) => {
    expect(allowListIssues([entry], NAME_HOST)).toEqual([]);
  });

  it('reports every bad entry of a list, with its position, not only the first', () => {
    const issues = allowListIssues(['10.40.1.0/28', '0.0.0.0/0', '10.40.2.12', '169.254.169.254', '::/0'], NAME_HOST);
    expect(issues.map((i) => i.index)).toEqual([1, 3, 4]);
  });
});

describe('loopback is allowed only for a host whose own address is loopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.20.0.5', true],
    ['::1', true],
    ['localhost', true],
    ['lab.localhost', true],
    ['10.0.0.1', false],
    ['app01.acme.example', false],
    ['localhost.evil.example', false],
    [undefined, false],
  ] as const)('%j is loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it.each([
    ['127.0.0.1', ['127.0.0.1/32', '::1']],
    ['localhost', ['127.0.0.0/16', '::1']],
  ])('a loopback host %j may list %j', (address, allow) => {
    expect(allowListIssues(allow, address)).toEqual([]);
  });

  it('a loopback host is still held to the other rules', () => {
    expect(allowListIssues(['127.0.0.0/8', '0.0.0.0/0'], 'localhost').map((i) => i.message)).toEqual([
      expect.stringMatching(/wider than \/16/),
      expect.stringMatching(/every IPv4 address/),
    ]);
  });
});

describe("a host's own IP literal may not be a special address", () => {
  it.each([
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['224.0.0.251', /multicast/],
    ['ff02::1', /multicast/],
    ['255.255.255.255', /broadcast/],
  ])('refuses %j', (address, reason) => {
    expect(hostAddressProblem(address)).toMatch(reason);
  });

  it.each(['127.0.0.1', '::1', '10.40.1.12', '2001:db8::10', 'db01.example', 'localhost', undefined])('accepts %j', (address) => {
    expect(hostAddressProblem(address)).toBeNull();
  });
});

/** The two ways in that carry a host — the API/form schema and the profile file's — judge alike. */
describe.each([
  ['hosts.create / hosts.update fields', (address: string | undefined, allow: unknown) => hostFields.safeParse({ name: 'db01', address, allow })],
  ['a profile file host', (address: string | undefined, allow: unknown) => hostSchema.safeParse({ name: 'db01', address, allow })],
])('%s', (_, parse) => {
  const issues = (address: string | undefined, allow: unknown) => {
    const result = parse(address, allow);
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it('names every refused entry by its position', () => {
    expect(issues('db01.example', ['0.0.0.0/0', '10.40.1.0/28', '::/0', '127.0.0.1', '169.254.169.254'])).toEqual([
      { path: 'allow.0', message: expect.stringMatching(/"0\.0\.0\.0\/0" is every IPv4 address/) },
      { path: 'allow.2', message: expect.stringMatching(/"::\/0" is every IPv6 address/) },
      { path: 'allow.4', message: expect.stringMatching(/"169\.254\.169\.254" is in the link-local range/) },
      { path: 'allow.3', message: expect.stringMatching(/"127\.0\.0\.1" is in the loopback range/) },
    ]);
  });

  it('accepts loopback entries for a loopback host, and refuses a special own address', () => {
    expect(issues('127.0.0.1', ['127.0.0.1/32'])).toEqual([]);
    expect(issues('169.254.169.254', [])).toEqual([{ path: 'address', message: expect.stringMatching(/link-local.*cannot have that address/) }]);
  });

  it('says in words when the list is not a list', () => {
    expect(issues('db01.example', '10.40.1.0/28')).toEqual([{ path: 'allow', message: expect.stringMatching(/an allow-list is a list of IP addresses or CIDRs/) }]);
  });
});
