import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplayController, type ReplayTerminal } from '../../renderer/src/features/log/replay-controller';
import type { ReplayEvent } from '../../renderer/src/features/log/replay-timeline';

describe('ReplayController: the clock, pause, speed and seek over a terminal', () => {
  let wall = 0;
  beforeEach(() => { vi.useFakeTimers(); wall = 0; });
  afterEach(() => vi.useRealTimers());

  /** A terminal that keeps what was written since its last reset, and its size; writes land a tick later, as xterm's do. */
  function fakeTerminal() {
    const term = {
      resets: 0,
      screen: '',
      size: '',
      pending: [] as string[],
      write(data: string, callback?: () => void) {
        term.pending.push(data);
        setTimeout(() => { term.screen += term.pending.shift()!; callback?.(); }, 0);
      },
      resize(cols: number, rows: number) { term.size = `${cols}x${rows}`; },
      reset() { term.resets++; term.screen = ''; },
    };
    return term satisfies ReplayTerminal;
  }
  /** Output a..d at 0, 1, 2 and 3 s, typed input at 1.5 s (never written) and a resize at 2.5 s. */
  const events: ReplayEvent[] = [[0, 'o', 'a'], [1, 'o', 'b'], [1.5, 'i', 'x'], [2, 'o', 'c'], [2.5, 'r', '100x30'], [3, 'o', 'd']];
  const advance = async (ms: number) => { wall += ms; await vi.advanceTimersByTimeAsync(ms); };

  it('plays output at its times, scaled by speed, and pausing stops writing', async () => {
    const term = fakeTerminal();
    const c = new ReplayController(term, events, { cols: 80, rows: 24 }, 10, () => wall);
    c.play();
    await advance(1);
    expect(term.screen).toBe('a');
    await advance(1000);
    expect(term.screen).toBe('ab');
    c.pause();
    await advance(5000);
    expect(term.screen).toBe('ab');
    expect(c.now()).toBeCloseTo(1.001, 5);
    c.setSpeed(2);
    c.play();
    await advance(500);
    expect(term.screen).toBe('abc');
    await advance(250);
    expect(term.size).toBe('100x30');
    await advance(250);
    expect(term.screen).toBe('abcd');
    expect(c.getState()).toMatchObject({ playing: false, done: true, speed: 2 });
    expect(c.now()).toBe(c.duration);
    expect(term.resets).toBe(0);
  });

  it('a forward seek writes up to the target; a backward one resets the terminal to its recorded size first', async () => {
    const term = fakeTerminal();
    const c = new ReplayController(term, events, { cols: 80, rows: 24 }, 10, () => wall);
    const first = c.seek(2.6);
    expect(c.getState()).toMatchObject({ seeking: true });
    await vi.runAllTimersAsync();
    await first;
    expect(term.screen).toBe('abc');
    expect(term.size).toBe('100x30');
    expect(term.resets).toBe(0);
    await Promise.all([c.seek(99), vi.runAllTimersAsync()]);
    expect(term.screen).toBe('abcd');
    expect(c.getState()).toMatchObject({ done: true, seeking: false, seeks: 2 });
    await Promise.all([c.seek(0.5), vi.runAllTimersAsync()]);
    expect(term.resets).toBe(1);
    expect(term.size).toBe('80x24');
    expect(term.screen).toBe('a');
    expect(c.getState()).toMatchObject({ done: false, seeking: false, seeks: 3 });
  });

  it('play at the end starts over from the beginning', async () => {
    const term = fakeTerminal();
    const c = new ReplayController(term, events, { cols: 80, rows: 24 }, 10, () => wall);
    await Promise.all([c.seek(99), vi.runAllTimersAsync()]);
    c.play();
    await advance(10);
    expect(term.resets).toBe(1);
    expect(term.screen).toBe('a');
    expect(c.getState()).toMatchObject({ playing: true, done: false });
  });

  it('a seek overtaken by another stops; only the last one counts', async () => {
    const term = fakeTerminal();
    const c = new ReplayController(term, events, { cols: 80, rows: 24 }, 10, () => wall);
    const first = c.seek(3);
    const second = c.seek(1);
    await vi.runAllTimersAsync();
    await Promise.all([first, second]);
    expect(term.screen).toBe('ab');
    expect(c.getState()).toMatchObject({ seeks: 1, seeking: false });
  });

  it('dispose stops playback', async () => {
    const term = fakeTerminal();
    const c = new ReplayController(term, events, { cols: 80, rows: 24 }, 10, () => wall);
    c.play();
    await advance(1);
    c.dispose();
    await advance(5000);
    expect(term.screen).toBe('a');
  });
});
