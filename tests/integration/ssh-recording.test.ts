import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../contract/errors';
import { AsciicastRecorder, readAsciicast, type RecorderFs, type RecorderOptions } from '../../main/core/ssh/recording';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-recording-');
const START = Date.UTC(2025, 5, 1, 9, 30, 0, 250);

/** A clock the test moves by hand, in milliseconds. */
function clock(start = START) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

function recorder(overrides: Partial<RecorderOptions> = {}) {
  const file = path.join(tempDir(), 'nested', 'dir', 'session.cast');
  const time = clock();
  const rec = AsciicastRecorder.create({ file, sessionId: 'sess-42', width: 120, height: 40, recordInput: true, now: time.now, ...overrides });
  return { file, time, rec };
}

/** Real fs, except writeSync starts failing with ENOSPC after `okWrites` successful calls. */
function fullDisk(okWrites: number): RecorderFs {
  let writes = 0;
  return {
    ...fs,
    writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
      if (++writes > okWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      return (fs.writeSync as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync,
  };
}

describe('AsciicastRecorder', () => {
  it('writes an asciicast v2 header carrying the session id, in a 0600 file in a created directory', async () => {
    const { file, rec } = recorder({ term: 'xterm', title: 'app01 for TCK-7' });
    await rec.close();
    const { header, events } = readAsciicast(file);
    expect(header).toEqual({
      version: 2, width: 120, height: 40, timestamp: Math.floor(START / 1000), title: 'app01 for TCK-7 [sess-42]',
      env: { TERM: 'xterm' }, switchboard: { session_id: 'sess-42', input_recorded: true },
    });
    expect(events).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]!)).toEqual(header);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('defaults the title and TERM', async () => {
    const { file, rec } = recorder();
    await rec.close();
    expect(readAsciicast(file).header).toMatchObject({ title: 'Switchboard session sess-42', env: { TERM: 'xterm-256color' } });
  });

  it('records output, input and resize in order with monotonic times since the start', async () => {
    const { file, time, rec } = recorder();
    time.advance(250);
    rec.output('$ ');
    time.advance(1_000);
    rec.input(Buffer.from('ls\r'));
    time.advance(5);
    rec.output(Buffer.from('\u001b[1mREADME\u001b[0m\r\n'));
    time.advance(-2_000); // a wall clock stepping back must not make time run backwards
    rec.resize(100, 30);
    time.advance(2_500);
    rec.output('bye');
    await rec.close();
    expect(readAsciicast(file).events).toEqual([
      [0.25, 'o', '$ '],
      [1.25, 'i', 'ls\r'],
      [1.255, 'o', '\u001b[1mREADME\u001b[0m\r\n'],
      [1.255, 'r', '100x30'],
      [1.755, 'o', 'bye'],
    ]);
  });

  it('does not record input when recordInput is false', async () => {
    const { file, rec } = recorder({ recordInput: false });
    rec.output('Password: ');
    rec.input('hunter2\r');
    rec.output('\r\nwelcome');
    await rec.close();
    const { header, events } = readAsciicast(file);
    expect(events.map(([, type, data]) => [type, data])).toEqual([['o', 'Password: '], ['o', '\r\nwelcome']]);
    expect(header.switchboard).toEqual({ session_id: 'sess-42', input_recorded: false });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('keeps a multi-byte character split across chunks intact', async () => {
    const { file, rec } = recorder();
    const bytes = Buffer.from('a€b😀', 'utf8'); // € is 3 bytes, 😀 is 4
    rec.output(bytes.subarray(0, 2)); // 'a' + first byte of €
    rec.output(bytes.subarray(2, 3)); // second byte alone: nothing to record yet
    rec.output(bytes.subarray(3, 6)); // last byte of €, 'b', first byte of 😀
    rec.output(bytes.subarray(6));
    await rec.close();
    const events = readAsciicast(file).events;
    expect(events.map(([, , data]) => data).join('')).toBe('a€b😀');
    expect(events.map(([, , data]) => data)).toEqual(['a', '€b', '😀']);
  });

  it('flushes a character left incomplete at close as U+FFFD instead of dropping it', async () => {
    const { file, rec } = recorder();
    rec.output(Buffer.from([0x61, 0xe2, 0x82]));
    await rec.close();
    expect(readAsciicast(file).events.map(([, , data]) => data)).toEqual(['a', '\ufffd']);
  });

  it('returns the sha256 and size of the whole file, handles short writes, and closes once', async () => {
    let calls = 0;
    const shortWrites: RecorderFs = { ...fs, writeSync: ((fd: number, buffer: Buffer, offset: number, length: number) => { calls++; return fs.writeSync(fd, buffer, offset, Math.min(length, 7)); }) as typeof fs.writeSync };
    const { file, rec } = recorder({ fs: shortWrites });
    for (let i = 0; i < 50; i++) rec.output(`line ${i} ✓\r\n`);
    const result = await rec.close();
    const content = fs.readFileSync(file);
    expect(result).toEqual({ file, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length });
    expect(calls).toBeGreaterThan(51);
    expect(readAsciicast(file).events).toHaveLength(50);
    expect(await rec.close()).toEqual(result);
    expect(() => rec.output('late')).toThrow(/already closed/);
  });

  it('refuses to overwrite an existing recording', async () => {
    const { file, rec } = recorder();
    await rec.close();
    const before = fs.readFileSync(file);
    expect(() => AsciicastRecorder.create({ file, sessionId: 'other', width: 80, height: 24, recordInput: false })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it.each([['width', 0], ['height', -3], ['width', 80.5]] as const)('rejects %s %s', (key, value) => {
    expect(() => recorder(key === 'width' ? { width: value } : { height: value })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('on a failed write (ENOSPC): sets failed, tells listeners once, throws on that and every later write', async () => {
    const { file, rec } = recorder({ fs: fullDisk(2) }); // header + one event fit
    const listener = vi.fn();
    rec.onFailure(listener);
    rec.output('first');
    expect(rec.failed).toBeNull();
    expect(() => rec.output('second')).toThrow(ApiError);
    const failure = rec.failed as ApiError;
    expect(failure).toMatchObject({ code: 'INTERNAL' });
    expect(failure.message).toBe(`Recording to ${file} failed (ENOSPC: no space left on device); the session was ended rather than continue unrecorded.`);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(failure);
    expect(() => rec.input('x')).toThrow(failure);
    expect(() => rec.resize(80, 24)).toThrow(failure);
    expect(() => rec.output('third')).toThrow(failure);
    expect(listener).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    rec.onFailure(late); // registering after the fact still hears about it
    expect(late).toHaveBeenCalledWith(failure);
    await expect(rec.close()).rejects.toBe(failure);
    expect(readAsciicast(file).events.map(([, , data]) => data)).toEqual(['first']);
  });

  it('reports a recording that cannot even start as INTERNAL with the path', () => {
    const file = path.join(tempDir(), 'session.cast');
    expect(() => AsciicastRecorder.create({ file, sessionId: 's', width: 80, height: 24, recordInput: false, fs: fullDisk(0) }))
      .toThrow(`Could not start recording to ${file} (ENOSPC: no space left on device); the session was not opened.`);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('readAsciicast', () => {
  const header = '{"version":2,"width":80,"height":24}';
  function write(content: string): string {
    const file = path.join(tempDir(), 'x.cast');
    fs.writeFileSync(file, content);
    return file;
  }

  it('drops a final event cut off by a crash and says so', () => {
    const result = readAsciicast(write(`${header}\n[0.1,"o","a"]\n[0.2,"o","b`));
    expect(result.events).toEqual([[0.1, 'o', 'a']]);
    expect(result.truncated).toBe(true);
  });

  it('accepts a last line without a newline when it is complete', () => {
    expect(readAsciicast(write(`${header}\n[0.1,"o","a"]`))).toMatchObject({ events: [[0.1, 'o', 'a']], truncated: false });
  });

  it.each([
    ['an empty file', '', /no header/],
    ['a v1 header', '{"version":1,"width":80,"height":24}\n', /version is 1/],
    ['a missing width', '{"version":2,"height":24}\n', /width/],
    ['a header that is an array', '[2,80,24]\n', /not an object/],
    ['a broken middle line', `${header}\n[0.1,"o",\n[0.2,"o","b"]\n`, /line 2 .*not JSON/],
    ['a two-element event', `${header}\n[0.1,"o"]\n`, /\[time, type, data\]/],
    ['time going backwards', `${header}\n[0.5,"o","a"]\n[0.4,"o","b"]\n`, /line 3 .*backwards/],
    ['non-string data', `${header}\n[0.1,"o",42]\n`, /strings/],
    ['a bad resize', `${header}\n[0.1,"r","wide"]\n`, /COLSxROWS/],
  ])('rejects %s', (_name, content, message) => {
    expect(() => readAsciicast(write(content))).toThrow(message);
  });
});
