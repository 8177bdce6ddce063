import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VncRecordingEvent } from '../../contract/vnc-recording-format';
import { ReplayChannel } from '../../renderer/src/features/log/vnc-replay-channel';
import { VncReplayController, type VncReplaySink } from '../../renderer/src/features/log/vnc-replay-controller';
import { buildVncTimeline, describeVncInput, keysymText } from '../../renderer/src/features/log/vnc-replay-timeline';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (data: ArrayBuffer) => new TextDecoder().decode(data);
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ReplayChannel: the server side of an RFB 3.8 handshake with security None', () => {
  /** A channel and what it has delivered to its viewer, as noVNC would see it. */
  function channel(serverInit = bytes(0, 4, 0, 3, 9, 9)) {
    const received: ArrayBuffer[] = [];
    const failures: string[] = [];
    const c = new ReplayChannel(serverInit, (why) => failures.push(why));
    c.onmessage = (e) => received.push(e.data);
    return { c, received, failures };
  }

  it('greets, offers only None, accepts, and sends the recorded ServerInit after ClientInit; fed bytes wait for it', async () => {
    const { c, received, failures } = channel();
    expect(c.readyState).toBe('open');
    c.start();
    c.feed(bytes(0, 0, 0, 1)); // recorded server output, fed before the viewer is ready
    await flush();
    expect(received.map(text)).toEqual(['RFB 003.008\n']);
    c.send(new TextEncoder().encode('RFB 003.008\n'));
    await flush();
    expect([...new Uint8Array(received[1]!)]).toEqual([1, 1]);
    c.send(bytes(1));
    await flush();
    expect([...new Uint8Array(received[2]!)]).toEqual([0, 0, 0, 0]);
    c.send(bytes(1)); // ClientInit: shared
    await c.streaming;
    expect(received.slice(3).map((d) => [...new Uint8Array(d)])).toEqual([[0, 4, 0, 3, 9, 9], [0, 0, 0, 1]]);
    c.send(bytes(0, 1, 2, 3)); // SetPixelFormat and the rest: ignored
    c.feed(bytes(2)); // a bell, now delivered at once
    expect([...new Uint8Array(received.at(-1)!)]).toEqual([2]);
    expect(failures).toEqual([]);
  });

  it('the viewer\'s version and security choice arrive in any chunking', async () => {
    const { c, received } = channel();
    c.start();
    await flush();
    c.send(new TextEncoder().encode('RFB 003'));
    c.send(new TextEncoder().encode('.008\n'));
    await flush();
    expect(received).toHaveLength(2);
  });

  it.each([
    ['another protocol version', () => [new TextEncoder().encode('RFB 003.003\n')], /RFB 003\.003/],
    ['a security type other than None', () => [new TextEncoder().encode('RFB 003.008\n'), bytes(2)], /security type 2/],
  ])('refuses a viewer answering with %s and closes', async (_name, answers, why) => {
    const { c, failures } = channel();
    let closed = false;
    c.onclose = () => (closed = true);
    c.start();
    await flush();
    for (const answer of answers()) { c.send(answer); await flush(); }
    expect(failures.join()).toMatch(why);
    expect(c.readyState).toBe('closed');
    await flush();
    expect(closed).toBe(true);
  });
});

describe('VNC replay input: what a reviewer sees of the viewer\'s messages', () => {
  const key = (keysym: number, down = 1) => { const d = new Uint8Array(8); d[0] = 4; d[1] = down; new DataView(d.buffer).setUint32(4, keysym); return d; };
  const pointer = (mask: number, x: number, y: number) => { const d = new Uint8Array(6); d[0] = 5; d[1] = mask; new DataView(d.buffer).setUint16(2, x); new DataView(d.buffer).setUint16(4, y); return d; };

  it.each([
    [0x61, 'a'], [0x41, 'A'], [0x20, ' '], [0xe9, 'é'], [0xff0d, '⏎'], [0xff08, '⌫'], [0xffe3, '‹Ctrl›'], [0xffbe, '‹F1›'], [0x010020ac, '€'], [0xfe03, '‹0xfe03›'],
  ])('keysym %s is %j', (keysym, shown) => expect(keysymText(keysym)).toBe(shown));

  it.each([
    ['a key press', key(0x61), 0, 'a', 0],
    ['a key release', key(0x61, 0), 0, null, 0],
    ['Shift alone', key(0xffe1), 0, null, 0],
    ['a left press', pointer(1, 10, 20), 0, '[click 10,20]', 1],
    ['a drag with the button held', pointer(1, 11, 21), 1, null, 1],
    ['a release', pointer(0, 11, 21), 1, null, 0],
    ['a right press', pointer(4, 5, 6), 0, '[right-click 5,6]', 4],
    ['a move', pointer(0, 1, 1), 0, null, 0],
    ['clipboard sent', bytes(6, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69), 0, '[clipboard: hi]', 0],
    ['an update request', bytes(3, 1, 0, 0, 0, 0, 1, 0, 1, 0), 0, null, 0],
    ['a cut-short key event', bytes(4, 1, 0), 0, null, 0],
  ])('%s', (_name, data, before, shown, after) => {
    expect(describeVncInput(data, before)).toEqual({ text: shown, buttons: after });
  });

  it('groups keys typed close together, and a click or Enter ends a group; times are on the idle-capped clock', () => {
    const event = (t: number, kind: 'o' | 'i', data: Uint8Array): VncRecordingEvent => ({ t, kind, data });
    const timeline = buildVncTimeline([
      event(0, 'o', bytes(2)),
      event(100, 'i', key(0x6c)), event(200, 'i', key(0x73)), event(300, 'i', key(0xff0d)),
      event(10_000, 'i', pointer(1, 3, 4)), event(10_100, 'i', pointer(0, 3, 4)),
      event(10_200, 'i', key(0x78)),
    ], 2);
    expect(timeline.inputs).toEqual([
      { time: 0.1, text: 'ls⏎' },
      { time: expect.closeTo(2.3, 5) as number, text: '[click 3,4]' },
      { time: expect.closeTo(2.5, 5) as number, text: 'x' },
    ]);
    expect(timeline.duration).toBeCloseTo(2.5, 5);
  });
});

describe('VncReplayController: the clock, pause, speed and seek over a viewer', () => {
  let wall = 0;
  beforeEach(() => { vi.useFakeTimers(); wall = 0; });
  afterEach(() => vi.useRealTimers());

  /** A viewer that keeps what it was fed since its last reset, as the byte values of one-byte events. */
  function fakeSink() {
    const sink = { resets: 0, fed: [] as number[], reset() { sink.resets++; sink.fed = []; }, feed(d: Uint8Array) { sink.fed.push(d[0]!); }, settle: () => Promise.resolve() };
    return sink satisfies VncReplaySink;
  }
  /** Output bytes 1..4 at 0, 1, 2 and 3 s, and a recorded input at 1.5 s that is never fed. */
  const events: VncRecordingEvent[] = [
    { t: 0, kind: 'o', data: bytes(1) }, { t: 1000, kind: 'o', data: bytes(2) }, { t: 1500, kind: 'i', data: bytes(4, 1, 0, 0, 0, 0, 0, 0x61) },
    { t: 2000, kind: 'o', data: bytes(3) }, { t: 3000, kind: 'o', data: bytes(4) },
  ];
  const advance = async (ms: number) => { wall += ms; await vi.advanceTimersByTimeAsync(ms); };

  it('plays output at its times, scaled by speed, and pausing stops feeding', async () => {
    const sink = fakeSink();
    const c = new VncReplayController(sink, events, 10, () => wall);
    c.play();
    await advance(1);
    expect(sink.fed).toEqual([1]);
    await advance(1000);
    expect(sink.fed).toEqual([1, 2]);
    c.pause();
    await advance(5000);
    expect(sink.fed).toEqual([1, 2]);
    c.setSpeed(2);
    c.play();
    await advance(500); // one second of recording at 2×
    expect(sink.fed).toEqual([1, 2, 3]);
    await advance(500);
    expect(sink.fed).toEqual([1, 2, 3, 4]);
    expect(c.getState()).toMatchObject({ playing: false, done: true });
    expect(sink.resets).toBe(1);
  });

  it('a forward seek feeds everything up to the target at once; a backward seek starts a fresh viewer from the first byte', async () => {
    const sink = fakeSink();
    const c = new VncReplayController(sink, events, 10, () => wall);
    await c.seek(2.5);
    expect(sink.fed).toEqual([1, 2, 3]);
    expect(sink.resets).toBe(1);
    await c.seek(3);
    expect(sink.fed).toEqual([1, 2, 3, 4]);
    expect(sink.resets).toBe(1);
    await c.seek(0.5);
    expect(sink.resets).toBe(2);
    expect(sink.fed).toEqual([1]);
    expect(c.getState()).toMatchObject({ seeking: false, seeks: 3, playing: false });
  });

  it('a seek overtaken by another does not finish; only the last one counts', async () => {
    const sink = fakeSink();
    let release: (() => void) | null = null;
    // The first seek's viewer is slow to settle; the second's is not.
    sink.settle = () => (release ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve)));
    const c = new VncReplayController(sink, events, 10, () => wall);
    void c.seek(3);
    await vi.waitFor(() => expect(release).not.toBeNull());
    const second = c.seek(1);
    release!();
    await second;
    expect(sink.fed).toEqual([1, 2]);
    expect(c.getState().seeks).toBe(1);
  });
});
