import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { findVpnClient, vpnCommand, type VpnClient } from '../../main/core/launchers/vpn';

let dir = '';
const at = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-vpn-unit-'));
  for (const name of ['acme.ovpn', 'wg-acme.conf', 'acme profile $(id) `id`;x.ovpn', '-evil.ovpn', 'averyveryverylongname.conf', 'acme.ovpn.txt']) {
    fs.writeFileSync(at(name), 'client\n');
  }
  fs.mkdirSync(at('profiles.d'));
  fs.mkdirSync(at('bin'));
  fs.writeFileSync(at('bin/openconnect'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(at('bin/openvpn'), 'not executable\n', { mode: 0o644 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected a refusal, got a command');
}

describe('vpnCommand builds one argv element per value', () => {
  it.each([
    ['openvpn', 'acme.ovpn', 'vpn-gw.acme.example', 'openvpn', ['--config', '{p}']],
    ['openvpn', 'acme profile $(id) `id`;x.ovpn', '203.0.113.10', 'openvpn', ['--config', '{p}']],
    ['openconnect', 'acme.ovpn', 'vpn-gw.acme.example', 'openconnect', ['--config', '{p}', 'vpn-gw.acme.example']],
    ['openconnect', 'acme.ovpn', '2001:db8::1', 'openconnect', ['--config', '{p}', '[2001:db8::1]']],
    ['forticlient', 'acme.ovpn', '203.0.113.10', 'openfortivpn', ['--config', '{p}', '203.0.113.10']],
  ] as const)('%s %j %j', (client, profile, gateway, file, args) => {
    const profilePath = at(profile);
    expect(vpnCommand(client, profilePath, gateway)).toEqual({ file, args: args.map((a) => (a === '{p}' ? profilePath : a)) });
  });
});

describe('vpnCommand for WireGuard', () => {
  it('brings the interface up and carries the command that takes it down', () => {
    const profile = at('wg-acme.conf');
    expect(vpnCommand('wireguard', profile, '203.0.113.10')).toEqual({
      file: 'wg-quick',
      args: ['up', profile],
      teardown: { file: 'wg-quick', args: ['down', profile] },
    });
  });
});

describe('vpnCommand refuses profiles that are not an absolute path to an existing regular file', () => {
  it.each([
    ['', /required/],
    ['acme.ovpn', /not absolute/],
    ['./acme.ovpn', /not absolute/],
    ['../acme.ovpn', /not absolute/],
    ['~/acme.ovpn', /not absolute/],
    ['-c', /starts with "-"/],
    ['--script=/bin/sh', /starts with "-"/],
    ['--config=/etc/passwd', /starts with "-"/],
    ['{dir}/-evil.ovpn', /file name .* starts with "-"/],
    ['{dir}/missing.ovpn', /does not exist/],
    ['{dir}/acme.ovpn/x', /does not exist/],
    ['{dir}/profiles.d', /is a directory/],
    ['/dev/null', /not a regular file/],
    ['{dir}/acme.ovpn\n--up /bin/sh', /control character/],
    ['{dir}/acme.ovpn\u0000', /control character/],
    ['{dir}/acme.ovpn\r', /control character/],
  ] as const)('%j', (profile, reason) => {
    const error = refusal(() => vpnCommand('openvpn', profile.replace('{dir}', dir), 'vpn-gw.acme.example'));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(reason);
  });
  it.each([
    ['acme.ovpn', /ending in "\.conf"/],
    ['acme.ovpn.txt', /ending in "\.conf"/],
    ['averyveryverylongname.conf', /1–15 letters/],
  ])('wireguard %j', (profile, reason) => {
    expect(refusal(() => vpnCommand('wireguard', at(profile), '203.0.113.10')).message).toMatch(reason);
  });
});

describe('vpnCommand refuses gateways that are not a canonical address', () => {
  it.each([
    ['--script=/bin/sh', /not allowed in a host address|not a valid DNS name/],
    ['-c', /not a valid DNS name/],
    ['-gw.acme.example', /not a valid DNS name/],
    ['x; rm -rf /', /not allowed in a host address/],
    ['$(id)', /not a valid DNS name/],
    ['`id`', /not a valid DNS name/],
    ['gw|id', /not a valid DNS name/],
    ['gw&id', /not a valid DNS name/],
    ['a b', /not allowed in a host address/],
    ['gw.acme.example ', /leading or trailing spaces/],
    ['gw.acme.example\n', /leading or trailing spaces|not allowed/],
    ['', /empty/],
    ['0x7f.1', /canonical dotted-quad/],
    ['127.1', /canonical dotted-quad/],
    ['2130706433', /canonical dotted-quad/],
    ['user@gw.acme.example', /userinfo/],
    ['[2001:db8::1]', /without brackets/],
    ['gw.acme.example:443', /not a valid IPv6/],
    ['2001:DB8::1', /canonical form/],
    ['GW.Acme.Example', /canonical form; write it as gw\.acme\.example/],
    ['gw.acme.example.', /trailing dot/],
    ['gw.acme.example/x', /not allowed in a host address/],
    ['gw%2eevil.io', /not allowed in a host address/],
  ])('%j', (gateway, reason) => {
    const error = refusal(() => vpnCommand('openconnect', at('acme.ovpn'), gateway));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(reason);
  });
  it('openfortivpn cannot take an IPv6 gateway', () => {
    expect(refusal(() => vpnCommand('forticlient', at('acme.ovpn'), '2001:db8::1')).message).toMatch(/IPv6/);
  });
  it('validates the gateway for clients that read it from the profile too', () => {
    expect(refusal(() => vpnCommand('openvpn', at('acme.ovpn'), '$(id)')).code).toBe('INVALID_INPUT');
    expect(refusal(() => vpnCommand('wireguard', at('wg-acme.conf'), '-c')).code).toBe('INVALID_INPUT');
  });
  it.each(['ssh', 'openvpn;', 'OpenVPN', 'toString'])('refuses client %j', (client) => {
    expect(refusal(() => vpnCommand(client as VpnClient, at('acme.ovpn'), '203.0.113.10')).message).toMatch(/not a VPN client/);
  });
});

describe('findVpnClient', () => {
  it('finds an executable program on the given PATH and ignores non-executable files', () => {
    expect(findVpnClient('openconnect', at('bin'))).toBe(at('bin/openconnect'));
    expect(findVpnClient('openvpn', at('bin'))).toBeNull();
    expect(findVpnClient('wireguard', at('bin'))).toBeNull();
    expect(findVpnClient('forticlient', '')).toBeNull();
  });
});
