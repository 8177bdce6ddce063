import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, OutputBatcher } from '../../main/core/sessions/output-batcher';
import { INPUT_SLICE_BYTES, InputPacer } from '../../main/core/sessions/input-pacer';
import { AckBatcher } from '../../renderer/src/api/ack-batcher';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('OutputBatcher (core → window frames)', () => {
  it('joins the chunks of one turn into one frame, in order', async () => {
    const frames: string[] = [];
    const batcher = new OutputBatcher((frame) => frames.push(frame.toString()));
    for (const line of ['a\r\n', 'b\r\n', 'c\r\n']) batcher.push(Buffer.from(line));
    expect(frames).toEqual([]);
    await tick();
    expect(frames).toEqual(['a\r\nb\r\nc\r\n']);
  });

  it('sends at once when a frame is full, and never splits a chunk', () => {
    const sizes: number[] = [];
    const batcher = new OutputBatcher((frame) => sizes.push(frame.length), 10);
    batcher.push(Buffer.alloc(6));
    batcher.push(Buffer.alloc(6));
    expect(sizes).toEqual([12]);
    batcher.push(Buffer.alloc(25));
    expect(sizes).toEqual([12, 25]);
  });

  it('flush() delivers what waits (before an exit is sent) and nothing twice', async () => {
    const frames: string[] = [];
    const batcher = new OutputBatcher((frame) => frames.push(frame.toString()));
    batcher.push(Buffer.from('last words'));
    batcher.flush();
    batcher.flush();
    await tick();
    expect(frames).toEqual(['last words']);
    expect(MAX_FRAME_BYTES).toBe(64 * 1024);
  });

  it('ignores empty chunks', async () => {
    const frames: Buffer[] = [];
    const batcher = new OutputBatcher((frame) => frames.push(frame));
    batcher.push(Buffer.alloc(0));
    await tick();
    expect(frames).toEqual([]);
  });
});

describe('AckBatcher (window → core acks)', () => {
  it('sums the write callbacks of one task into one ack', async () => {
    const acks: number[] = [];
    const batcher = new AckBatcher((bytes) => acks.push(bytes));
    batcher.add(100);
    batcher.add(250);
    batcher.add(50);
    expect(acks).toEqual([]);
    await Promise.resolve();
    expect(acks).toEqual([400]);
  });

  it('acks at once when a batch is large, so the core can resume without waiting', async () => {
    const acks: number[] = [];
    const batcher = new AckBatcher((bytes) => acks.push(bytes), 1000);
    batcher.add(600);
    batcher.add(600);
    expect(acks).toEqual([1200]);
    batcher.add(10);
    await Promise.resolve();
    expect(acks).toEqual([1200, 10]);
  });

  it('carries the held time of the newest bytes it sums (0 when none was given or it is nonsense)', async () => {
    const acks: Array<[number, number]> = [];
    const batcher = new AckBatcher((bytes, heldMs) => acks.push([bytes, heldMs]));
    batcher.add(100, 20);
    batcher.add(50, 7);
    await Promise.resolve();
    batcher.add(10);
    await Promise.resolve();
    batcher.add(10, Number.NaN);
    await Promise.resolve();
    expect(acks).toEqual([[150, 7], [10, 0], [10, 0]]);
  });

  it('never sends a zero, negative or NaN ack', async () => {
    const acks: number[] = [];
    const batcher = new AckBatcher((bytes) => acks.push(bytes));
    batcher.add(0);
    batcher.add(-5);
    batcher.add(Number.NaN);
    await Promise.resolve();
    expect(acks).toEqual([]);
  });
});

describe('InputPacer (window → SSH channel)', () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('sends keystrokes at once', () => {
    const writes: string[] = [];
    const pacer = new InputPacer((data) => writes.push(data.toString()), 8, 5);
    pacer.push(Buffer.from('l'));
    pacer.push(Buffer.from('s'));
    expect(writes).toEqual(['l', 's']);
  });

  it('sends a paste in slices with a gap after each full one, in order, nothing lost', async () => {
    const writes: string[] = [];
    const pacer = new InputPacer((data) => writes.push(data.toString()), 8, 5);
    pacer.push(Buffer.from('0123456789abcdefghij'));
    expect(writes).toEqual(['01234567']);
    expect(pacer.pending).toBe(12);
    pacer.push(Buffer.from('!'));
    await wait(30);
    expect(writes).toEqual(['01234567', '89abcdef', 'ghij!']);
    expect(pacer.pending).toBe(0);
  });

  it('holds what is typed ahead (up to the limit) and sends it, in order, on release', async () => {
    const writes: string[] = [];
    const pacer = new InputPacer((data) => writes.push(data.toString()), 8, 5);
    pacer.hold(6);
    pacer.push(Buffer.from('ls'));
    pacer.push(Buffer.from(' -l'));
    pacer.push(Buffer.from('toolong')); // would pass the limit: not typing ahead
    expect(writes).toEqual([]);
    pacer.release();
    pacer.push(Buffer.from('\r'));
    await wait(20);
    expect(writes.join('')).toBe('ls -l\r');
  });

  it('stop() drops what has not been sent', async () => {
    const writes: string[] = [];
    const pacer = new InputPacer((data) => writes.push(data.toString()), 4, 5);
    pacer.push(Buffer.from('abcdefgh'));
    pacer.stop();
    await wait(20);
    expect(writes).toEqual(['abcd']);
    expect(INPUT_SLICE_BYTES).toBe(16 * 1024);
  });
});
