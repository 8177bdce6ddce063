import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { FlowController, HIGH_WATER_MARK, LOW_WATER_MARK } from '../../main/core/ssh/flow-control';
import { prng } from '../helpers/prng';

const KiB = 1024;

/** A fake SSH channel that records the order of pause/resume calls. */
function fakeSource() {
  const calls: Array<'pause' | 'resume'> = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

/** Pause and resume must strictly alternate, starting with a pause. */
function expectAlternating(calls: readonly string[]): void {
  calls.forEach((call, i) => expect(call).toBe(i % 2 === 0 ? 'pause' : 'resume'));
}

describe('FlowController', () => {
  it('uses 100 KiB / 64 KiB marks by default', () => {
    expect([HIGH_WATER_MARK, LOW_WATER_MARK]).toEqual([100 * KiB, 64 * KiB]);
  });

  type Op = ['sent' | 'ack', number];
  it.each<{ name: string; ops: Op[]; backlog: number; paused: boolean; calls: string[] }>([
    { name: 'at high exactly: no pause', ops: [['sent', 100]], backlog: 100, paused: false, calls: [] },
    { name: 'one byte over high pauses', ops: [['sent', 101]], backlog: 101, paused: true, calls: ['pause'] },
    { name: 'more while paused: still one pause', ops: [['sent', 101], ['sent', 50], ['sent', 50]], backlog: 201, paused: true, calls: ['pause'] },
    { name: 'draining above low stays paused', ops: [['sent', 150], ['ack', 129]], backlog: 21, paused: true, calls: ['pause'] },
    { name: 'draining to low exactly resumes', ops: [['sent', 150], ['ack', 130]], backlog: 20, paused: false, calls: ['pause', 'resume'] },
    { name: 'further acks after resume: no second resume', ops: [['sent', 150], ['ack', 140], ['ack', 10]], backlog: 0, paused: false, calls: ['pause', 'resume'] },
    { name: 'two full cycles', ops: [['sent', 101], ['ack', 101], ['sent', 120], ['ack', 100]], backlog: 20, paused: false, calls: ['pause', 'resume', 'pause', 'resume'] },
    { name: 'acks below high without a pause never resume', ops: [['sent', 90], ['ack', 90]], backlog: 0, paused: false, calls: [] },
  ])('$name', ({ ops, backlog, paused, calls }) => {
    const source = fakeSource();
    const flow = new FlowController(source, { high: 100, low: 20 });
    for (const [op, bytes] of ops) {
      if (op === 'sent') flow.sent(bytes);
      else flow.acknowledged(bytes);
    }
    expect({ backlog: flow.unacknowledged, paused: flow.paused, calls: source.calls }).toEqual({ backlog, paused, calls });
    expect([flow.pauses, flow.resumes]).toEqual([calls.filter((c) => c === 'pause').length, calls.filter((c) => c === 'resume').length]);
  });

  it('clamps acks that exceed what was sent, and counts them', () => {
    const source = fakeSource();
    const flow = new FlowController(source, { high: 100, low: 20 });
    flow.sent(150);
    flow.acknowledged(1_000);
    expect([flow.unacknowledged, flow.clamped, flow.paused, source.calls]).toEqual([0, 1, false, ['pause', 'resume']]);
    flow.acknowledged(1); // nothing outstanding at all
    expect([flow.unacknowledged, flow.clamped]).toEqual([0, 2]);
  });

  it.each([0, -1, -65_536, Number.NaN, Infinity, -Infinity, 1.5])('ignores %s and counts it', (bad) => {
    const flow = new FlowController(fakeSource(), { high: 100, low: 20 });
    flow.sent(50);
    flow.acknowledged(bad);
    flow.sent(bad);
    expect([flow.unacknowledged, flow.ignored, flow.clamped, flow.maxUnacknowledged]).toEqual([50, 2, 0, 50]);
  });

  it('reset() forgets a lost backlog and resumes', () => {
    const source = fakeSource();
    const flow = new FlowController(source, { high: 100, low: 20 });
    flow.sent(500);
    flow.reset();
    expect([flow.unacknowledged, flow.paused, source.calls]).toEqual([0, false, ['pause', 'resume']]);
  });

  it.each([{ high: 20, low: 20 }, { high: 10, low: 20 }, { high: 100, low: -1 }, { high: Number.NaN, low: 1 }])('rejects marks %o', (marks) => {
    expect(() => new FlowController(fakeSource(), marks)).toThrow(ApiError);
  });

  it('a 1 GiB flood in 64 KiB chunks with lagging acks never exceeds high + one chunk', () => {
    const chunk = 64 * KiB;
    const total = 1024 * 1024 * KiB;
    const source = fakeSource();
    const flow = new FlowController(source);
    let produced = 0;
    let acked = 0;
    // Each tick the channel delivers one chunk unless paused; the window writes only 40 KiB a tick.
    while (acked < total) {
      if (!flow.paused && produced < total) {
        flow.sent(chunk);
        produced += chunk;
      }
      expect(flow.unacknowledged).toBeLessThanOrEqual(HIGH_WATER_MARK + chunk);
      const ack = Math.min(40 * KiB, produced - acked);
      if (ack > 0) flow.acknowledged(ack);
      acked += ack;
    }
    expect(produced).toBe(total);
    expect(flow.maxUnacknowledged).toBeGreaterThan(HIGH_WATER_MARK);
    expect(flow.maxUnacknowledged).toBeLessThanOrEqual(HIGH_WATER_MARK + chunk);
    expect([flow.unacknowledged, flow.paused, flow.clamped, flow.ignored]).toEqual([0, false, 0, 0]);
    expect(flow.pauses).toBeGreaterThan(1000); // the flood really was throttled, repeatedly
    expect(flow.resumes).toBe(flow.pauses);
    expect(source.calls.length).toBe(flow.pauses + flow.resumes);
    expectAlternating(source.calls);
  });

  it.each([1, 2, 3, 42, 1337, 20_240_601])('keeps its invariants under a random schedule (seed %i)', (seed) => {
    const random = prng(seed);
    const high = 1 + Math.floor(random() * 200 * KiB);
    const low = Math.floor(random() * high);
    const source = fakeSource();
    const flow = new FlowController(source, { high, low });
    let model = 0;
    let max = 0;
    let wasPaused = false;
    for (let step = 0; step < 5_000; step++) {
      const roll = random();
      const size = Math.floor(random() * 96 * KiB);
      const bytes = roll < 0.05 ? [0, -size, Number.NaN, size + 0.5][Math.floor(random() * 4)]! : size;
      const valid = Number.isSafeInteger(bytes) && bytes > 0;
      if (roll < 0.5) {
        flow.sent(bytes);
        if (valid) model += bytes;
        if (valid && !wasPaused && model > high) expect(flow.paused).toBe(true);
      } else {
        flow.acknowledged(roll > 0.97 ? bytes * 4 : bytes);
        if (valid) model = Math.max(0, model - (roll > 0.97 ? bytes * 4 : bytes));
        if (wasPaused && model <= low) expect(flow.paused).toBe(false);
      }
      max = Math.max(max, model);
      wasPaused = flow.paused;
      expect(flow.unacknowledged).toBe(model);
      expect(flow.maxUnacknowledged).toBe(max);
      if (!flow.paused) expect(flow.unacknowledged).toBeLessThanOrEqual(high);
      if (flow.paused) expect(flow.unacknowledged).toBeGreaterThan(low);
    }
    expectAlternating(source.calls);
    expect(flow.pauses - flow.resumes).toBe(flow.paused ? 1 : 0);
    expect(flow.pauses + flow.resumes).toBe(source.calls.length);
  });
});

describe('FlowController with an adaptive window (window terminals)', () => {
  const base = { high: 100 * KiB, low: 64 * KiB };
  const maxHigh = 1024 * KiB;

  /** A flow controller on a fake clock: `advance(ms)` moves time on. */
  function adaptive(options: { targetDelayMs?: number; quietAfterInputMs?: number } = {}) {
    let now = 0;
    const source = fakeSource();
    const flow = new FlowController(source, { ...base, maxHigh, targetDelayMs: 30, quietAfterInputMs: 500, ...options, now: () => now });
    /** Chunks sent and not yet acknowledged, oldest first (kept across flood() calls). */
    const queue: number[] = [];
    return { flow, source, queue, advance: (ms: number) => { now += ms; } };
  }

  /**
   * A flood in 64 KiB chunks: the channel delivers a chunk every ms unless paused; the window writes
   * `writeBytesPerMs` (its acks arrive whole chunks at a time, as xterm's write callbacks do).
   */
  function flood(t: ReturnType<typeof adaptive>, ms: number, writeBytesPerMs: number) {
    const chunk = 64 * KiB;
    const { queue } = t;
    let budget = 0;
    let maxBacklog = 0;
    for (let i = 0; i < ms; i++) {
      t.advance(1);
      if (!t.flow.paused) { t.flow.sent(chunk); queue.push(chunk); }
      maxBacklog = Math.max(maxBacklog, t.flow.unacknowledged);
      budget += writeBytesPerMs;
      while (queue.length > 0 && budget >= queue[0]!) { budget -= queue[0]!; t.flow.acknowledged(queue.shift()!); }
      if (queue.length === 0) budget = 0;
    }
    return { maxBacklog };
  }

  it('grows while bulk output is written quickly, but never past its ceiling (+ one chunk in flight)', () => {
    const t = adaptive();
    const { maxBacklog } = flood(t, 2_000, 40 * KiB); // 40 MB/s: a full 1 MiB window is written in ~26 ms
    expect(t.flow.window).toBe(maxHigh);
    expect(t.flow.grown).toBe(4); // 100 → 200 → 400 → 800 KiB → the 1 MiB ceiling
    expect(maxBacklog).toBeGreaterThan(base.high);
    expect(maxBacklog).toBeLessThanOrEqual(maxHigh + 64 * KiB);
    expect(t.flow.maxUnacknowledged).toBe(maxBacklog);
    expectAlternating(t.source.calls);
  });

  it('stays small while the window writes slowly (costly output): what is in flight stays about the target delay', () => {
    const t = adaptive();
    const { maxBacklog } = flood(t, 5_000, 2 * KiB); // 2 MB/s: 100 KiB already takes 50 ms
    expect(t.flow.window).toBeLessThanOrEqual(2 * base.high);
    expect(maxBacklog).toBeLessThanOrEqual(2 * base.high + 64 * KiB);
  });

  it('does not count the time the window held output back on purpose (heldMs) as slow writing', () => {
    // The window paces its writes: every chunk waits ~50 ms in the page before xterm.js gets it, then is
    // written at once. Judged by sent → ack alone that is slow (it would stay at the base window);
    // with the held time reported, the window is seen writing quickly and may grow.
    const run = (reportHeld: boolean) => {
      const t = adaptive();
      for (let round = 0; round < 20; round++) {
        let inFlight = 0;
        while (!t.flow.paused) { t.flow.sent(64 * KiB); inFlight += 64 * KiB; }
        t.advance(50);
        t.flow.acknowledged(inFlight, reportHeld ? 48 : 0);
      }
      return t.flow;
    };
    expect(run(false).window).toBe(base.high);
    expect(run(false).grown).toBe(0);
    expect(run(true).window).toBe(maxHigh);
    // A held time longer than the whole delay, or a nonsense one, never makes a negative or NaN delay.
    const t = adaptive();
    t.flow.sent(100 * KiB);
    t.flow.sent(100 * KiB);
    t.advance(10);
    t.flow.acknowledged(100 * KiB, 10_000);
    expect(t.flow.lastDelayMs).toBe(0);
    t.flow.acknowledged(100 * KiB, Number.NaN);
    expect(t.flow.lastDelayMs).toBe(10);
  });

  it('shrinks back when acks slow down after it grew', () => {
    const t = adaptive();
    flood(t, 1_000, 40 * KiB);
    expect(t.flow.window).toBe(maxHigh);
    flood(t, 3_000, 2 * KiB);
    expect(t.flow.window).toBeLessThan(maxHigh / 2);
    expect(t.flow.shrunk).toBeGreaterThan(0);
  });

  it('input drops it to the base window at once and pauses right there when more is in flight', () => {
    const t = adaptive();
    flood(t, 1_000, 40 * KiB);
    // Mid-round: resumed, several hundred KiB in flight (more than the base window).
    while (t.flow.paused || t.flow.unacknowledged <= base.high) {
      if (t.flow.paused) t.flow.acknowledged(Math.min(64 * KiB, t.flow.unacknowledged));
      else t.flow.sent(64 * KiB);
    }
    const before = t.source.calls.length;
    expect(t.flow.paused).toBe(false);
    t.flow.input();
    // Ordering, not timing: the very next call the source got is the pause, before any further output or ack.
    expect(t.source.calls.slice(before)).toEqual(['pause']);
    expect([t.flow.window, t.flow.paused]).toEqual([base.high, true]);
    // It resumes at the base low-water mark, not the grown one.
    t.flow.acknowledged(t.flow.unacknowledged - base.low - 1);
    expect(t.flow.paused).toBe(true);
    t.flow.acknowledged(1);
    expect(t.source.calls.slice(before)).toEqual(['pause', 'resume']);
  });

  it('input with less than the base window in flight shrinks it without a pause', () => {
    const t = adaptive();
    flood(t, 1_000, 40 * KiB);
    t.flow.acknowledged(t.flow.unacknowledged);
    if (t.flow.paused) t.flow.acknowledged(1);
    const before = t.source.calls.length;
    t.flow.sent(10 * KiB);
    t.flow.input();
    expect(t.source.calls.slice(before)).toEqual([]);
    expect(t.flow.window).toBe(base.high);
  });

  it('does not grow again until nobody has typed for the quiet time', () => {
    const t = adaptive();
    flood(t, 300, 40 * KiB);
    t.flow.input();
    flood(t, 400, 40 * KiB); // typed 400 ms ago at most: still the base window
    expect(t.flow.window).toBe(base.high);
    flood(t, 500, 40 * KiB);
    expect(t.flow.window).toBe(maxHigh);
  });

  it('grows only after a chunk was measured, and reset() returns to the base window', () => {
    const t = adaptive();
    t.flow.sent(200 * KiB); // nothing acknowledged yet: no measurement, no growth
    expect([t.flow.window, t.flow.lastDelayMs, t.flow.paused]).toEqual([base.high, null, true]);
    t.flow.acknowledged(200 * KiB);
    flood(t, 1_000, 40 * KiB);
    expect(t.flow.window).toBe(maxHigh);
    t.flow.reset();
    expect([t.flow.window, t.flow.unacknowledged, t.flow.paused, t.flow.lastDelayMs]).toEqual([base.high, 0, false, null]);
  });

  it('without a ceiling it is the fixed window of before (input changes nothing)', () => {
    const source = fakeSource();
    const flow = new FlowController(source, base);
    for (let i = 0; i < 100; i++) { flow.sent(64 * KiB); flow.acknowledged(64 * KiB); }
    flow.sent(150 * KiB);
    flow.input();
    expect([flow.window, flow.grown, flow.shrunk, source.calls]).toEqual([base.high, 0, 0, ['pause']]);
  });

  it('rejects a ceiling below the high mark', () => {
    expect(() => new FlowController(fakeSource(), { ...base, maxHigh: base.high - 1 })).toThrow(ApiError);
  });
});
