import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthMethod } from '../../main/core/ssh/auth';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import { SshError } from '../../main/core/ssh/ssh-errors';
import { keyText, outputUntil, sshdHop, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/** Exec, shell, jump hosts and local forwards over a real OpenSSH sshd. */
const unavailable = sshdUnavailable();

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(unavailable).sequential(`ssh sessions against a real sshd${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  let key: AuthMethod[];
  let connection: SshConnection;
  const extra: SshConnection[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
    key = [{ kind: 'publickey', privateKey: keyText(sshd.privateKeyPath) }];
    connection = await SshConnection.open({ hops: [sshdHop(sshd, key)] });
  });
  afterAll(async () => {
    for (const c of extra.splice(0)) c.close();
    connection?.close();
    await sshd?.stop();
  });

  it('runs a command: stdout and exit code 0', async () => {
    const channel = await connection.exec('echo hello');
    const out = await outputUntil(channel, 'hello\n');
    expect(out).toBe('hello\n');
    expect(await channel.exit).toEqual({ code: 0, signal: null });
  });

  it('reports a non-zero exit code and stderr separately', async () => {
    const channel = await connection.exec('echo oops >&2; exit 3');
    const seen: string[] = [];
    channel.onData((data, source) => seen.push(`${source}:${data.toString()}`));
    expect(await channel.exit).toEqual({ code: 3, signal: null });
    expect(seen).toEqual(['stderr:oops\n']);
  });

  it('feeds stdin and sees EOF', async () => {
    const channel = await connection.exec('tr a-z A-Z');
    const out = outputUntil(channel, 'SWITCHBOARD');
    channel.write('switchboard');
    channel.endInput();
    expect(await out).toBe('SWITCHBOARD');
    expect((await channel.exit).code).toBe(0);
  });

  it('pauses and resumes output (flow control)', async () => {
    const channel = await connection.exec('head -c 4000000 /dev/zero');
    let received = 0;
    channel.onData((data) => { received += data.length; });
    channel.pause();
    expect(channel.isPaused()).toBe(true);
    const atPause = received;
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(received).toBe(atPause);
    channel.resume();
    await channel.exit;
    expect(received).toBe(4_000_000);
  });

  it('opens a shell with a PTY, runs a command and follows a resize', async () => {
    const shell = await connection.shell({ cols: 80, rows: 24, term: 'xterm-256color' });
    let text = '';
    shell.onData((d) => { text += d.toString(); });
    const until = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        await new Promise<void>((resolve) => {
          const off = shell.onData(() => { off(); resolve(); });
        });
      }
    };
    shell.write('echo hi-$((40+2))\n');
    await until(/hi-42/);
    shell.write('stty size\n');
    await until(/^24 80\r?$/m);
    shell.resize(132, 50);
    shell.write('stty size; echo "term=$TERM"\n');
    await until(/^50 132\r?$/m);
    await until(/term=xterm-256color/);
    shell.write('exit 0\n');
    expect((await shell.exit).code).toBe(0);
    expect(connection.bytesIn).toBeGreaterThan(0);
    expect(connection.bytesOut).toBeGreaterThan(0);
  });

  it('reaches a target through a jump host (forwardOut → sock), pinning both keys', async () => {
    const jump = await SshConnection.open({
      hops: [sshdHop(sshd, key, { host: 'bastion01' }), sshdHop(sshd, [{ kind: 'password', password: sshd.password }], { host: 'app02' })],
    });
    extra.push(jump);
    expect(jump.acceptedHostKeys.map((k) => k.host)).toEqual(['bastion01', 'app02']);
    const channel = await jump.exec('echo through-the-bastion');
    expect(await outputUntil(channel, '\n')).toBe('through-the-bastion\n');
    expect(sshd.log()).toMatch(/Accepted password for sbtest/);
  });

  it('names the jump host when the next hop refuses', async () => {
    const port = await closedPort();
    const error = await SshConnection.open({ hops: [sshdHop(sshd, key, { host: 'bastion01' }), sshdHop(sshd, key, { host: 'app03', port })] })
      .then(() => null, (e: unknown) => e as SshError);
    expect(error).toBeInstanceOf(SshError);
    expect(error!.failure).toBe('refused');
    expect(error!.message).toContain(`app03 (127.0.0.1:${port}) refused the connection through the jump host bastion01`);
  });

  it('forwards a loopback port to the server and connects through it', async () => {
    const forward = await connection.forwardLocal('127.0.0.1', sshd.port);
    const through = await SshConnection.open({ hops: [{ ...sshdHop(sshd, key), port: forward.localPort }] });
    extra.push(through);
    const channel = await through.exec('echo forwarded');
    expect(await outputUntil(channel, '\n')).toBe('forwarded\n');
    through.close();
    expect(await through.closed).toBeNull();
    await forward.close();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(forward.localPort, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(false); });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    const error = await SshConnection.open({ hops: [sshdHop(sshd, key, { port })] }).then(() => null, (e: unknown) => e as SshError);
    expect(error?.failure).toBe('refused');
    expect(error?.message).toBe(`app01 (127.0.0.1:${port}) refused the connection — nothing is listening on port ${port}, or a firewall rejects it. Is sshd running?`);
  });

  it('refuses new channels after close()', async () => {
    const short = await SshConnection.open({ hops: [sshdHop(sshd, key)] });
    short.close();
    await expect(short.exec('true')).rejects.toThrow(/closed/);
    expect(await short.closed).toBeNull();
  });
});
