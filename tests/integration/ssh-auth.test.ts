import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import { SshError } from '../../main/core/ssh/ssh-errors';
import { keyText, outputUntil, sshdHop, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/** Sign-in against a real OpenSSH sshd: each method alone, in order, and the ways it fails. */
const unavailable = sshdUnavailable();

async function whoami(connection: SshConnection): Promise<string> {
  const channel = await connection.exec('id -un');
  const out = await outputUntil(channel, '\n');
  await channel.exit;
  return out.trim();
}

async function failure(promise: Promise<unknown>): Promise<SshError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

describe.skipIf(unavailable)(`ssh sign-in against a real sshd${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  let agent: ChildProcess | null = null;
  let agentSocket = '';
  const open: SshConnection[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    if (agent?.pid) agent.kill('SIGTERM');
    await sshd?.stop();
  });

  async function connect(...args: Parameters<typeof sshdHop>): Promise<SshConnection> {
    const connection = await SshConnection.open({ hops: [sshdHop(...args)], readyTimeoutMs: 10_000 });
    open.push(connection);
    return connection;
  }

  it('signs in with a password from a lazy secret', async () => {
    let reads = 0;
    const connection = await connect(sshd, [{ kind: 'password', password: async () => { reads++; return sshd.password; } }]);
    expect(await whoami(connection)).toBe('sbtest');
    expect(reads).toBe(1);
    expect(connection.acceptedHostKeys).toEqual([{ host: 'app01', fingerprint: sshd.hostKeyFingerprint, firstUse: false }]);
  });

  it('signs in with a private key', async () => {
    expect(await whoami(await connect(sshd, [{ kind: 'publickey', privateKey: keyText(sshd.privateKeyPath) }]))).toBe('sbtest');
  });

  it('signs in with a passphrase-protected key', async () => {
    const auth = [{ kind: 'publickey' as const, privateKey: keyText(sshd.encryptedKeyPath), passphrase: sshd.privateKeyPassphrase }];
    expect(await whoami(await connect(sshd, auth))).toBe('sbtest');
  });

  it('signs root in by key (PermitRootLogin prohibit-password)', async () => {
    const connection = await connect(sshd, [{ kind: 'publickey', privateKey: keyText(sshd.privateKeyPath) }], { username: 'root' });
    expect(await whoami(connection)).toBe('root');
  });

  it('signs in through ssh-agent', async () => {
    agentSocket = path.join(sshd.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      agent!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('SSH_AUTH_SOCK')) resolve();
      });
      agent!.once('exit', (code) => reject(new Error(`ssh-agent exited with ${code}`)));
    });
    execFileSync('ssh-add', [sshd.privateKeyPath], { env: { SSH_AUTH_SOCK: agentSocket, PATH: process.env.PATH }, stdio: 'pipe' });
    const connection = await connect(sshd, [{ kind: 'agent', socket: agentSocket }]);
    expect(await whoami(connection)).toBe('sbtest');
  });

  it('tries methods in order until one works, skipping those it cannot use', async () => {
    const connection = await connect(sshd, [
      { kind: 'agent', socket: '' },
      { kind: 'password', password: 'wrong' },
      { kind: 'publickey', privateKey: keyText(sshd.privateKeyPath) },
    ]);
    expect(await whoami(connection)).toBe('sbtest');
    expect(sshd.log()).toMatch(/Failed password for sbtest/);
  });

  it('reports a wrong password as auth-failed, naming the method', async () => {
    const error = await failure(connect(sshd, [{ kind: 'password', password: 'not-the-password' }]));
    expect(error.failure).toBe('auth-failed');
    expect(error.code).toBe('SSH_AUTH_FAILED');
    expect(error.message).toContain('app01 (127.0.0.1:');
    expect(error.message).toContain('as sbtest (password)');
    expect(error.message).toContain('keychain');
  });

  it('explains a wrong key passphrase instead of a bare auth failure', async () => {
    const auth = [{ kind: 'publickey' as const, privateKey: keyText(sshd.encryptedKeyPath), passphrase: 'wrong' }];
    const error = await failure(connect(sshd, auth));
    expect(error.failure).toBe('auth-failed');
    expect(error.message).toMatch(/could not be decrypted/);
  });

  it('says so when a key is not accepted by the server', async () => {
    fs.mkdirSync(path.join(sshd.dir, 'other'), { recursive: true });
    const other = path.join(sshd.dir, 'other', 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const error = await failure(connect(sshd, [{ kind: 'publickey', privateKey: keyText(other) }]));
    expect(error.failure).toBe('auth-failed');
    expect(error.message).toContain('(publickey)');
  });

  it('reports a missing ssh-agent', async () => {
    const error = await failure(connect(sshd, [{ kind: 'agent', socket: '' }]));
    expect(error.failure).toBe('auth-failed');
    expect(error.message).toMatch(/No ssh-agent is running/);
  });
});
