import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { VpnProcess, vpnCommand } from '../../main/core/launchers/vpn';

/** Real child processes stand in for VPN clients: a `#!/bin/sh` script named like the client. */
let root = '';
let seq = 0;
const started: VpnProcess[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-vpn-proc-'));
});
afterEach(() => {
  for (const vpn of started.splice(0)) {
    try {
      process.kill(-vpn.pid, 'SIGKILL'); // any helper a script left behind
    } catch {
      // already gone
    }
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A directory holding an executable `name` with the given shell body; returns the directory. */
function fakeClient(body: string, name = 'openvpn'): string {
  const dir = path.join(root, `bin${++seq}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

function envWith(binDir: string): NodeJS.ProcessEnv {
  return { PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`, HOME: root, LANG: 'C', SECRET_TOKEN: 'hunter2', LD_PRELOAD: '/evil.so' };
}

function start(...args: Parameters<typeof VpnProcess.start>): VpnProcess {
  const vpn = VpnProcess.start(...args);
  started.push(vpn);
  return vpn;
}

/** Alive and not a zombie (orphans may wait a while for a reaper in minimal containers). */
function helperRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

const PRINT_ARGS = `echo "ARGC=$#"; for a in "$@"; do printf 'ARG<%s>\\n' "$a"; done`;

describe('VpnProcess runs the client with an argument list, never a shell', () => {
  it('passes each argument as exactly one argv element, literally', async () => {
    const profile = path.join(root, 'acme profile $(id) `id`; echo pwned.ovpn');
    fs.writeFileSync(profile, 'client\n');
    const bin = fakeClient(`${PRINT_ARGS}\necho "SECRET=<\${SECRET_TOKEN:-unset}> PRELOAD=<\${LD_PRELOAD:-unset}> HOME=<$HOME>"\necho "Initialization Sequence Completed"`);
    const vpn = start(vpnCommand('openvpn', profile, 'vpn-gw.acme.example'), { env: envWith(bin) });
    expect(vpn.pid).toBeGreaterThan(0);
    const exit = await vpn.exited;
    expect(exit).toMatchObject({ exitCode: 0, signal: null });
    expect(exit.outputTail).toContain(`ARGC=2\nARG<--config>\nARG<${profile}>\n`);
    expect(exit.outputTail).not.toMatch(/uid=|^pwned/m);
    expect(exit.outputTail).toContain(`SECRET=<unset> PRELOAD=<unset> HOME=<${root}>`);
    expect(exit.outputTail).toContain('Initialization Sequence Completed');
  });

  it('passes the gateway as its own element (openconnect)', async () => {
    const profile = path.join(root, 'oc.conf');
    fs.writeFileSync(profile, 'protocol=anyconnect\n');
    const bin = fakeClient(PRINT_ARGS, 'openconnect');
    const exit = await start(vpnCommand('openconnect', profile, '2001:db8::1'), { env: envWith(bin) }).exited;
    expect(exit.outputTail).toBe(`ARGC=3\nARG<--config>\nARG<${profile}>\nARG<[2001:db8::1]>\n`);
  });

  it('uses options.executable instead of PATH', async () => {
    const bin = fakeClient('echo "ran $0"', 'my-openvpn');
    const exit = await start({ file: 'openvpn', args: [] }, { env: { PATH: '' }, executable: path.join(bin, 'my-openvpn') }).exited;
    expect(exit.outputTail).toBe(`ran ${path.join(bin, 'my-openvpn')}\n`);
  });
});

describe('VpnProcess reports how the session ended', () => {
  it('captures the exit code and both stdout and stderr', async () => {
    const bin = fakeClient('echo "Options error: bad config"; echo "AUTH_FAILED" >&2; exit 7');
    const exit = await start({ file: 'openvpn', args: ['--config', '/x'] }, { env: envWith(bin) }).exited;
    expect(exit.exitCode).toBe(7);
    expect(exit.signal).toBeNull();
    expect(exit.outputTail).toContain('Options error: bad config\n');
    expect(exit.outputTail).toContain('AUTH_FAILED\n');
  });

  it('keeps only the last ~4 KB of output', async () => {
    const bin = fakeClient('i=0; while [ $i -lt 400 ]; do echo "line $i padding padding padding"; i=$((i+1)); done; echo THE-END');
    const exit = await start({ file: 'openvpn', args: [] }, { env: envWith(bin) }).exited;
    expect(Buffer.byteLength(exit.outputTail)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(exit.outputTail)).toBeGreaterThan(4000);
    expect(exit.outputTail.endsWith('line 399 padding padding padding\nTHE-END\n')).toBe(true);
  });

  it('settles even when a helper the client left behind still holds its output', async () => {
    const bin = fakeClient('sleep 20 &\necho bye');
    const t0 = Date.now();
    const exit = await start({ file: 'openvpn', args: [] }, { env: envWith(bin) }).exited;
    expect(exit).toMatchObject({ exitCode: 0, outputTail: 'bye\n' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('VpnProcess.disconnect', () => {
  it('ends a running client promptly with SIGTERM, helpers included', async () => {
    const bin = fakeClient('echo up\nsleep 30 &\necho $! > "$1"\nwait\necho never');
    const pidFile = path.join(root, `helper${seq}.pid`);
    const vpn = start({ file: 'openvpn', args: [pidFile] }, { env: envWith(bin) });
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
    const helper = Number(fs.readFileSync(pidFile, 'utf8'));
    const t0 = Date.now();
    const exit = await vpn.disconnect();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(exit).toEqual({ exitCode: null, signal: 'SIGTERM', outputTail: 'up\n' });
    expect(helperRunning(helper)).toBe(false); // the `sleep` helper went too
    expect(await vpn.exited).toBe(exit);
    expect(await vpn.disconnect()).toEqual(exit);
  });

  it('escalates to SIGKILL when the client ignores SIGTERM', async () => {
    const bin = fakeClient("trap '' TERM\necho stubborn\nwhile :; do sleep 0.1; done");
    const vpn = start({ file: 'openvpn', args: [] }, { env: envWith(bin), killAfterMs: 300 });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    const [a, b] = await Promise.all([vpn.disconnect(), vpn.disconnect()]);
    expect(a).toBe(b);
    expect(a.signal).toBe('SIGKILL');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('after the client has exited returns the same exit', async () => {
    const bin = fakeClient('exit 3');
    const vpn = start({ file: 'openvpn', args: [] }, { env: envWith(bin) });
    const exit = await vpn.exited;
    expect(await vpn.disconnect()).toBe(exit);
  });
});

describe('VpnProcess with a teardown (wg-quick: up exits, the tunnel stays until down)', () => {
  const WG = 'echo "$1 $2"';
  const settledWithin = (p: Promise<unknown>, ms: number) =>
    Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

  it('stays connected after `up` exits 0 and runs `down` on disconnect', async () => {
    const profile = path.join(root, 'wg0.conf');
    fs.writeFileSync(profile, '[Interface]\n');
    const bin = fakeClient(WG, 'wg-quick');
    const vpn = start(vpnCommand('wireguard', profile, '203.0.113.10'), { env: envWith(bin) });
    expect(await settledWithin(vpn.exited, 1000)).toBe(false);
    const exit = await vpn.disconnect();
    expect(exit).toEqual({ exitCode: 0, signal: null, outputTail: `up ${profile}\ndown ${profile}\n` });
  });

  it('a disconnect while `up` is still running stops it, then runs `down`', async () => {
    const bin = fakeClient('echo "$1"\n[ "$1" = up ] && sleep 30\nexit 0', 'wg-quick');
    const vpn = start({ file: 'wg-quick', args: ['up', '/x.conf'], teardown: { file: 'wg-quick', args: ['down', '/x.conf'] } }, { env: envWith(bin) });
    await new Promise((r) => setTimeout(r, 200));
    expect(await vpn.disconnect()).toEqual({ exitCode: 0, signal: null, outputTail: 'up\ndown\n' });
  });

  it('ends at once when `up` fails', async () => {
    const bin = fakeClient('echo "$1 failed" >&2; exit 1', 'wg-quick');
    const vpn = start({ file: 'wg-quick', args: ['up', '/x.conf'], teardown: { file: 'wg-quick', args: ['down', '/x.conf'] } }, { env: envWith(bin) });
    expect(await vpn.exited).toEqual({ exitCode: 1, signal: null, outputTail: 'up failed\n' });
  });

  it('refuses a teardown that runs another program', () => {
    expect(() => VpnProcess.start({ file: 'wg-quick', args: [], teardown: { file: 'openvpn', args: [] } })).toThrow(/same client program/);
  });
});

describe('VpnProcess.start refuses clearly', () => {
  it.each([
    ['openvpn', 'openvpn is not installed (apt-get install openvpn)'],
    ['wg-quick', 'wg-quick is not installed (apt-get install wireguard-tools)'],
    ['openconnect', 'openconnect is not installed (apt-get install openconnect)'],
    ['openfortivpn', 'openfortivpn is not installed (apt-get install openfortivpn)'],
  ])('a missing %s', (file, message) => {
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    const error = (() => {
      try {
        VpnProcess.start({ file, args: [] }, { env: { PATH: empty } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'LAUNCHER_UNAVAILABLE', message });
  });

  it('a missing or non-executable options.executable', () => {
    const plain = path.join(root, 'plain-openvpn');
    fs.writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
    for (const executable of [path.join(root, 'nope'), plain, root]) {
      expect(() => VpnProcess.start({ file: 'openvpn', args: [] }, { executable })).toThrow('openvpn is not installed (apt-get install openvpn)');
    }
    expect(() => VpnProcess.start({ file: 'openvpn', args: [] }, { executable: 'openvpn' })).toThrow(/absolute path/);
  });

  it('a program that is not a VPN client, or arguments that are not strings', () => {
    expect(() => VpnProcess.start({ file: 'sh', args: ['-c', 'id'] })).toThrow(/not a known VPN client program/);
    expect(() => VpnProcess.start({ file: '/bin/sh', args: [] })).toThrow(/not a known VPN client program/);
    expect(() => VpnProcess.start({ file: 'openvpn', args: ['a\u0000b'] })).toThrow(/without NUL/);
    expect(() => VpnProcess.start({ file: 'openvpn', args: [1 as unknown as string] })).toThrow(/strings/);
  });
});
