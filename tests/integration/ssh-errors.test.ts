import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { sameFingerprint, sha256Fingerprint } from '../../main/core/ssh/fingerprint';
import { classifySshError, SshError, type SshFailure } from '../../main/core/ssh/ssh-errors';

/**
 * Error classification as data (no traffic leaves loopback: unreachable networks are synthetic errors),
 * and fingerprints compared with the ssh-keygen binary.
 */
const app01 = { host: 'app01', address: '10.0.0.5', port: 22, username: 'ops' };
const bastion = { host: 'bastion01', address: '10.0.0.1', port: 2222 };

function socketError(code: string, message = `connect ${code} 10.0.0.5:22`): Error {
  return Object.assign(new Error(message), { code, level: 'client-socket' });
}

const rows: Array<{ name: string; error: unknown; via?: typeof bastion; phase?: 'connect' | 'session'; failure: SshFailure; message: RegExp }> = [
  { name: 'refused', error: socketError('ECONNREFUSED'), failure: 'refused', message: /^app01 \(10\.0\.0\.5:22\) refused the connection — nothing is listening on port 22/ },
  { name: 'network unreachable', error: socketError('ENETUNREACH'), failure: 'unreachable', message: /^app01 \(10\.0\.0\.5:22\) is unreachable \(ENETUNREACH\) — no network route to it\. Check the VPN/ },
  { name: 'host unreachable', error: socketError('EHOSTUNREACH'), failure: 'unreachable', message: /is unreachable \(EHOSTUNREACH\)/ },
  { name: 'TCP timeout', error: socketError('ETIMEDOUT'), failure: 'timed-out', message: /^Connecting to app01 \(10\.0\.0\.5:22\) timed out — a firewall/ },
  { name: 'reset', error: socketError('ECONNRESET', 'read ECONNRESET'), phase: 'session', failure: 'connection-lost', message: /^app01 \(10\.0\.0\.5:22\) dropped the connection \(ECONNRESET\)/ },
  { name: 'closed during handshake', error: Object.assign(new Error('Connection lost before handshake'), { level: 'protocol' }), failure: 'connection-lost', message: /closed the connection during the SSH handshake/ },
  { name: 'keep-alive', error: Object.assign(new Error('Keepalive timeout'), { level: 'client-timeout' }), phase: 'session', failure: 'connection-lost', message: /stopped answering keep-alives/ },
  { name: 'auth', error: Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), failure: 'auth-failed', message: /sign/ },
  { name: 'jump refused', error: Object.assign(new Error('(SSH) Channel open failure: Connection refused'), { reason: 2 }), via: bastion, failure: 'refused', message: /refused the connection through the jump host bastion01 \(10\.0\.0\.1:2222\)/ },
  { name: 'jump unreachable', error: Object.assign(new Error('(SSH) Channel open failure: No route to host'), { reason: 2 }), via: bastion, failure: 'unreachable', message: /unreachable through the jump host bastion01/ },
  { name: 'jump prohibited', error: Object.assign(new Error('(SSH) Channel open failure: administratively prohibited: open failed'), { reason: 1 }), via: bastion, failure: 'channel-failed', message: /^bastion01 \(10\.0\.0\.1:2222\) refused to open a tunnel to app01 \(10\.0\.0\.5:22\): administratively prohibited/ },
  { name: 'negotiation', error: Object.assign(new Error('Handshake failed: no matching key exchange'), { level: 'handshake' }), failure: 'protocol', message: /SSH negotiation with app01 .* failed: Handshake failed/ },
  { name: 'not an Error', error: 'boom', failure: 'protocol', message: /failed: boom/ },
];

describe('classifySshError', () => {
  it.each(rows)('$name → $failure', ({ error, via, phase, failure, message }) => {
    const classified = classifySshError(error, app01, phase ?? 'connect', via);
    expect(classified).toBeInstanceOf(SshError);
    expect(classified.failure).toBe(failure);
    expect(classified.message).toMatch(message);
    expect(classified.toData()).toEqual({ code: classified.code, message: classified.message });
  });

  it('brackets IPv6 addresses', () => {
    expect(classifySshError(socketError('ECONNREFUSED'), { host: 'v6', address: 'fd00::5', port: 22 }, 'connect').message).toMatch(/^v6 \(\[fd00::5\]:22\)/);
  });
});

describe('sha256Fingerprint', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('matches ssh-keygen -lf for an %s key', (type) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-fp-'));
    try {
      const file = path.join(dir, 'key');
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
      const expected = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(/\s+/)[1];
      const parsed = utils.parseKey(fs.readFileSync(`${file}.pub`, 'utf8'));
      if (parsed instanceof Error) throw parsed;
      expect(sha256Fingerprint(parsed.getPublicSSH())).toBe(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compares pasted fingerprints leniently but never across different keys', () => {
    expect(sameFingerprint(' SHA256:abc= ', 'SHA256:abc')).toBe(true);
    expect(sameFingerprint('abc', 'SHA256:abc')).toBe(true);
    expect(sameFingerprint('SHA256:abd', 'SHA256:abc')).toBe(false);
  });
});
