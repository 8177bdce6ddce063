import { describe, expect, it } from 'vitest';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import { call } from '../helpers/core';
import { keyText, sshdHop, sshdUnavailable } from '../helpers/sshd';
import { connectPort, useTerminalLab } from '../helpers/terminal-lab';

/**
 * A big paste into a remote terminal with echo off (a password prompt, `stty -echo`), against a real
 * sshd. sshd answers each write to such a pty with an SSH_MSG_IGNORE as large as the write, so a burst
 * used to come back as packets larger than ssh2 accepted ("Bad packet length") and ended the session.
 * Two fixes, each tested: ssh2's packet limit raised to OpenSSH's (scripts/patch-ssh2.mjs), and the
 * window's input paced in slices (main/core/sessions/input-pacer.ts).
 */
const unavailable = sshdUnavailable();

describe.skipIf(unavailable).sequential(`pasting into an echo-off terminal${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useTerminalLab('Paste', 'PORT-1');
  const core = () => lab().core;
  const siteId = () => lab().siteId;
  const sshd = () => lab().sshd;

  it('a 1.2 MB paste from the window arrives whole and the session goes on', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core(), 'terminals.open', { siteId: siteId(), ticket: 'PORT-1', target: 'lab01', cols: 90, rows: 25 });
    const window = connectPort(core(), sessionId);
    await window.until(() => window.has('hostKey'), 'the host-key question');
    await call(core(), 'terminals.answerHostKey', { sessionId, accept: true });
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
    await call(core(), 'terminals.close', { sessionId });
  });

  it('ssh2 itself accepts the large IGNORE packets sshd answers an unpaced burst with', async () => {
    const connection = await SshConnection.open({ hops: [sshdHop(sshd(), [{ kind: 'publickey', privateKey: keyText(sshd().privateKeyPath) }])], readyTimeoutMs: 10_000 });
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
