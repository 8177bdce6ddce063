import { describe, expect, it } from 'vitest';
import { terminalControl } from '../../contract/inputs';
import type { PolicyDecision } from '../../contract/models';
import { RecentOutput } from '../../main/core/sessions/recent-output';
import { describeDuration, TerminalSessions, type OpenSsh, type TerminalEvent } from '../../main/core/sessions/terminal-sessions';

describe('terminal control frames', () => {
  it.each([
    [{ type: 'resize', cols: 120, rows: 40 }, true],
    [{ type: 'ack', bytes: 4096 }, true],
    [{ type: 'resize', cols: 0, rows: 40 }, false],
    [{ type: 'resize', cols: 120.5, rows: 40 }, false],
    [{ type: 'resize', cols: 100000, rows: 40 }, false],
    [{ type: 'ack', bytes: -1 }, false],
    [{ type: 'ack', bytes: 0 }, false],
    [{ type: 'ack', bytes: '10' }, false],
    [{ type: 'ack', bytes: 10, extra: true }, false],
    [{ type: 'ack', bytes: 4096, heldMs: 0 }, true],
    [{ type: 'ack', bytes: 4096, heldMs: 33 }, true],
    [{ type: 'ack', bytes: 4096, heldMs: -1 }, false],
    [{ type: 'ack', bytes: 4096, heldMs: 1.5 }, false],
    [{ type: 'ack', bytes: 4096, heldMs: 60_001 }, false],
    [{ type: 'ack', bytes: 4096, heldMs: '33' }, false],
    [{ type: 'input', data: 'ls' }, false],
    [null, false],
  ])('%j → valid %s', (frame, valid) => {
    expect(terminalControl.safeParse(frame).success).toBe(valid);
  });
});

const decision = (allowed: boolean): PolicyDecision => ({ allowed, reasons: [], address: allowed ? '127.0.0.1' : null, host: 'lab01', target: 'lab01', method: 'ssh', ticketId: 1, site: 'Labs/lab' });
const request = { siteId: 1, ticket: 'LAB-1', target: 'lab01', cols: 80, rows: 24 };

/** An openSsh that decides, then asks about the host key and never connects (the session stays null). */
function askingOpenSsh(allowed: boolean, answers: boolean[]): OpenSsh {
  return async (_request, prompts, { sessionId, onDecision }) => {
    onDecision(decision(allowed));
    if (!allowed) return { sessionId, decision: decision(false), session: null };
    answers.push(await prompts.confirmHostKey('lab01', 'SHA256:abc', new AbortController().signal));
    throw new Error('Host key for lab01 was not accepted.');
  };
}

describe('TerminalSessions (without a network)', () => {
  it('returns a denial at once and keeps no terminal', async () => {
    const terminals = new TerminalSessions(askingOpenSsh(false, []));
    const { sessionId, decision: d } = await terminals.open(request);
    expect(d.allowed).toBe(false);
    expect(terminals.has(sessionId)).toBe(false);
  });

  it('holds the host-key question for the window, asks a re-attached window again, and ends on "no"', async () => {
    const answers: boolean[] = [];
    const terminals = new TerminalSessions(askingOpenSsh(true, answers));
    const { sessionId } = await terminals.open(request);
    const first: TerminalEvent[] = [];
    const detach = terminals.attach(sessionId, (e) => first.push(e));
    expect(first).toEqual([{ type: 'hostKey', host: 'lab01', fingerprint: 'SHA256:abc' }]);
    detach();
    const second: TerminalEvent[] = [];
    terminals.attach(sessionId, (e) => second.push(e));
    expect(second).toEqual(first);
    terminals.answerHostKey(sessionId, false);
    await expect.poll(() => second.at(-1)?.type).toBe('exit');
    expect(answers).toEqual([false]);
    expect(second.at(-1)).toMatchObject({ type: 'exit', exit: { error: 'Host key for lab01 was not accepted.' } });
    expect(terminals.has(sessionId)).toBe(false);
  });

  it('answers "no" for the window when it closes a terminal still asking', async () => {
    const answers: boolean[] = [];
    const terminals = new TerminalSessions(askingOpenSsh(true, answers));
    const { sessionId } = await terminals.open(request);
    const exit = await terminals.close(sessionId);
    expect(answers).toEqual([false]);
    expect(exit.error).toMatch(/not accepted/);
  });

  it('refuses an answer nobody asked for', async () => {
    const terminals = new TerminalSessions(askingOpenSsh(true, []));
    expect(() => terminals.answerHostKey('3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c', true)).toThrow(/no open terminal/);
  });
});

describe('a terminal without a window', () => {
  it('is taken over by a second window: the first is told, and its late detach leaves the second attached', async () => {
    const terminals = new TerminalSessions(askingOpenSsh(true, []));
    const { sessionId } = await terminals.open(request);
    const first: TerminalEvent[] = [];
    const detachFirst = terminals.attach(sessionId, (e) => first.push(e));
    const second: TerminalEvent[] = [];
    terminals.attach(sessionId, (e) => second.push(e));
    expect(first.at(-1)).toEqual({ type: 'replaced' });
    expect(second).toEqual([{ type: 'hostKey', host: 'lab01', fingerprint: 'SHA256:abc' }]);
    detachFirst();
    expect(terminals.list()).toMatchObject([{ sessionId, attached: true, state: 'waiting', host: 'lab01', site: 'Labs/lab', ticket: 'LAB-1', idleEndsAt: null }]);
    await terminals.close(sessionId);
  });

  it('is ended once nobody has attached for the idle time, and not while a window shows it', async () => {
    const answers: boolean[] = [];
    const terminals = new TerminalSessions(askingOpenSsh(true, answers), { idleTimeoutMs: 200 });
    const shown = (await terminals.open(request)).sessionId;
    terminals.attach(shown, () => {});
    const unattended = (await terminals.open(request)).sessionId;
    expect(terminals.list().find((t) => t.sessionId === unattended)).toMatchObject({ attached: false, idleEndsAt: expect.any(String) });
    await expect.poll(() => answers, { timeout: 2000 }).toEqual([false]);
    expect(terminals.list().map((t) => [t.sessionId, t.state])).toEqual([[shown, 'waiting'], [unattended, 'ended']]);
    await terminals.close(shown);
  });

  it('starts the idle clock again when its window goes away', async () => {
    const answers: boolean[] = [];
    const terminals = new TerminalSessions(askingOpenSsh(true, answers), { idleTimeoutMs: 150 });
    const { sessionId } = await terminals.open(request);
    const detach = terminals.attach(sessionId, () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answers).toEqual([]);
    detach();
    await expect.poll(() => answers, { timeout: 2000 }).toEqual([false]);
  });

  it.each([
    [15 * 60_000, '15 minutes'],
    [60_000, '1 minute'],
    [2000, '2 seconds'],
    [1000, '1 second'],
    [300, '300 ms'],
  ])('describes %i ms as "%s"', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});

describe('RecentOutput', () => {
  const text = (recent: RecentOutput) => recent.snapshot().toString('latin1');

  it.each([
    ['keeps everything under the limit', 16, ['ab', 'cd\n', 'ef'], 'abcd\nef'],
    ['keeps exactly the limit', 4, ['ab', 'cd'], 'abcd'],
    ['drops whole chunks from the front; a cut at a line break keeps the next line', 7, ['xx\n', 'ab\ncd', 'ef'], 'ab\ncdef'],
    ['drops a whole chunk mid-line, then starts after the first line break', 6, ['xx', 'ab\ncd', 'ef'], 'cdef'],
    ['cuts just after a line break inside a chunk and keeps the next line', 7, ['01\n45', '6\n789'], '456\n789'],
    ['cuts inside a chunk, then starts after the first line break', 6, ['0123\n45', '6\n789'], '789'],
    ['keeps a cut tail without line breaks as it is', 4, ['abcdef', 'gh'], 'efgh'],
    ['ignores empty chunks', 4, ['', 'ab', ''], 'ab'],
  ])('%s', (_what, limit, chunks, expected) => {
    const recent = new RecentOutput(limit);
    for (const chunk of chunks) recent.push(Buffer.from(chunk, 'latin1'));
    expect(text(recent)).toBe(expected);
    expect(recent.bytes).toBeLessThanOrEqual(limit);
  });

  it('holds no more than its limit however much is pushed', () => {
    const recent = new RecentOutput(1024);
    for (let i = 0; i < 10_000; i++) recent.push(Buffer.from(`line ${i}\n`));
    expect(recent.bytes).toBe(1024);
    expect(text(recent).endsWith('line 9999\n')).toBe(true);
    expect(text(recent).startsWith('line ')).toBe(true);
  });
});
