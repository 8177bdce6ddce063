import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../contract/errors';
import { parseVncRecording, VNC_RECORDING_MAGIC, vncRecordingServerInit } from '../../contract/vnc-recording-format';
import { iterateVncRecording, readVncRecording, VncRecorder, type VncRecorderFs, type VncRecorderOptions } from '../../main/core/vnc/vnc-recording';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-vnc-recording-');
const START = Date.UTC(2026, 0, 12, 14, 5, 0, 750);
/** A ServerInit for 1024x768 "lab:1": 24 bytes of screen description, then the name. */
const SERVER_INIT = Buffer.concat([Buffer.from([4, 0, 3, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0, 0, 0, 0, 5]), Buffer.from('lab:1')]);

function clock(start = START) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

function recorder(overrides: Partial<VncRecorderOptions> = {}) {
  const file = path.join(tempDir(), 'nested', 'session.vncrec');
  const time = clock();
  const rec = VncRecorder.create({
    file, sessionId: 'sess-7', title: 'pbx1 (TCK-9)', width: 1024, height: 768, name: 'lab:1', serverInit: SERVER_INIT,
    recordInput: true, now: time.now, ...overrides,
  });
  return { file, time, rec };
}

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/** Real fs, except the `failAt`-th write (writev or write, counting the header's) throws ENOSPC, and so do all after it. */
function fullDisk(failAt: number, options: { partialFirst?: boolean } = {}): VncRecorderFs & { writes: () => number } {
  let writes = 0;
  return {
    ...fs,
    writes: () => writes,
    writevSync: ((fd: number, buffers: NodeJS.ArrayBufferView[]) => {
      if (++writes >= failAt) {
        // A disk filling mid-event: the kernel takes a few bytes, then the next write fails.
        if (options.partialFirst && writes === failAt) return fs.writeSync(fd, buffers[0] as Uint8Array, 0, 4);
        throw enospc();
      }
      return fs.writevSync(fd, buffers);
    }) as typeof fs.writevSync,
    writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
      if (++writes >= failAt) throw enospc();
      return (fs.writeSync as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync,
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('VncRecorder and its reader', () => {
  it('writes the magic line and a header a replay can greet a viewer from, in a 0600 file', async () => {
    const { file, rec } = recorder();
    const result = await rec.close();
    const text = fs.readFileSync(file, 'latin1');
    expect(text.startsWith(VNC_RECORDING_MAGIC)).toBe(true);
    const { header, events, truncated } = readVncRecording(file);
    expect(header).toEqual({
      version: 1, sessionId: 'sess-7', title: 'pbx1 (TCK-9)', timestamp: Math.floor(START / 1000), width: 1024, height: 768,
      name: 'lab:1', serverInit: SERVER_INIT.toString('base64'), recordInput: true,
    });
    expect(Buffer.from(vncRecordingServerInit(header))).toEqual(SERVER_INIT);
    expect(events).toEqual([]);
    expect(truncated).toBe(false);
    expect(result).toEqual({ file, sha256: sha256(fs.readFileSync(file)), bytes: fs.statSync(file).size, complete: true });
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('round-trips server output and viewer messages byte for byte, with times that never go backwards', async () => {
    const { file, time, rec } = recorder();
    const big = bytes(300_000, 3);
    time.advance(12);
    rec.output(bytes(1, 1));
    time.advance(1_000);
    rec.input(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61])); // KeyEvent 'a' down
    time.advance(-5_000); // a wall clock stepping back
    rec.output(big);
    time.advance(5_500);
    rec.output(new Uint8Array(0)); // nothing to record
    rec.output(bytes(65_536, 9));
    const result = await rec.close();

    const { events, truncated } = readVncRecording(file);
    expect(truncated).toBe(false);
    expect(events.map(({ t, kind, data }) => ({ t, kind, data: sha256(data), length: data.length }))).toEqual([
      { t: 12, kind: 'o', data: sha256(bytes(1, 1)), length: 1 },
      { t: 1012, kind: 'i', data: sha256(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61])), length: 8 },
      { t: 1012, kind: 'o', data: sha256(big), length: 300_000 },
      { t: 1512, kind: 'o', data: sha256(bytes(65_536, 9)), length: 65_536 },
    ]);
    const onDisk = fs.readFileSync(file);
    expect(result.sha256).toBe(sha256(onDisk));
    expect(result.bytes).toBe(onDisk.length);
    // The window's parser (no Node) reads the same bytes to the same events.
    const parsed = parseVncRecording(new Uint8Array(onDisk));
    expect(parsed.events.map((e) => [e.t, e.kind, Buffer.from(e.data).equals(events[parsed.events.indexOf(e)]!.data)])).toEqual(events.map((e) => [e.t, e.kind, true]));
  });

  it('streams a recording in chunks of any size to the same events', async () => {
    const { file, time, rec } = recorder();
    for (let i = 0; i < 20; i++) {
      time.advance(i);
      rec.output(bytes(i * 97, i));
      rec.input(Buffer.from([5, i, 0, i, 0, i]));
    }
    await rec.close();
    const whole = readVncRecording(file);
    for (const chunkBytes of [1, 7, 9, 4096]) {
      const seen: Array<{ t: number; kind: string; data: Buffer }> = [];
      let header: unknown = null;
      let end: unknown = null;
      for await (const item of iterateVncRecording(file, chunkBytes)) {
        if (item.type === 'header') header = item.header;
        else if (item.type === 'event') seen.push(item.event);
        else end = item.truncated;
      }
      expect(header).toEqual(whole.header);
      expect(seen).toEqual(whole.events);
      expect(end).toBe(false);
    }
  });

  it('records no input unless the site chose input recording', async () => {
    const { file, rec } = recorder({ recordInput: false });
    rec.input(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]));
    rec.output(Buffer.from('frame'));
    await rec.close();
    const { header, events } = readVncRecording(file);
    expect(header.recordInput).toBe(false);
    expect(events.map((e) => e.kind)).toEqual(['o']);
  });

  it('never overwrites an earlier recording', async () => {
    const { file, rec } = recorder();
    rec.output(Buffer.from('first'));
    await rec.close();
    const before = fs.readFileSync(file);
    expect(() => VncRecorder.create({ file, sessionId: 'sess-8', width: 10, height: 10, name: '', serverInit: SERVER_INIT, recordInput: false }))
      .toThrow(expect.objectContaining({ code: 'CONFLICT', message: `A recording already exists at ${file}; it was left untouched.` }));
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it('on a full disk: marks itself failed, tells its listeners once, throws from output and input, and close gives what was written', async () => {
    const disk = fullDisk(3); // 1: header, 2: first event, 3: fails
    const { file, rec } = recorder({ fs: disk });
    const listener = vi.fn();
    rec.onFailure(listener);
    rec.output(Buffer.from('one'));
    expect(rec.failed).toBeNull();
    expect(() => rec.output(Buffer.from('two'))).toThrow(/^Recording to .* failed \(ENOSPC: no space left on device\); the session was ended rather than continue unrecorded\.$/);
    expect(rec.failed).toBeInstanceOf(ApiError);
    expect(() => rec.output(Buffer.from('three'))).toThrow(rec.failed!);
    expect(() => rec.input(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]))).toThrow(rec.failed!);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(rec.failed);
    const late = vi.fn();
    rec.onFailure(late);
    expect(late).toHaveBeenCalledTimes(1);
    expect(disk.writes()).toBe(3); // nothing more was attempted after the failure

    const result = await rec.close();
    const onDisk = fs.readFileSync(file);
    expect(result).toEqual({ file, sha256: sha256(onDisk), bytes: onDisk.length, complete: false });
    const { events, truncated } = readVncRecording(file);
    expect(events.map((e) => e.data.toString())).toEqual(['one']);
    expect(truncated).toBe(false);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('cuts off an event the disk took only part of, so the file stays readable and its hash true', async () => {
    const disk = fullDisk(3, { partialFirst: true });
    const { file, rec } = recorder({ fs: disk });
    rec.output(Buffer.from('one'));
    expect(() => rec.output(Buffer.from('two'))).toThrow(/ENOSPC/);
    const result = await rec.close();
    const onDisk = fs.readFileSync(file);
    expect(result.sha256).toBe(sha256(onDisk));
    expect(readVncRecording(file)).toMatchObject({ truncated: false, events: [{ kind: 'o' }] });
  });

  it('does not start a session it cannot record, and leaves no file to block a retry', () => {
    const file = path.join(tempDir(), 'session.vncrec');
    expect(() => VncRecorder.create({ file, sessionId: 's', width: 10, height: 10, name: '', serverInit: SERVER_INIT, recordInput: false, fs: fullDisk(1) }))
      .toThrow(/^Could not start recording to .* \(ENOSPC: no space left on device\); the session was not opened\.$/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('reads a recording whose last event was cut off by a crash: the complete events, and truncated', async () => {
    const { file, time, rec } = recorder();
    rec.output(Buffer.from('first'));
    time.advance(40);
    rec.output(Buffer.from('second'));
    rec.output(Buffer.from('third, cut off'));
    await rec.close();
    const whole = fs.readFileSync(file);
    const lastEvent = whole.length - (9 + 'third, cut off'.length);
    for (const cut of [lastEvent + 4, lastEvent + 9, whole.length - 1]) {
      fs.writeFileSync(file, whole.subarray(0, cut));
      const read = readVncRecording(file);
      expect(read.truncated).toBe(true);
      expect(read.events.map((e) => [e.t, e.data.toString()])).toEqual([[0, 'first'], [40, 'second']]);
      expect(parseVncRecording(whole.subarray(0, cut)).truncated).toBe(true);
    }
    fs.writeFileSync(file, whole.subarray(0, lastEvent));
    expect(readVncRecording(file).truncated).toBe(false);
  });

  const header = JSON.stringify({ version: 1, sessionId: 's', title: 't', timestamp: 1, width: 8, height: 8, name: 'n', serverInit: SERVER_INIT.toString('base64'), recordInput: false });
  const event = (kind: number, t: number, data: Buffer) => {
    const head = Buffer.alloc(9);
    head[0] = kind;
    head.writeUInt32BE(t, 1);
    head.writeUInt32BE(data.length, 5);
    return Buffer.concat([head, data]);
  };
  const file = (...parts: Array<string | Buffer>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  it.each([
    ['an empty file', Buffer.alloc(0), /the file is empty/],
    ['an asciicast', file('{"version": 2, "width": 80, "height": 24}\n'), /does not start with "SWITCHBOARD-VNC-RECORDING 1"/],
    ['a later format version', file('SWITCHBOARD-VNC-RECORDING 2\n', header, '\n'), /does not start with "SWITCHBOARD-VNC-RECORDING 1"/],
    ['a header cut off', file(VNC_RECORDING_MAGIC, header.slice(0, 20)), /ends before its header line does/],
    ['a header that is not JSON', file(VNC_RECORDING_MAGIC, '{nope\n'), /header line is not JSON/],
    ['a header without the screen size', file(VNC_RECORDING_MAGIC, header.replace('"width":8,', ''), '\n'), /header's width is invalid/],
    ['an unknown event kind', file(VNC_RECORDING_MAGIC, header, '\n', event(0x6f, 0, Buffer.from('ok')), event(0x72, 1, Buffer.from('?'))), /byte \d+ starts an event of kind 0x72/],
    ['time going backwards', file(VNC_RECORDING_MAGIC, header, '\n', event(0x6f, 50, Buffer.from('a')), event(0x6f, 49, Buffer.from('b'))), /is at 49 ms, before the one before it \(50 ms\)/],
    ['an absurd length', file(VNC_RECORDING_MAGIC, header, '\n', Buffer.from([0x6f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])), /claims 4294967295 bytes/],
  ])('refuses %s with a message naming what is wrong', (_name, bytes, message) => {
    const where = path.join(tempDir(), 'bad.vncrec');
    fs.writeFileSync(where, bytes);
    expect(() => readVncRecording(where)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }));
    expect(() => readVncRecording(where)).toThrow(new RegExp(`^${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid Switchboard VNC recording: `));
    expect(() => parseVncRecording(bytes)).toThrow(message);
  });

  it('names a recording that is not there', () => {
    expect(() => readVncRecording(path.join(tempDir(), 'missing.vncrec'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
