import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthMethod } from '../../main/core/ssh/auth';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import { SshError } from '../../main/core/ssh/ssh-errors';
import { FAULT_PASSWORD, FAULT_USER, startFaultServer, type FaultServer } from '../helpers/ssh-fault-server';
import { keygenFingerprint, sshdHop, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/**
 * Host keys are checked before any credential leaves: a mismatch or a declined first use must end the
 * connection with no secret read from the keychain and no sign-in attempt seen by the server.
 */
const unavailable = sshdUnavailable();

function watchedPassword(password: string): { auth: AuthMethod[]; reads: () => number } {
  let reads = 0;
  return { auth: [{ kind: 'password', password: async () => { reads++; return password; } }], reads: () => reads };
}

async function failure(promise: Promise<SshConnection>): Promise<SshError> {
  const error = await promise.then((c) => { c.close(); return null; }, (e: unknown) => e);
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

describe.skipIf(unavailable).sequential(`host keys against a real sshd${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  beforeAll(async () => { sshd = await startSshd(); });
  afterAll(async () => { await sshd?.stop(); });

  it('accepts a pinned key that matches', async () => {
    const { auth, reads } = watchedPassword(sshd.password);
    const connection = await SshConnection.open({ hops: [sshdHop(sshd, auth)] });
    connection.close();
    expect(connection.acceptedHostKeys).toEqual([{ host: 'app01', fingerprint: sshd.hostKeyFingerprint, firstUse: false }]);
    expect(reads()).toBe(1);
  });

  it('on first use asks with the fingerprint ssh-keygen -lf prints, and pins it when accepted', async () => {
    const asked: string[] = [];
    const { auth } = watchedPassword(sshd.password);
    const hostKey = { pinned: null, confirmNew: async (fp: string) => { asked.push(fp); return true; } };
    const connection = await SshConnection.open({ hops: [sshdHop(sshd, auth, { hostKey })] });
    connection.close();
    expect(asked).toEqual([keygenFingerprint(`${sshd.hostKeyPath}.pub`)]);
    expect(connection.acceptedHostKeys).toEqual([{ host: 'app01', fingerprint: asked[0], firstUse: true }]);
  });

  it('on first use refuses when the person declines, before any credential is read', async () => {
    const { auth, reads } = watchedPassword(sshd.password);
    const before = sshd.log();
    const error = await failure(SshConnection.open({ hops: [sshdHop(sshd, auth, { hostKey: { pinned: null, confirmNew: async () => false } })] }));
    expect(error.failure).toBe('host-key-rejected');
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect(reads()).toBe(0);
    expect(sshd.log().slice(before.length)).not.toMatch(/Accepted|Failed|Postponed|authentication/i);
  });

  it('refuses a pinned key that changed, loudly and before sign-in', async () => {
    const pinned = 'SHA256:q5tz2m5V0dGqf8xB6qgX0xT6l3V4wQnJv0oH3uGxk1E';
    const { auth, reads } = watchedPassword(sshd.password);
    const before = sshd.log();
    const error = await failure(SshConnection.open({ hops: [sshdHop(sshd, auth, { hostKey: { pinned, confirmNew: async () => true } })] }));
    expect(error.failure).toBe('host-key-mismatch');
    expect(error.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(error.message).toContain(`WARNING: the host key for app01 (127.0.0.1:${sshd.port}) has CHANGED`);
    expect(error.message).toContain(`Fingerprint now ${sshd.hostKeyFingerprint}, pinned ${pinned}`);
    expect(error.message).toContain('no credential was sent');
    expect(reads()).toBe(0);
    expect(sshd.log().slice(before.length)).not.toMatch(/Accepted|Failed|Postponed|authentication/i);
  });

  it('checks the jump host key first: a bad bastion key stops before the target is reached', async () => {
    const { auth, reads } = watchedPassword(sshd.password);
    const bad = { pinned: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', confirmNew: async () => true };
    const error = await failure(SshConnection.open({ hops: [sshdHop(sshd, auth, { host: 'bastion01', hostKey: bad }), sshdHop(sshd, auth)] }));
    expect(error.failure).toBe('host-key-mismatch');
    expect(error.host).toBe('bastion01');
    expect(reads()).toBe(0);
  });

  it('prints fingerprints like ssh-keygen for the key files sshd uses', () => {
    expect(sshd.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keygenFingerprint(path.join(sshd.dir, 'host_ed25519.pub'))).toBe(sshd.hostKeyFingerprint);
  });
});

describe.sequential('a host key that changes between connections (fault server)', () => {
  let server: FaultServer;
  beforeAll(async () => { server = await startFaultServer('rotating-host-key'); });
  afterAll(async () => { await server?.stop(); });

  it('pins on first use, then refuses the changed key with no auth attempt recorded', async () => {
    const hop = { host: 'db01', address: '127.0.0.1', port: server.port, username: FAULT_USER, auth: [{ kind: 'password' as const, password: FAULT_PASSWORD }] };
    const first = await SshConnection.open({ hops: [{ ...hop, hostKey: { pinned: null, confirmNew: async () => true } }] });
    first.close();
    const pinned = first.acceptedHostKeys[0]!.fingerprint;
    expect(pinned).toBe(server.fingerprintFor(0));
    expect(server.authAttempts).toHaveLength(1);

    const error = await failure(SshConnection.open({ hops: [{ ...hop, hostKey: { pinned, confirmNew: async () => true } }] }));
    expect(error.failure).toBe('host-key-mismatch');
    expect(error.message).toContain(`Fingerprint now ${server.fingerprintFor(1)}, pinned ${pinned}`);
    expect(server.authAttempts).toHaveLength(1);
  });
});
