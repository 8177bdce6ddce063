import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import { linkPort } from '../../main/electron/terminal-port-link';
import { call, useCores } from '../helpers/core';
import { keyText, sshdHop, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/**
 * A big paste into a remote terminal with echo off (a password prompt, `stty -echo`), against a real
 * sshd. sshd answers each write to such a pty with an SSH_MSG_IGNORE as large as the write, so a burst
 * used to come back as packets larger than ssh2 accepted ("Bad packet length") and ended the session.
 * Two fixes, each tested: ssh2's packet limit raised to OpenSSH's (scripts/patch-ssh2.mjs), and the
 * window's input paced in slices (main/core/sessions/input-pacer.ts).
 */
const unavailable = sshdUnavailable();

/** The window's end: bytes as text, control messages parsed, in order. */
class WindowPort {
  text = '';
  bytes = 0;
  readonly messages: Array<{ type: string; [key: string]: unknown }> = [];
  private waiters: Array<() => void> = [];
  constructor(readonly port: MessagePort) {
    port.on('message', (data: unknown) => {
      if (typeof data === 'string') this.messages.push(JSON.parse(data) as { type: string });
      else if (data instanceof Uint8Array) {
        this.text += Buffer.from(data).toString('utf8');
        this.bytes += data.length;
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.messages)} ${JSON.stringify(this.text.slice(-300))}`)), timeoutMs);
      const test = () => { if (check()) { clearTimeout(timer); resolve(); } else this.waiters.push(test); };
      test();
    });
  }
  has(type: string): boolean { return this.messages.some((m) => m.type === type); }
}

function connectPort(core: Core, sessionId: string): WindowPort {
  const { port1, port2 } = new MessageChannel();
  linkPort({
    post: (data) => port1.postMessage(data),
    onMessage: (listener) => port1.on('message', listener),
    onClose: (listener) => port1.on('close', listener),
    start: () => port1.start(),
    close: () => port1.close(),
  }, core.terminals, sessionId);
  return new WindowPort(port2);
}

describe.skipIf(unavailable).sequential(`pasting into an echo-off terminal${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;
  const credential = `terminal-paste-${process.pid}`;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    core = cores({ engineer: 'port-tester' });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Paste Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } }] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    openTicket(core.db, { ref: 'PORT-1', siteId, type: 'incident', component: 'other', impact: {} }, 'port-tester');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: credential });
    await sshd?.stop();
  });

  it('a 1.2 MB paste from the window arrives whole and the session goes on', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'PORT-1', target: 'lab01', cols: 90, rows: 25 });
    const window = connectPort(core, sessionId);
    await window.until(() => window.has('hostKey'), 'the host-key question');
    await call(core, 'terminals.answerHostKey', { sessionId, accept: true });
    await window.until(() => window.has('connected'), 'the shell');
    window.port.postMessage(new TextEncoder().encode('stty -echo; echo "rea""dy"; head -n 1200 | wc -l; stty echo\n'));
    await window.until(() => /ready\r\n/.test(window.text), 'the marker');
    // As the window sends a paste: 64 KiB frames, all at once.
    const paste = new TextEncoder().encode(`${'x'.repeat(999)}\r`.repeat(1200));
    for (let offset = 0; offset < paste.length; offset += 65536) window.port.postMessage(paste.subarray(offset, offset + 65536));
    await window.until(() => /ready\r\n1200\r\n/.test(window.text) || window.has('exit'), 'the count', 30_000);
    expect(window.messages.filter((m) => m.type === 'exit')).toEqual([]);
    window.port.postMessage(new TextEncoder().encode('echo "still-""here"\n'));
    await window.until(() => window.text.includes('still-here'), 'the shell after the paste');
    await call(core, 'terminals.close', { sessionId });
  });

  it('ssh2 itself accepts the large IGNORE packets sshd answers an unpaced burst with', async () => {
    const connection = await SshConnection.open({ hops: [sshdHop(sshd, [{ kind: 'publickey', privateKey: keyText(sshd.privateKeyPath) }])], readyTimeoutMs: 10_000 });
    let lost: unknown = null;
    void connection.closed.then((reason) => (lost = reason));
    const channel = await connection.shell({ cols: 80, rows: 24, term: 'xterm-256color' });
    let out = '';
    channel.onData((data) => (out += data.toString()));
    channel.write('stty -echo; echo "rea""dy"; head -n 200 | wc -l; stty echo\n');
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/ready\r\n/);
    // 200 KB in one burst, no pacing: sshd writes much of it to the pty at once.
    channel.write(Buffer.from(`${'y'.repeat(999)}\r`.repeat(200)));
    await expect.poll(() => (/ready\r\n200\r\n/.test(out) ? 'counted' : lost), { timeout: 20_000 }).toBe('counted');
    expect(lost).toBeNull();
    connection.close();
  });
});
