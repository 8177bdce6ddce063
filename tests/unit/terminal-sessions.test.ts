import { describe, expect, it } from 'vitest';
import { terminalControl } from '../../contract/inputs';
import type { PolicyDecision } from '../../contract/models';
import { TerminalSessions, type OpenSsh, type TerminalEvent } from '../../main/core/sessions/terminal-sessions';

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
    expect(() => terminals.attach(sessionId, () => {})).toThrow(/already shown/);
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
