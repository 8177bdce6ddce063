import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Site } from '../../contract/models';
import type { TestCore as Core } from '../helpers/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { RecordingOpener, ScriptedResolver, seedAccess } from '../helpers/access';
import { call, callError, customerFields, siteFields, useCores } from '../helpers/core';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * A VPN profile is checked when it is set, kept as Switchboard's own copy under its SHA-256, and each
 * session starts from a derived copy whose remote/Endpoint is the IP the policy approved — whatever
 * the profile file names. The clients are stand-ins on PATH that print the profile they were given
 * (no tunnel can be made here); the gateway vpn-gw is at 2001:db8::10.
 */
describe('VPN profiles: checked copies and the forced gateway', () => {
  const newCore = useCores();

  /**
   * A stand-in client that prints the profile it was started with (then leaves a `printed` file beside
   * itself, so a test can wait for it), then runs until stopped.
   */
  const standIn = (program: string, script: string) => {
    const bin = makeTempDir('switchboard-vpn-bin-');
    fs.writeFileSync(path.join(bin, program), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  };
  const PRINTED = 'touch "$(dirname "$0")/printed"';
  const openvpn = () => standIn('openvpn', `echo "== $2"; cat "$2"; echo "== end"; ${PRINTED}; trap "exit 0" TERM; while true; do sleep 0.1; done`);
  const wgQuick = () => standIn('wg-quick', `echo "== $1 $2"; cat "$2"; echo "== end"; ${PRINTED}; exit 0`);
  /** Resolves once the stand-in on `env`'s PATH has printed its profile. */
  const profilePrinted = (env: NodeJS.ProcessEnv) =>
    expect.poll(() => fs.existsSync(path.join(env.PATH!.split(':')[0]!, 'printed')), { timeout: 10_000 }).toBe(true);

  const profileFile = (name: string, text: string) => {
    const file = path.join(makeTempDir('switchboard-vpn-profile-'), name);
    fs.writeFileSync(file, text);
    return file;
  };
  const storedCopies = (core: Core) => {
    const dir = path.join(core.dataDir, 'vpn-profiles');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  const HOSTILE_OVPN = 'client\ndev tun\nremote vpn.evil.example 443 tcp\nremote 198.51.100.9 1194\n<ca>\nremote inside.a.cert 1\n</ca>\n';

  it('OpenVPN connects to the approved IP even when the profile names other servers; the derived copy goes with the session', async () => {
    const env = openvpn();
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env });
    const sites = seedAccess(core, HOSTILE_OVPN);
    const site = await call<Site>(core, 'sites.get', { id: sites.mumbai });
    const sha = site.vpn!.profileSha256!;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const copy = path.join(core.dataDir, 'vpn-profiles', `${sha}.ovpn`);
    expect(fs.readFileSync(copy, 'utf8')).toBe(HOSTILE_OVPN);
    if (process.platform !== 'win32') {
      expect(mode(copy)).toBe(0o600);
      expect(mode(path.dirname(copy))).toBe(0o700);
    }

    const result = await core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' });
    expect(result.message).toMatch(/gateway forced to 2001:db8::10 port 443 \(tcp\), 2001:db8::10 port 1194 \(the profile names vpn\.evil\.example, 198\.51\.100\.9\)/);
    const derived = result.launch?.kind === 'process' ? result.launch.command[2]! : '';
    expect(derived.startsWith(path.join(core.dataDir, 'vpn-sessions', result.sessionId) + path.sep)).toBe(true);
    if (process.platform !== 'win32') expect(mode(derived)).toBe(0o600);
    await profilePrinted(env);
    await core.launches.stop(result.sessionId);

    const { record } = core.sessionLog.get(result.sessionId);
    const given = String(record.detail.outputTail);
    expect(given).toContain('remote 2001:db8::10 443 tcp\nremote 2001:db8::10 1194\n');
    expect(given).not.toMatch(/evil|198\.51\.100\.9/);
    expect(given).toContain('<ca>\nremote inside.a.cert 1\n</ca>');
    expect(fs.existsSync(derived)).toBe(false);
    expect(fs.existsSync(path.dirname(derived))).toBe(false);
    expect(fs.existsSync(copy)).toBe(true);
  });

  it('WireGuard\'s Endpoint is the approved IP, the derived file lives until wg-quick down has read it', async () => {
    const env = wgQuick();
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env });
    const sites = seedAccess(core);
    const site = await call<Site>(core, 'sites.get', { id: sites.mumbai });
    const conf = profileFile('acme-wg.conf', '[Interface]\nPrivateKey = aaaa\nAddress = 10.9.0.2/32\n\n[Peer]\nPublicKey = bbbb\nAllowedIPs = 10.9.0.0/24\nEndpoint = vpn.evil.example:51820\n');
    await call(core, 'sites.update', { id: site.id, fields: { ...siteFields(site.name), approvedMethods: site.approvedMethods, vpn: { client: 'wireguard', profile: conf, gateway: 'vpn-gw' } } });
    const result = await core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' });
    expect(result.launch).toMatchObject({ kind: 'process', command: ['wg-quick', 'up', expect.stringMatching(/\/sb[0-9a-f]{8}\.conf$/)] });
    expect(result.message).toMatch(/gateway forced to \[2001:db8::10\]:51820 \(the profile names vpn\.evil\.example\)/);
    await profilePrinted(env);
    await core.launches.stop(result.sessionId);
    const tail = String(core.sessionLog.get(result.sessionId).record.detail.outputTail);
    expect(tail.match(/Endpoint = \[2001:db8::10\]:51820/g)).toHaveLength(2);
    expect(tail).toMatch(/== down \S+\.conf\n\[Interface\]/);
    expect(tail).not.toContain('evil');
  });

  it('connects from the checked copy: changing the original file afterwards changes nothing', async () => {
    const env = openvpn();
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env });
    const sites = seedAccess(core);
    const original = (await call<Site>(core, 'sites.get', { id: sites.mumbai })).vpn!.profile;
    fs.writeFileSync(original, 'client\nscript-security 2\nup /bin/sh\nremote vpn.evil.example\n');
    const result = await core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' });
    await profilePrinted(env);
    await core.launches.stop(result.sessionId);
    const tail = String(core.sessionLog.get(result.sessionId).record.detail.outputTail);
    expect(tail).toContain('client\nremote 2001:db8::10 1194\n');
    expect(tail).not.toMatch(/up \/bin\/sh|evil/);
  });

  it('refuses to connect when the stored copy changed since it was checked, and logs the failure', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env: openvpn() });
    const sites = seedAccess(core);
    const sha = (await call<Site>(core, 'sites.get', { id: sites.mumbai })).vpn!.profileSha256!;
    fs.appendFileSync(path.join(core.dataDir, 'vpn-profiles', `${sha}.ovpn`), 'up /bin/sh\n');
    await expect(core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' })).rejects.toThrow(/changed since it was checked.*refusing to connect/);
    expect(core.sessionLog.list()[0]).toMatchObject({ decision: 'allow', outcome: 'failed' });
    expect(core.launches.running()).toEqual([]);
    const sessionsDir = path.join(core.dataDir, 'vpn-sessions');
    expect(fs.existsSync(sessionsDir) ? fs.readdirSync(sessionsDir) : []).toEqual([]);
  });

  it('refuses to connect a profile set before copies were kept (no hash recorded)', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env: openvpn() });
    const sites = seedAccess(core);
    core.db.prepare('UPDATE vpn_profiles SET profile_sha256 = NULL').run();
    await expect(core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' })).rejects.toThrow(/set the profile again/);
  });

  it('setting the same profile again after its copy went missing checks and keeps the file again', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env: openvpn() });
    const sites = seedAccess(core);
    const site = await call<Site>(core, 'sites.get', { id: sites.mumbai });
    fs.rmSync(path.join(core.dataDir, 'vpn-profiles'), { recursive: true });
    await expect(core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' }, { print: true })).rejects.toThrow(/is missing.*set the profile again/);
    await call(core, 'sites.update', { id: site.id, fields: { ...siteFields(site.name), approvedMethods: site.approvedMethods, vpn: { client: 'openvpn', profile: site.vpn!.profile, gateway: 'vpn-gw' } } });
    expect(storedCopies(core)).toEqual([`${site.vpn!.profileSha256}.ovpn`]);
    const printed = await core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' }, { print: true });
    expect(printed.message).toMatch(/gateway forced to 2001:db8::10 port 1194/);
  });

  it('the site form refuses a profile with a hook, naming the line, and changes nothing', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener() });
    const sites = seedAccess(core);
    const site = await call<Site>(core, 'sites.get', { id: sites.mumbai });
    const copiesBefore = storedCopies(core);
    const hooked = profileFile('hooked.ovpn', 'client\nremote vpn.acme.example\n  ;comment\n  Route-Up "/bin/sh -c id"\n');
    const error = await callError(core, 'sites.update', { id: site.id, fields: { ...siteFields(site.name), approvedMethods: site.approvedMethods, vpn: { client: 'openvpn', profile: hooked, gateway: 'vpn-gw' } } });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`VPN profile "${hooked}", line 4: \`route-up\` runs a command`);
    expect(error.issues).toEqual([{ path: 'vpn.profile', message: error.message }]);
    expect((await call<Site>(core, 'sites.get', { id: site.id })).vpn).toEqual(site.vpn);
    expect(storedCopies(core)).toEqual(copiesBefore);
  });

  it('a site is created with its VPN gateway in one step; the gateway must be the host the profile names', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env: openvpn() });
    const customer = await call<{ id: number }>(core, 'customers.create', customerFields('Initech'));
    const profile = profileFile('initech.ovpn', 'client\nremote vpn.initech.example 1194 udp\n');
    const fields = { ...siteFields('austin'), approvedMethods: ['vpn'], vpn: { client: 'openvpn', profile, gateway: 'vpn-gw' } };

    const without = await callError(core, 'sites.create', { customerId: customer.id, fields });
    expect(without.issues).toEqual([expect.objectContaining({ path: 'vpn.gateway' })]);
    const misnamed = await callError(core, 'sites.create', { customerId: customer.id, fields, gatewayHost: { name: 'gw', address: '203.0.113.7', allow: [] } });
    expect(misnamed.issues).toEqual([expect.objectContaining({ path: 'gatewayHost.name' })]);
    expect(core.db.prepare('SELECT (SELECT count(*) FROM sites) + (SELECT count(*) FROM hosts)').pluck().get()).toBe(0);

    const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields, gatewayHost: { name: 'vpn-gw', address: '203.0.113.7', allow: [] } });
    expect(site.hosts.map((h) => [h.name, h.address])).toEqual([['vpn-gw', '203.0.113.7']]);
    expect(site.vpn).toMatchObject({ client: 'openvpn', gateway: 'vpn-gw', profileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    openTicket(core.db, { ref: 'INI-1', siteId: site.id, type: 'incident', component: 'acd', impact: {} }, 'tester');
    const printed = await core.launches.open({ siteId: site.id, target: 'vpn-gw', method: 'vpn', ticket: 'INI-1' }, { print: true });
    expect(printed.message).toMatch(/gateway forced to 203\.0\.113\.7 port 1194 \(udp\) \(the profile names vpn\.initech\.example\)/);
  });
});
