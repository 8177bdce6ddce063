import { afterAll, describe, expect, it } from 'vitest';
import type { AuthMethod, KeyboardChallenge } from '../../main/core/ssh/auth';
import { SshConnection, type SshHop } from '../../main/core/ssh/ssh-connection';
import { SshError } from '../../main/core/ssh/ssh-errors';
import { DROP_MARKER, FAULT_OTP, FAULT_PASSWORD, FAULT_USER, startFaultServer, type FaultMode, type FaultServer } from '../helpers/ssh-fault-server';
import { outputUntil } from '../helpers/sshd';

/** Timeouts, drops and keyboard-interactive against a loopback ssh2 server that misbehaves on purpose. */
const servers: FaultServer[] = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function serve(mode: FaultMode): Promise<FaultServer> {
  const server = await startFaultServer(mode);
  servers.push(server);
  return server;
}

function hop(server: FaultServer, auth: AuthMethod[]): SshHop {
  return {
    host: 'edge01',
    address: '127.0.0.1',
    port: server.port,
    username: FAULT_USER,
    hostKey: { pinned: server.fingerprintFor(0), confirmNew: async () => false },
    auth,
  };
}

const password: AuthMethod[] = [{ kind: 'password', password: FAULT_PASSWORD }];

async function failure(promise: Promise<SshConnection>): Promise<SshError> {
  const error = await promise.then((c) => { c.close(); return null; }, (e: unknown) => e);
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

describe('ssh failures a person can act on (fault server)', () => {
  it('times out a server that stalls after its banner', async () => {
    const server = await serve('stall-after-banner');
    const error = await failure(SshConnection.open({ hops: [hop(server, password)], readyTimeoutMs: 300 }));
    expect(error.failure).toBe('timed-out');
    expect(error.message).toBe(`edge01 (127.0.0.1:${server.port}) did not complete the SSH handshake within 0.3 s. A firewall may be dropping the traffic, the port may not be an SSH server, or the host is overloaded.`);
  });

  it('times out a server that never answers the sign-in', async () => {
    const server = await serve('stall-at-auth');
    const error = await failure(SshConnection.open({ hops: [hop(server, password)], readyTimeoutMs: 500 }));
    expect(error.failure).toBe('timed-out');
    expect(server.authAttempts.map((a) => a.method)).toEqual(['password']);
  });

  it('does not count time spent deciding on a new host key against the timeout', async () => {
    const server = await serve('otp');
    const slowPerson = { pinned: null, confirmNew: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 600)) };
    const auth: AuthMethod[] = [{ kind: 'keyboard-interactive', respond: async () => [FAULT_OTP] }];
    const connection = await SshConnection.open({ hops: [{ ...hop(server, auth), hostKey: slowPerson }], readyTimeoutMs: 400 });
    connection.close();
    expect(connection.acceptedHostKeys[0]).toMatchObject({ firstUse: true, fingerprint: server.fingerprintFor(0) });
  });

  it('reports a connection dropped mid-stream', async () => {
    const server = await serve('drop-mid-stream');
    const connection = await SshConnection.open({ hops: [hop(server, password)] });
    const channel = await connection.exec('tail -f /var/log/syslog');
    expect(await outputUntil(channel, DROP_MARKER)).toBe(DROP_MARKER);
    const lost = await connection.closed;
    expect(lost?.failure).toBe('connection-lost');
    expect(lost?.message).toMatch(/^edge01 \(127\.0\.0\.1:\d+\) dropped the connection/);
    expect(await channel.exit).toEqual({ code: null, signal: null });
    await expect(connection.exec('true')).rejects.toThrow(/dropped the connection/);
  });

  it('answers a keyboard-interactive OTP prompt through the callback, after a password the server refuses', async () => {
    const server = await serve('otp');
    const challenges: KeyboardChallenge[] = [];
    const auth: AuthMethod[] = [
      { kind: 'password', password: 'not used by this server' },
      { kind: 'keyboard-interactive', respond: async (c) => { challenges.push(c); return [FAULT_OTP]; } },
    ];
    const connection = await SshConnection.open({ hops: [hop(server, auth)] });
    const channel = await connection.exec('uptime');
    expect(await outputUntil(channel, '\n')).toBe('ran: uptime\n');
    connection.close();
    expect(challenges).toEqual([{ name: 'Two-factor', instructions: 'Enter the code from your token.', prompts: [{ prompt: 'Verification code: ', echo: false }] }]);
    expect(server.authAttempts.map((a) => a.method)).toEqual(['password', 'keyboard-interactive']);
  });

  it('reports a wrong OTP as auth-failed', async () => {
    const server = await serve('otp');
    const auth: AuthMethod[] = [{ kind: 'keyboard-interactive', respond: async () => ['000000'] }];
    const error = await failure(SshConnection.open({ hops: [hop(server, auth)] }));
    expect(error.failure).toBe('auth-failed');
    expect(error.message).toContain('(keyboard-interactive)');
  });

  it('treats a cancelled prompt as a failed sign-in, saying so', async () => {
    const server = await serve('otp');
    const auth: AuthMethod[] = [{ kind: 'keyboard-interactive', respond: async () => { throw new Error('closed the dialog'); } }];
    const error = await failure(SshConnection.open({ hops: [hop(server, auth)] }));
    expect(error.failure).toBe('auth-failed');
    expect(error.message).toContain('prompt was cancelled');
  });
});
