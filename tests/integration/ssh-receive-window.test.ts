import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECEIVE_WINDOW } from '../../main/core/ssh/receive-window';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import type { SshChannel } from '../../main/core/ssh/ssh-channel';
import { keyText, sshdHop, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/**
 * What a paused terminal holds back while `yes` floods it, against a real sshd: with ssh2's own 2 MiB
 * window megabytes pile up behind the pause (and a Ctrl-C waits for all of them); with the limited
 * receive window no more than the limit does, and nothing is lost once the channel resumes.
 */
const unavailable = sshdUnavailable();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(unavailable)(`receive window of an interactive channel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  const open: SshConnection[] = [];
  beforeAll(async () => { sshd = await startSshd(); });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    await sshd?.stop();
  });

  /**
   * Floods a shell with `yes`, pauses once 3 MB have arrived — past the 2 MiB window ssh2 grants when it
   * opens the channel, which no later limit can take back — and reports what is held after a while.
   */
  async function heldWhilePaused(limit: number | null): Promise<{ held: number; channel: SshChannel; delivered: () => number }> {
    const connection = await SshConnection.open({ hops: [sshdHop(sshd, [{ kind: 'publickey', privateKey: keyText(sshd.privateKeyPath) }])], readyTimeoutMs: 10_000 });
    open.push(connection);
    const channel = await connection.shell({ cols: 80, rows: 24, term: 'xterm-256color' });
    if (limit !== null) channel.limitReceiveWindow(limit);
    let delivered = 0;
    let paused = false;
    const reachedThreeMegabytes = new Promise<void>((resolve) => {
      channel.onData((data) => {
        delivered += data.length;
        if (!paused && delivered > 3_000_000) {
          paused = true;
          channel.pause();
          resolve();
        }
      });
    });
    channel.write('yes\n');
    await reachedThreeMegabytes;
    await sleep(1500); // long enough for sshd to fill whatever window it was given
    return { held: channel.heldBytes, channel, delivered: () => delivered };
  }

  it('holds megabytes behind a pause with ssh2\'s own window (the reason for the limit)', async () => {
    const { held, channel } = await heldWhilePaused(null);
    expect(held).toBeGreaterThan(1_000_000);
    channel.close();
  });

  it('holds no more than the limit with the limited window, and flows again on resume', async () => {
    const { held, channel, delivered } = await heldWhilePaused(DEFAULT_RECEIVE_WINDOW);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(DEFAULT_RECEIVE_WINDOW);
    const before = delivered();
    channel.resume();
    // Far more than the held bytes must arrive: credit is granted again as output is delivered.
    await expect.poll(() => delivered() - before, { timeout: 20_000 }).toBeGreaterThan(4 * DEFAULT_RECEIVE_WINDOW);
    channel.write('\x03');
    channel.close();
  });
});
