import { describe, expect, it } from 'vitest';
import { buildTimeline, eventsUpTo, formatClock, MAX_BATCH_CHARS, showInput, stepsBetween, type ReplayEvent } from '../../renderer/src/features/log/replay-timeline';

const EVENTS: ReplayEvent[] = [
  [0.5, 'o', '$ '],
  [1.0, 'i', 'l'],
  [1.1, 'i', 's'],
  [1.2, 'i', '\r'],
  [1.25, 'o', 'ls\r\n'],
  [1.3, 'o', 'a b\r\n$ '],
  [31.3, 'r', '100x30'], // 30 s idle: capped to 2
  [31.4, 'o', 'after resize'],
  [40.0, 'i', 'exit\r'],
];

describe('buildTimeline', () => {
  it('caps idle gaps and keeps every other gap as recorded', () => {
    const { times, duration } = buildTimeline(EVENTS, 2);
    expect(times.map((t) => Number(t.toFixed(2)))).toEqual([0.5, 1, 1.1, 1.2, 1.25, 1.3, 3.3, 3.4, 5.4]);
    expect(duration).toBeCloseTo(5.4);
  });

  it('groups typed input until Enter or a pause', () => {
    expect(buildTimeline(EVENTS, 2).inputs).toEqual([
      { time: 1, text: 'ls\r' },
      { time: expect.closeTo(5.4) as number, text: 'exit\r' },
    ]);
    const slow: ReplayEvent[] = [[0, 'i', 'a'], [1, 'i', 'b'], [4, 'i', 'c']];
    expect(buildTimeline(slow, 10).inputs.map((g) => g.text)).toEqual(['ab', 'c']);
  });

  it('is empty for an empty recording', () => {
    expect(buildTimeline([], 2)).toEqual({ times: [], duration: 0, inputs: [] });
  });
});

describe('eventsUpTo', () => {
  const { times } = buildTimeline(EVENTS, 2);
  it.each([
    [-1, 0], [0, 0], [0.5, 1], [1.15, 3], [1.3, 6], [3.35, 7], [5.4, 9], [99, 9],
  ])('at %s s, %i events have happened', (time, count) => {
    expect(eventsUpTo(times, time)).toBe(count);
  });
});

describe('stepsBetween', () => {
  it('joins output into one write, keeps resizes in place and never writes typed input', () => {
    expect(stepsBetween(EVENTS, 0, EVENTS.length)).toEqual([
      { kind: 'write', data: '$ ls\r\na b\r\n$ ' },
      { kind: 'resize', cols: 100, rows: 30 },
      { kind: 'write', data: 'after resize' },
    ]);
  });

  it('replays only the range asked for', () => {
    expect(stepsBetween(EVENTS, 4, 6)).toEqual([{ kind: 'write', data: 'ls\r\na b\r\n$ ' }]);
    expect(stepsBetween(EVENTS, 1, 4)).toEqual([]);
  });

  it('splits a large recording into a few batches of at most the batch size, losing nothing', () => {
    const line = `${'x'.repeat(99)}\n`;
    const many: ReplayEvent[] = Array.from({ length: 50_000 }, (_, i) => [i / 1000, 'o', line]);
    const steps = stepsBetween(many, 0, many.length);
    expect(steps.length).toBe(Math.ceil((50_000 * 100) / MAX_BATCH_CHARS));
    expect(steps.every((s) => s.kind === 'write' && s.data.length <= MAX_BATCH_CHARS)).toBe(true);
    expect(steps.map((s) => (s.kind === 'write' ? s.data : '')).join('')).toBe(line.repeat(50_000));
  });

  it('skips unknown event types and malformed sizes', () => {
    expect(stepsBetween([[0, 'm', 'marker'], [0, 'r', '0x10'], [0, 'o', 'ok']], 0, 3)).toEqual([{ kind: 'write', data: 'ok' }]);
  });
});

describe('display helpers', () => {
  it.each([
    ['ls -l\r', 'ls -l⏎'],
    ['\x03', '^C'],
    ['\x1b[A', '␛[A'],
    ['ab\x7f', 'ab⌫'],
    ['\t', '⇥'],
  ])('shows typed %j as %j', (typed, shown) => {
    expect(showInput(typed)).toBe(shown);
  });

  it.each([[0, '0:00'], [5.9, '0:05'], [75.4, '1:15'], [3723, '1:02:03'], [-3, '0:00']])('formats %s s as %s', (seconds, text) => {
    expect(formatClock(seconds)).toBe(text);
  });

  it.each([[0, '0:00.0'], [0.46, '0:00.4'], [5.99, '0:05.9'], [59.5, '0:59.5']])('formats %s s with tenths as %s', (seconds, text) => {
    expect(formatClock(seconds, true)).toBe(text);
  });
});
