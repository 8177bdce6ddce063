import { describe, expect, it } from 'vitest';
import { PACE_MS } from '../../renderer/src/api/output-pacer';
import { TerminalPump } from '../../renderer/src/api/terminal-pump';
import { fakeClock } from '../helpers/fake-pacer-clock';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** A pump between a recorded core and a recorded window; `settle` lets batched acks (a microtask) go out. */
function setUp() {
  const time = fakeClock();
  const toCore: Array<string | Uint8Array> = [];
  const toWindow: string[] = [];
  const pump = new TerminalPump({
    toCore: (frame) => toCore.push(frame),
    toWindowBytes: (data) => toWindow.push(text(data)),
    toWindowText: (message) => toWindow.push(`text:${message}`),
  }, time.clock);
  const acks = () => toCore.filter((f): f is string => typeof f === 'string').map((f) => JSON.parse(f) as { type: string; bytes: number; heldMs?: number });
  const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
  return { time, pump, toCore, toWindow, acks, settle };
}

describe('TerminalPump (the terminal worker: channel → window, acks → core)', () => {
  it('hands output after a quiet spell over at once and acks it to the core only once the window has written it', async () => {
    const { pump, toWindow, acks, settle } = setUp();
    pump.output(bytes('$ '));
    expect(toWindow).toEqual(['$ ']);
    await settle();
    expect(acks()).toEqual([]);
    pump.written();
    await settle();
    expect(acks()).toEqual([{ type: 'ack', bytes: 2 }]);
  });

  it('joins what arrives while the window writes into one hand-over, given when the window is done and the pace allows', async () => {
    const { time, pump, toWindow, acks, settle } = setUp();
    pump.output(bytes('a'));
    pump.output(bytes('b'));
    pump.output(bytes('c'));
    expect(toWindow).toEqual(['a']);
    pump.written();
    // Streaming: the rest waits for the pace, joined.
    expect(toWindow).toEqual(['a']);
    time.advance(PACE_MS);
    expect(toWindow).toEqual(['a', 'bc']);
    pump.written();
    await settle();
    expect(acks().reduce((sum, a) => sum + a.bytes, 0)).toBe(3);
    // The pacing's own wait is reported, so the core's window does not count it as slow writing.
    expect(acks().at(-1)?.heldMs).toBe(PACE_MS);
  });

  it('hands a control message over only after the output that came before it', () => {
    const { pump, toWindow } = setUp();
    pump.output(bytes('one'));
    pump.output(bytes('two'));
    pump.text('{"type":"exit"}');
    expect(toWindow).toEqual(['one', 'two', 'text:{"type":"exit"}']);
  });

  it('sends input to the core and ends the pacing at once: the echo after a keystroke is not held', () => {
    const { time, pump, toWindow, toCore } = setUp();
    pump.output(bytes('x'.repeat(10)));
    pump.written();
    time.advance(1);
    pump.output(bytes('held'));
    expect(toWindow).toHaveLength(1);
    pump.send(bytes('\u0003'));
    expect(toCore.map((f) => (typeof f === 'string' ? f : text(f)))).toEqual(['\u0003']);
    expect(toWindow).toEqual(['x'.repeat(10), 'held']);
  });

  it('passes control frames from the window (resize) without ending the pacing', () => {
    const { time, pump, toWindow, toCore } = setUp();
    pump.output(bytes('a'));
    pump.written();
    time.advance(1);
    pump.output(bytes('b'));
    pump.send('{"type":"resize","cols":80,"rows":24}');
    expect(toCore).toContain('{"type":"resize","cols":80,"rows":24}');
    expect(toWindow).toEqual(['a']);
  });

  it('hands what waits over when the channel ends, and nothing after close', () => {
    const { time, pump, toWindow } = setUp();
    pump.output(bytes('a'));
    pump.written();
    time.advance(1);
    pump.output(bytes('last words'));
    pump.ended();
    expect(toWindow).toEqual(['a', 'last words']);
    pump.close();
    pump.output(bytes('after'));
    time.advance(1000);
    expect(toWindow).toEqual(['a', 'last words']);
  });
});
