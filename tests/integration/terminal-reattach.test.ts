import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveTerminalView } from '../../contract/models';
import { CLOSE_TAKEN_OVER } from '../../contract/terminal-protocol';
import { RECENT_OUTPUT_BYTES } from '../../main/core/sessions/recent-output';
import { IDLE_OUTCOME } from '../../main/core/sessions/terminal-sessions';
import { call } from '../helpers/core';
import { sshdUnavailable } from '../helpers/sshd';
import { connectPort, useTerminalLab, type WindowPort } from '../helpers/terminal-lab';

/**
 * Terminals outlive the window that opened them (issue 8 §1): a window that goes away (a reload) leaves
 * the shell running; the next window to attach is redrawn from the core's recent output and types on;
 * a second window takes a terminal over from the first; one that nobody attaches to is ended and logged.
 * A real shell on a real sshd, the window played on a MessagePort linked as the Electron shell links it.
 */
const unavailable = sshdUnavailable();
/** Long enough for the detach/reattach steps under load, short enough to watch it run out. */
const IDLE_MS = 3000;

describe.skipIf(unavailable).sequential(`terminals outlive their window${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useTerminalLab('Reattach', 'RE-1', { terminals: { idleTimeoutMs: IDLE_MS } });
  const core = () => lab().core;
  const list = () => call<LiveTerminalView[]>(core(), 'terminals.list', {});
  const listed = async (sessionId: string) => (await list()).find((t) => t.sessionId === sessionId);
  /** A file the remote shell touches when a command has run, so the test waits on it rather than on a sleep. */
  const marker = (name: string) => {
    const file = path.join(os.tmpdir(), `sb-reattach-${process.pid}-${name}`);
    fs.rmSync(file, { force: true });
    return file;
  };

  async function openShell(): Promise<{ sessionId: string; window: WindowPort }> {
    const { sessionId } = await call<{ sessionId: string }>(core(), 'terminals.open', { siteId: lab().siteId, ticket: 'RE-1', target: 'lab01', cols: 100, rows: 30 });
    const window = connectPort(core(), sessionId);
    await window.until(() => window.has('hostKey') || window.has('connected'), 'the host-key question or the shell');
    if (window.has('hostKey')) await call(core(), 'terminals.answerHostKey', { sessionId, accept: true });
    await window.until(() => window.has('connected'), 'the shell');
    return { sessionId, window };
  }

  /** Acknowledges what the window has and what still arrives (the prompt may follow the redraw) until nothing is owed. */
  const ackAll = (window: WindowPort, sessionId: string) =>
    expect.poll(() => { window.ackReceived(); return core().terminals.flow(sessionId); }).toEqual({ unacknowledged: 0, paused: false });

  it('keeps running when its window goes away; the next window is redrawn from the recent output and types on', async () => {
    const { sessionId, window } = await openShell();
    window.type('echo "before-""reload"\n');
    await window.until(() => window.text.includes('before-reload'), 'the first echo');
    expect(await listed(sessionId)).toMatchObject({ attached: true, state: 'connected', host: 'lab01', site: 'Reattach Labs/lab', ticket: 'RE-1', target: 'lab01', idleEndsAt: null });

    const ran = marker('detached');
    window.type(`sleep 0.2; echo "while-""detached"; touch ${ran}\n`);
    window.port.close();
    await expect.poll(async () => (await listed(sessionId))?.attached).toBe(false);
    await expect.poll(() => fs.existsSync(ran)).toBe(true);
    expect(await listed(sessionId)).toMatchObject({ state: 'connected', idleEndsAt: expect.any(String) });

    const again = connectPort(core(), sessionId);
    await again.until(() => again.text.includes('while-detached'), 'the redraw');
    expect(again.messages[0]).toEqual({ type: 'connected' });
    expect(again.text).toContain('before-reload');
    expect((await listed(sessionId))?.attached).toBe(true);
    await ackAll(again, sessionId);
    again.type('echo "after-""reattach-$((6*7))"\n');
    await again.until(() => again.text.includes('after-reattach-42'), 'a command typed after the reattach');
    await call(core(), 'terminals.close', { sessionId });
    fs.rmSync(ran, { force: true });
  });

  it('is not paused for want of a window: a flood while detached runs to its end, and the redraw keeps only the last stretch', async () => {
    const { sessionId, window } = await openShell();
    window.type('echo "early-""line"\n');
    await window.until(() => window.text.includes('early-line'), 'the first echo');
    const ran = marker('flood');
    // 3 MB: far more than the channel's 256 KiB of credit, so a channel paused while nobody acknowledges never gets here.
    window.type(`head -c 3000000 /dev/zero | tr '\\0' x; echo; echo "flood-""done"; touch ${ran}\n`);
    window.port.close();
    await expect.poll(() => fs.existsSync(ran), { timeout: 30_000 }).toBe(true);

    const again = connectPort(core(), sessionId);
    // Like a real window, acknowledge what arrives: on a slow machine the flood's tail (and "flood-done")
    // may still be on its way from sshd after the redraw, and it flows only against acknowledgements.
    let redrawBytes = -1;
    again.port.on('message', (data: unknown) => {
      if (!(data instanceof Uint8Array)) return;
      if (redrawBytes < 0) redrawBytes = data.length; // the first frame is the redraw, in one piece
      again.port.postMessage(JSON.stringify({ type: 'ack', bytes: data.length }));
    });
    await again.until(() => again.text.includes('flood-done'), 'the redraw');
    expect(again.text).not.toContain('early-line');
    expect(again.text).toMatch(/^x+\r?\n/);
    expect(redrawBytes).toBeGreaterThan(0);
    expect(redrawBytes).toBeLessThanOrEqual(RECENT_OUTPUT_BYTES);
    await expect.poll(() => core().terminals.flow(sessionId)).toEqual({ unacknowledged: 0, paused: false });
    again.type('echo "still-""here"\n');
    await again.until(() => again.text.includes('still-here'), 'a command after the flood');
    await call(core(), 'terminals.close', { sessionId });
    fs.rmSync(ran, { force: true });
  });

  it('is taken over by a second window: the first is told why and let go, the second types on', async () => {
    const { sessionId, window: first } = await openShell();
    first.type('echo "first-""window"\n');
    await first.until(() => first.text.includes('first-window'), 'the first echo');

    const second = connectPort(core(), sessionId);
    await first.until(() => first.has('closed'), 'the first window to be let go');
    expect(first.messages.at(-1)).toEqual({ type: 'closed', code: CLOSE_TAKEN_OVER, reason: 'This terminal is now shown in another window.' });
    await second.until(() => second.text.includes('first-window'), 'the redraw in the second window');
    second.type('echo "second-""window"\n');
    await second.until(() => second.text.includes('second-window'), 'the second echo');
    expect(first.text).not.toContain('second-window');
    expect((await listed(sessionId))?.attached).toBe(true);
    await call(core(), 'terminals.close', { sessionId });
  });

  it('ends a terminal no window has attached to for the idle time, and the log says so', async () => {
    const { sessionId, window } = await openShell();
    window.port.close();
    await expect.poll(() => core().sessionLog.get(sessionId).record.outcome, { timeout: IDLE_MS + 15_000, interval: 200 }).toBe(IDLE_OUTCOME);
    const { record, events } = core().sessionLog.get(sessionId);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'started', 'ended']);
    expect(record.detail.endedBecause).toBe('No window was attached for 3 seconds; Switchboard ended the session.');
    expect(record.detail.recordingSha256).toEqual(expect.any(String));
    expect((await listed(sessionId))?.state ?? 'gone').toMatch(/ended|gone/);
  });
});
