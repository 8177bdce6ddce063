import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { forceVpnGateway } from '../../main/core/launchers/vpn-profile-gateway';
import { OPENVPN_MAX_LINE_BYTES, openVpnTokens, readVpnProfile } from '../../main/core/launchers/vpn-profile-rules';

const OVPN_HEAD = 'client\ndev tun\nproto udp\n';
/** The line number of the row's text inside OVPN_HEAD + text. */
const AFTER_HEAD = 4;

describe('OpenVPN: options that run a program are refused, naming the line and the option', () => {
  it.each([
    ['up /etc/openvpn/up.sh', 'up'],
    ['down /etc/openvpn/down.sh', 'down'],
    ['route-up /bin/sh', 'route-up'],
    ['route-pre-down /bin/sh', 'route-pre-down'],
    ['ipchange /bin/sh', 'ipchange'],
    ['tls-verify "/bin/sh -c id"', 'tls-verify'],
    ['auth-user-pass-verify /bin/check via-env', 'auth-user-pass-verify'],
    ['client-connect /bin/sh', 'client-connect'],
    ['client-disconnect /bin/sh', 'client-disconnect'],
    ['learn-address /bin/sh', 'learn-address'],
    ['plugin /usr/lib/openvpn/evil.so', 'plugin'],
    ['script-security 2', 'script-security'],
    ['script-security 3', 'script-security'],
    ['script-security 02', 'script-security'],
    ['script-security two', 'script-security'],
    ['iproute /tmp/not-ip', 'iproute'],
    ['config /etc/openvpn/other.conf', 'config'],
    ['tls-crypt-v2-verify /bin/sh', 'tls-crypt-v2-verify'],
    // The ways a line can spell the same option.
    ['   up /bin/sh', 'up'],
    ['\tup\t/bin/sh', 'up'],
    ['UP /bin/sh', 'up'],
    ['Route-Up /bin/sh', 'route-up'],
    ['--up /bin/sh', 'up'],
    ['"up" /bin/sh', 'up'],
    ["'up' /bin/sh", 'up'],
    ['up', 'up'],
    ['up /bin/sh # with a comment', 'up'],
    ['up\r', 'up'],
    ['\vup /bin/sh', 'up'],
    ['setenv opt up /bin/sh', 'up'],
    ['setenv opt --down /bin/sh', 'down'],
    ['<up>', 'up'],
    ['<plugin>', 'plugin'],
    ['<connection>', '<connection>'],
  ])('%j', (line, directive) => {
    const { problems } = readVpnProfile('openvpn', `${OVPN_HEAD}${line}\nremote vpn.acme.example 1194\n`);
    expect(problems).toEqual([expect.objectContaining({ line: AFTER_HEAD, directive })]);
    expect(problems[0]!.message).toMatch(/remove the line|top level|only 0 or 1/);
  });
});

describe('OpenVPN: look-alikes, comments and inline blocks pass', () => {
  it.each([
    ['remote-random'],
    ['remote-random-hostname'],
    ['remote-cert-tls server'],
    ['upload 1'],
    ['up-delay'],
    ['up-restart'],
    ['down-pre'],
    ['route-delay 2'],
    ['script-security 1'],
    ['script-security 0'],
    ['setenv FOO up'],
    ['setenv opt block-outside-dns'],
    ['# up /bin/sh'],
    ['; up /bin/sh'],
    ['   # up /bin/sh'],
    ['\t; down /bin/sh'],
    ['#up /bin/sh'],
    ['up\\ x /bin/sh'],
    ['"up x" /bin/sh'],
    ['verb 3 # up /bin/sh'],
    ['<ca>\nup\ndown /bin/sh\n-----BEGIN CERTIFICATE-----\n</ca>'],
    ['<tls-crypt>\nplugin x\n</tls-crypt>'],
    ['<auth-user-pass>\nup\nsecret\n</auth-user-pass>'],
    [''],
    ['   '],
  ])('%j', (line) => {
    expect(readVpnProfile('openvpn', `${OVPN_HEAD}${line}\nremote vpn.acme.example 1194\n`).problems).toEqual([]);
  });

  it('reads options again after an inline block closes', () => {
    const text = `${OVPN_HEAD}<ca>\nx\n</ca>\nup /bin/sh\n`;
    expect(readVpnProfile('openvpn', text).problems).toEqual([expect.objectContaining({ line: 7, directive: 'up' })]);
  });

  it('lists every hook, each with its own line', () => {
    const text = 'client\nup /a\n# down /b\ndown /c\nscript-security 2\n';
    expect(readVpnProfile('openvpn', text).problems.map((p) => [p.line, p.directive])).toEqual([[2, 'up'], [4, 'down'], [5, 'script-security']]);
  });

  it('skips a UTF-8 byte-order mark as OpenVPN does', () => {
    expect(readVpnProfile('openvpn', '\uFEFFup /bin/sh\n').problems).toEqual([expect.objectContaining({ line: 1, directive: 'up' })]);
  });

  it('takes a lone carriage return as a blank inside the line, as fgets does (the comment hides the rest)', () => {
    expect(readVpnProfile('openvpn', '# note\rup /bin/sh\n').problems).toEqual([]);
  });
});

describe('OpenVPN: what could hide an option from this reading is refused', () => {
  it('a line longer than OpenVPN reads in one piece (the rest would be a line of its own)', () => {
    const long = `# ${'x'.repeat(OPENVPN_MAX_LINE_BYTES)} up /bin/sh`;
    expect(readVpnProfile('openvpn', `client\n${long}\n`).problems).toEqual([expect.objectContaining({ line: 2, directive: 'long line' })]);
    expect(readVpnProfile('openvpn', `client\n# ${'x'.repeat(OPENVPN_MAX_LINE_BYTES - 2)}\n`).problems).toEqual([]);
  });

  it('a NUL byte', () => {
    expect(readVpnProfile('openvpn', 'client\nverb 3\0\n').problems).toEqual([expect.objectContaining({ line: 2, directive: 'NUL' })]);
  });

  it('a remote with a bad port or protocol, or more than three parameters', () => {
    for (const remote of ['remote a 99999', 'remote a 1194 sctp', 'remote a 1194 udp extra', 'remote']) {
      expect(readVpnProfile('openvpn', `client\n${remote}\n`).problems, remote).toEqual([expect.objectContaining({ line: 2, directive: 'remote' })]);
    }
  });
});

describe('openVpnTokens follows parse_line', () => {
  it.each([
    ['remote a 1194', ['remote', 'a', '1194']],
    ['  remote  "a b"  1194 ', ['remote', 'a b', '1194']],
    ["ca 'C:\\dir\\ca.crt'", ['ca', 'C:\\dir\\ca.crt']],
    ['a\\ b c', ['a b', 'c']],
    ['a # b', ['a']],
    ['a ;b', ['a']],
    ['a#b', ['a#b']],
  ])('%j', (line, tokens) => {
    expect(openVpnTokens(line).tokens).toEqual(tokens);
  });
});

describe('WireGuard: hooks are refused in any spelling', () => {
  const WG = (line: string) => `[Interface]\nPrivateKey = x\n${line}\n\n[Peer]\nPublicKey = y\nEndpoint = vpn.acme.example:51820\n`;
  it.each([
    ['PreUp = /bin/sh', 'preup'],
    ['PostUp = iptables -A FORWARD -j ACCEPT', 'postup'],
    ['PreDown = /bin/sh', 'predown'],
    ['PostDown = /bin/sh', 'postdown'],
    ['postup = /bin/sh', 'postup'],
    ['POSTUP=/bin/sh', 'postup'],
    ['   PostUp   =   /bin/sh', 'postup'],
    ['\tPreDown\t= x', 'predown'],
    ['PostUp', 'postup'],
    ['PostUp = x # comment', 'postup'],
    ['Post Up = x', 'postup'],
    ['\u2003PostUp = x', 'postup'],
  ])('%j', (line, directive) => {
    const { problems } = readVpnProfile('wireguard', WG(line));
    expect(problems).toEqual([expect.objectContaining({ line: 3, directive })]);
  });

  it('refuses a hook in a [Peer] section too', () => {
    const text = '[Interface]\nPrivateKey = x\n[Peer]\nPublicKey = y\nPostUp = /bin/sh\nEndpoint = 203.0.113.1:51820\n';
    expect(readVpnProfile('wireguard', text).problems).toEqual([expect.objectContaining({ line: 5, directive: 'postup' })]);
  });

  it.each([
    ['# PostUp = /bin/sh'],
    ['   # PreUp = x'],
    ['Address = 10.0.0.2/32 # PostUp = x'],
    ['PostUpX = 1'],
    ['DNS = 10.0.0.1'],
    ['Table = off'],
    ['MTU = 1420'],
  ])('lets %j pass', (line) => {
    expect(readVpnProfile('wireguard', WG(line)).problems).toEqual([]);
  });

  it('needs exactly one Endpoint, in a [Peer], as HOST:PORT', () => {
    const problems = (text: string) => readVpnProfile('wireguard', text).problems.map((p) => [p.line, p.directive]);
    expect(problems('[Interface]\nPrivateKey = x\n[Peer]\nPublicKey = y\n')).toEqual([[0, 'endpoint']]);
    expect(problems('[Interface]\nEndpoint = a:1\n[Peer]\nEndpoint = b:2\n')).toEqual([[2, 'endpoint']]);
    expect(problems('[Peer]\nEndpoint = a:1\n[Peer]\nendpoint = b:2\n')).toEqual([[4, 'endpoint']]);
    expect(problems('[Peer]\nEndpoint = a\n')).toEqual([[2, 'endpoint']]);
    expect(problems('[peer]\nEnd point = [2001:db8::1]:51820\n')).toEqual([]);
  });
});

describe('openconnect and openfortivpn: options that run programs are refused', () => {
  it.each([
    ['openconnect', 'script=/tmp/vpnc-script', 'script'],
    ['openconnect', '  --csd-wrapper /tmp/x', 'csd-wrapper'],
    ['openconnect', 'script-tun', 'script-tun'],
    ['forticlient', 'pppd-plugin = /tmp/x.so', 'pppd-plugin'],
  ] as const)('%s %j', (client, line, directive) => {
    expect(readVpnProfile(client, `# profile\n${line}\n`).problems).toEqual([expect.objectContaining({ line: 2, directive })]);
  });

  it.each([
    ['openconnect', 'user=alice'],
    ['openconnect', '# script=/tmp/x'],
    ['forticlient', 'host = vpn.acme.example'],
  ] as const)('%s %j passes', (client, line) => {
    expect(readVpnProfile(client, `${line}\n`).problems).toEqual([]);
  });
});

describe('forceVpnGateway: the client can only reach the approved IP', () => {
  it('rewrites every OpenVPN remote to the IP, keeping ports and protocols, and leaves the rest', () => {
    const text = 'client\nremote vpn.acme.example 1194 udp\nremote "backup.evil.example" 443 tcp\nremote-random\n<ca>\nremote in.a.block 1\n</ca>\n';
    const forced = forceVpnGateway('openvpn', text, '203.0.113.7');
    expect(forced.text).toBe('client\nremote 203.0.113.7 1194 udp\nremote 203.0.113.7 443 tcp\nremote-random\n<ca>\nremote in.a.block 1\n</ca>\n');
    expect(forced.gateway).toBe('203.0.113.7 port 1194 (udp), 203.0.113.7 port 443 (tcp)');
    expect(forced.named).toEqual(['vpn.acme.example', 'backup.evil.example']);
    expect(readVpnProfile('openvpn', forced.text).endpoints.map((e) => e.host)).toEqual(['203.0.113.7', '203.0.113.7']);
  });

  it('adds a remote to an OpenVPN profile that names none', () => {
    expect(forceVpnGateway('openvpn', 'client\nport 1195\n', '2001:db8::7').text).toBe('client\nport 1195\nremote 2001:db8::7\n');
    expect(forceVpnGateway('openvpn', 'client', '203.0.113.7').text).toBe('client\nremote 203.0.113.7\n');
  });

  it('rewrites WireGuard\'s Endpoint to IP:port (IPv6 in brackets)', () => {
    const text = '[Interface]\nPrivateKey = x\n\n[Peer]\nPublicKey = y\n  endpoint = evil.example:51821\n';
    expect(forceVpnGateway('wireguard', text, '203.0.113.7').text).toBe('[Interface]\nPrivateKey = x\n\n[Peer]\nPublicKey = y\nEndpoint = 203.0.113.7:51821\n');
    expect(forceVpnGateway('wireguard', text, '2001:db8::7').gateway).toBe('[2001:db8::7]:51821');
  });

  it('refuses a name instead of an IP, and a profile with a hook', () => {
    expect(() => forceVpnGateway('openvpn', 'client\n', 'vpn.acme.example')).toThrow(ApiError);
    expect(() => forceVpnGateway('openvpn', 'client\nup /bin/sh\n', '203.0.113.7')).toThrow(/line 2/);
  });
});
