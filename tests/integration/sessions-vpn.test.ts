import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingOpener, ScriptedResolver, seedAccess } from '../helpers/access';
import { useCores } from '../helpers/core';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * A VPN session through the whole core: the policy approves the gateway, the client starts from an
 * argument list with the approved IP, the session lasts as long as the process, and its end — exit
 * code and output tail — lands in the log. The client is a real child process standing in for
 * openvpn (no tunnel can be made here).
 */
describe('VPN sessions', () => {
  const newCore = useCores();

  const fakeClient = (script: string) => {
    const bin = makeTempDir('switchboard-vpn-bin-');
    fs.writeFileSync(path.join(bin, 'openvpn'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  };

  it('runs the client until disconnect and logs its end with the output tail', async () => {
    const env = fakeClient('echo "args: $*"; echo "Initialization Sequence Completed"; trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done');
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env });
    const sites = seedAccess(core);
    const result = await core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' });
    expect(result.launch).toMatchObject({ kind: 'process', running: true, command: ['openvpn', '--config', expect.stringMatching(/profile\.ovpn$/)] });
    expect(core.launches.running()).toEqual([result.sessionId]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await core.launches.stop(result.sessionId);
    const { record, events } = core.sessionLog.get(result.sessionId);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'started', 'ended']);
    expect(record).toMatchObject({ decision: 'allow', address: '2001:db8::10', outcome: 'disconnected' });
    expect(String(record.detail.outputTail)).toMatch(/Initialization Sequence Completed/);
    expect(String(record.detail.outputTail)).toMatch(/args: --config \S+profile\.ovpn/);
    expect(core.launches.running()).toEqual([]);
    expect(core.sessionLog.verify()).toMatchObject({ ok: true });
  });

  it('logs a client that fails on its own with its exit code', async () => {
    const env = fakeClient('echo "Cannot open TUN/TAP dev /dev/net/tun" >&2; exit 1');
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env });
    const sites = seedAccess(core);
    const result = await core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' });
    await core.launches.waitForExit(result.sessionId);
    const { record } = core.sessionLog.get(result.sessionId);
    expect(record).toMatchObject({ outcome: 'failed', detail: { exitCode: 1 } });
    expect(String(record.detail.outputTail)).toMatch(/TUN\/TAP/);
  });

  it('says plainly when the client is not installed, and logs the failed attempt', async () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener(), env: { PATH: makeTempDir('switchboard-empty-path-') } });
    const sites = seedAccess(core);
    await expect(core.launches.open({ siteId: sites.mumbai, target: 'vpn-gw', method: 'vpn', ticket: 'EXO-1' })).rejects.toThrow(/openvpn is not installed/);
    const [record] = core.sessionLog.list();
    expect(record).toMatchObject({ decision: 'allow', outcome: 'failed', detail: { error: expect.stringMatching(/openvpn is not installed/) } });
  });

  it('at the next start, closes sessions whose owning process died as interrupted, and leaves live ones alone', () => {
    const core = newCore({ resolver: new ScriptedResolver({}), opener: new RecordingOpener() });
    const open = (sessionId: string, ownerPid: number) => {
      const base = { sessionId, engineer: 'tester', ticket: 'EXO-1', method: 'vpn' };
      core.sessionLog.append({ ...base, kind: 'attempt', decision: 'allow', reasons: ['test'], outcome: 'allowed' });
      core.sessionLog.append({ ...base, kind: 'started', outcome: 'connected', detail: { ownerPid } });
    };
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    open('11111111-1111-4111-8111-111111111111', process.ppid);
    open('22222222-2222-4222-8222-222222222222', dead);
    expect(core.sessionLog.recoverInterrupted()).toBe(1);
    expect(core.sessionLog.get('22222222-2222-4222-8222-222222222222').record.outcome).toBe('interrupted');
    expect(core.sessionLog.get('11111111-1111-4111-8111-111111111111').record.outcome).toBe('connected');
    expect(core.sessionLog.recoverInterrupted()).toBe(0);
    expect(core.sessionLog.verify()).toMatchObject({ ok: true });
  });
});
