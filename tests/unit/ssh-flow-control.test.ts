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
