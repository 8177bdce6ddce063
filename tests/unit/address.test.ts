import { describe, expect, it } from 'vitest';
import { checkAddress, checkIpLiteral } from '../../contract/domain/address';
import { cidrContains, parseAllowEntry } from '../../contract/domain/cidr';

const CANONICAL_V4 = /canonical dotted-quad/;

describe('checkAddress accepts canonical addresses and stores DNS names lower-case, IDN as punycode', () => {
  it.each([
    ['10.0.0.1', 'ipv4', '10.0.0.1'],
    ['0.0.0.0', 'ipv4', '0.0.0.0'],
    ['255.255.255.255', 'ipv4', '255.255.255.255'],
    ['203.0.113.10', 'ipv4', '203.0.113.10'],
    ['::1', 'ipv6', '::1'],
    ['::', 'ipv6', '::'],
    ['2001:db8::1', 'ipv6', '2001:db8::1'],
    ['fe80::1', 'ipv6', 'fe80::1'],
    ['2001:db8::1:0:0:1', 'ipv6', '2001:db8::1:0:0:1'],
    ['app01.acme.example', 'dns', 'app01.acme.example'],
    ['APP01.Example.COM', 'dns', 'app01.example.com'],
    ['localhost', 'dns', 'localhost'],
    ['bücher.example', 'dns', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'dns', 'xn--bcher-kva.example'],
    ['1.2.3.4.example', 'dns', '1.2.3.4.example'],
    ['a-b.example', 'dns', 'a-b.example'],
  ] as const)('%j → %s %j', (input, kind, value) => {
    expect(checkAddress(input)).toEqual({ ok: true, address: { kind, value } });
  });
});

describe('checkAddress refuses what a resolver or URL parser would rewrite, and says why', () => {
  it.each([
    // obfuscated IPv4
    ['0x7f.1', CANONICAL_V4],
    ['0x7f000001', CANONICAL_V4],
    ['2130706433', CANONICAL_V4],
    ['127.1', CANONICAL_V4],
    ['010.0.0.1', CANONICAL_V4],
    ['127.0.0.01', CANONICAL_V4],
    ['1.2.3.256', CANONICAL_V4],
    ['1.2.3', CANONICAL_V4],
    ['1.2.3.4.5', CANONICAL_V4],
    ['host.123', CANONICAL_V4],
    ['example.0x1', CANONICAL_V4],
    // whitespace, userinfo, brackets, ports, escapes
    [' 10.0.0.1', /leading or trailing spaces/],
    ['10.0.0.1 ', /leading or trailing spaces/],
    ['', /empty/],
    ['host.example.', /trailing dot/],
    ['user@host', /userinfo/],
    ['[::1]', /without brackets/],
    ['1.2.3.4:22', /not a valid IPv6/],
    ['exa mple.com', /characters not allowed/],
    ['evil.com%00', /characters not allowed/],
    ['foo/bar', /characters not allowed/],
    ['host?x', /characters not allowed/],
    // IPv6 that is not canonical, or IPv4 dressed as IPv6
    ['::ffff:127.0.0.1', /IPv4 address dressed as IPv6/],
    ['::ffff:7f00:1', /IPv4 address dressed as IPv6/],
    ['::127.0.0.1', /IPv4 address dressed as IPv6/],
    ['0:0:0:0:0:0:0:1', /canonical form; write it as ::1$/],
    ['2001:DB8::1', /canonical form; write it as 2001:db8::1$/],
    ['2001:db8:0:0:0:0:0:1', /canonical form; write it as 2001:db8::1$/],
    ['2001:db8:0:1:0:0:0:1', /write it as 2001:db8:0:1::1$/],
    ['::0:1', /write it as ::1$/],
    ['1:2:3:4:5:6:7:8:9', /not a valid IPv6/],
    ['2001:db8::1::1', /not a valid IPv6/],
    ['12345::1', /not a valid IPv6/],
    ['fe80::1%eth0', /IPv6 zone id \("%eth0"\)/],
    ['fe80::1%25eth0', /zone id/],
    // DNS names that are not LDH
    ['a..b', /empty label/],
    ['.example', /empty label/],
    ['-bad.example', /not a valid DNS name/],
    ['bad-.example', /not a valid DNS name/],
    ['a_b.example', /not a valid DNS name/],
    ['*.example.com', /not a valid DNS name/],
    [`${'a'.repeat(64)}.example`, /not a valid DNS name/],
    ['xn--', /not a valid DNS name/],
    ['xn--zz.example', /not a valid DNS name/],
    [`${'a.'.repeat(127)}ab`, /longer than 253/],
  ])('%j', (input, reason) => {
    const result = checkAddress(input);
    expect(result.ok, `${JSON.stringify(input)} must be refused`).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('checkIpLiteral', () => {
  it('refuses a DNS name where an IP is required', () => {
    expect(checkIpLiteral('app.example')).toEqual({ ok: false, reason: '"app.example" is a name, not an IP address' });
  });
});

describe('parseAllowEntry', () => {
  it.each([
    ['10.0.0.0/8', 'ipv4', 8],
    ['10.20.0.11/32', 'ipv4', 32],
    ['10.20.0.11', 'ipv4', 32],
    ['0.0.0.0/0', 'ipv4', 0],
    ['2001:db8::/32', 'ipv6', 32],
    ['2001:db8::10', 'ipv6', 128],
    ['::/0', 'ipv6', 0],
  ] as const)('accepts %j as %s /%i', (text, kind, prefix) => {
    const result = parseAllowEntry(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.cidr).toMatchObject({ kind, prefix, text });
  });

  it.each([
    ['10.0.0.1/8', /host bits set; did you mean 10\.0\.0\.0\/8\?/],
    ['10.1.2.3/24', /did you mean 10\.1\.2\.0\/24\?/],
    ['2001:db8::1/32', /host bits set; did you mean 2001:db8::\/32\?/],
    ['2001:db8:1::/40', /did you mean 2001:db8::\/40\?/],
    ['10.0.0.0/33', /prefix length must be a whole number from 0 to 32/],
    ['10.0.0.0/08', /prefix length/],
    ['10.0.0.0/-1', /prefix length/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/8/8', /prefix length/],
    ['2001:db8::/129', /from 0 to 128/],
    ['app.example/32', /is a name, not an IP address/],
    ['010.0.0.0/8', CANONICAL_V4],
    ['::ffff:10.0.0.0/104', /IPv4 address dressed as IPv6/],
  ])('refuses %j', (text, reason) => {
    const result = parseAllowEntry(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('suggests a network that is itself accepted', () => {
    for (const text of ['10.0.0.1/8', '2001:db8::1/32', '2001:db8:0:1::1/48']) {
      const result = parseAllowEntry(text);
      if (result.ok) throw new Error(`${text} should have been refused`);
      const suggestion = /did you mean (\S+)\?/.exec(result.reason)?.[1];
      expect(suggestion, result.reason).toBeDefined();
      expect(parseAllowEntry(suggestion!).ok, `${suggestion} (suggested for ${text})`).toBe(true);
    }
  });
});

describe('cidrContains', () => {
  const cidr = (text: string) => {
    const result = parseAllowEntry(text);
    if (!result.ok) throw new Error(result.reason);
    return result.cidr;
  };
  it.each([
    ['10.0.0.0/8', 'ipv4', '10.255.1.2', true],
    ['10.0.0.0/8', 'ipv4', '11.0.0.0', false],
    ['10.0.0.0/8', 'ipv4', '9.255.255.255', false],
    ['10.20.0.11/32', 'ipv4', '10.20.0.11', true],
    ['10.20.0.11/32', 'ipv4', '10.20.0.12', false],
    ['10.20.0.11', 'ipv4', '10.20.0.11', true],
    ['0.0.0.0/0', 'ipv4', '203.0.113.9', true],
    ['192.168.1.0/24', 'ipv4', '192.168.1.255', true],
    ['192.168.1.0/24', 'ipv4', '192.168.2.0', false],
    ['2001:db8::/32', 'ipv6', '2001:db8:ffff::1', true],
    ['2001:db8::/32', 'ipv6', '2001:db9::1', false],
    ['::/0', 'ipv6', '2001:db8::1', true],
    ['2001:db8::10', 'ipv6', '2001:db8::10', true],
    ['2001:db8::10', 'ipv6', '2001:db8::11', false],
    // an IPv4 range never contains an IPv6 address, and the reverse, even /0
    ['0.0.0.0/0', 'ipv6', '::1', false],
    ['::/0', 'ipv4', '10.0.0.1', false],
  ] as const)('%s contains %s %s → %s', (range, kind, value, expected) => {
    expect(cidrContains(cidr(range), { kind, value })).toBe(expected);
  });
});
