import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkFeed } from '../../main/core/files/chunk-feed';
import { localFileChunks } from '../../main/core/files/local-file-source';
import { QuickDiskIo } from '../../main/core/files/quick-disk-io';
import { freeLocalName, localSafeName, numberedName } from '../../main/core/files/local-names';
import { TransferProgress } from '../../main/core/files/transfer-progress';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function folderWith(...names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-names-'));
  dirs.push(dir);
  for (const n of names) fs.writeFileSync(path.join(dir, n), '');
  return dir;
}

describe('local names: a download never replaces a file', () => {
  it.each([
    ['acd.log', 1, 'acd (1).log'],
    ['acd.log', 12, 'acd (12).log'],
    ['core', 1, 'core (1)'],
    ['.bashrc', 1, '.bashrc (1)'],
    ['logs.tar.gz', 2, 'logs.tar (2).gz'],
  ])('numberedName(%j, %d) = %j', (name, n, expected) => expect(numberedName(name, n)).toBe(expected));

  it.each([
    [[], 'acd.log', 'acd.log'],
    [['acd.log'], 'acd.log', 'acd (1).log'],
    [['acd.log', 'acd (1).log'], 'acd.log', 'acd (2).log'],
    [['acd.log.part'], 'acd.log', 'acd.log'],
    [['acd (1).log'], 'acd.log', 'acd.log'],
  ])('with %j in the folder, %j is saved as %j', (existing, name, expected) => expect(freeLocalName(folderWith(...existing), name)).toBe(expected));

  it.each([
    ['ivr.log', 'ivr.log'],
    ['evil\u001b[31m.txt', 'evil_[31m.txt'],
    ['line\nbreak', 'line_break'],
    ['back\\slash', 'back_slash'],
    ['.', 'download'],
    ['..', 'download'],
    ['', 'download'],
  ])('a remote name %j is kept locally as %j', (remote, local) => expect(localSafeName(remote)).toBe(local));
});

describe('TransferProgress', () => {
  it('gives speed over the window and time left; null while nothing has moved', () => {
    let now = 0;
    const progress = new TransferProgress(1000, 0, 3000, () => now);
    expect(progress.eta).toBeNull();
    now = 1000;
    progress.add(100);
    expect(progress.speed).toBe(100);
    expect(progress.eta).toBe(9);
    now = 2000;
    progress.add(300);
    expect(progress.speed).toBe(200);
    expect(progress.eta).toBe(3);
  });

  it('counts a resumed transfer from where it took up, not from zero', () => {
    let now = 0;
    const progress = new TransferProgress(1000, 600, 3000, () => now);
    now = 1000;
    progress.add(100);
    expect(progress.bytes).toBe(700);
    expect(progress.speed).toBe(100);
  });
});

describe('ChunkFeed (uploads from the window)', () => {
  it('takes chunks in order, one at a time, and ends at the announced size', async () => {
    const feed = new ChunkFeed(6, 60_000, () => {});
    const read = (async () => { const parts: string[] = []; for await (const c of feed) parts.push(c.toString()); return parts; })();
    await feed.push(0, Buffer.from('abc'));
    await expect(feed.push(1, Buffer.from('x'))).rejects.toThrow(/out of order/);
    await expect(feed.push(3, Buffer.from('defg'))).rejects.toThrow(/announced as 6 bytes/);
    await feed.push(3, Buffer.from('def'));
    expect(await read).toEqual(['abc', 'def']);
  });

  it('fails the reader and a waiting chunk when stopped, and calls onIdle when the window goes quiet', async () => {
    let idle = false;
    const feed = new ChunkFeed(10, 20, () => { idle = true; });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(idle).toBe(true);
    const waiting = feed.push(0, Buffer.from('ab'));
    feed.fail(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await expect((async () => { for await (const chunk of feed) void chunk; })()).rejects.toThrow('cancelled');
  });
});

describe('localFileChunks (uploads from a local file)', () => {
  it('reads the whole file in order, chunk by chunk into one reused buffer, the last chunk short', async () => {
    const dir = folderWith();
    const file = path.join(dir, 'acd.log');
    const content = Buffer.from(Array.from({ length: 2 * 1000 + 337 }, (_, i) => (i * 31) % 251));
    fs.writeFileSync(file, content);
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of localFileChunks(file, 1000)) {
      copies.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
    }
    expect(copies.map((c) => c.length)).toEqual([1000, 1000, 337]);
    expect(Buffer.concat(copies).equals(content)).toBe(true);
    expect(buffers.size, 'one buffer for every chunk').toBe(1);
  });

  it('opens the file only when the first chunk is asked for (after the policy allowed the upload)', async () => {
    const missing = path.join(folderWith(), 'not-yet.log');
    const chunks = localFileChunks(missing);
    fs.writeFileSync(missing, 'written after the source was made');
    const read: Buffer[] = [];
    for await (const chunk of chunks) read.push(Buffer.from(chunk));
    expect(Buffer.concat(read).toString()).toBe('written after the source was made');
    await expect(localFileChunks(path.join(path.dirname(missing), 'gone.log')).next()).rejects.toThrow(/ENOENT/);
  });
});

describe('ssh2 patch: a channel with its own receive window (scripts/patch-ssh2.mjs)', () => {
  it('tops the window up to the channel\'s maxWindow, and to ssh2\'s 2 MiB without one', async () => {
    const { windowAdjust } = await import('ssh2/lib/Channel');
    const adjusted: number[] = [];
    const channel = (maxWindow?: number) => ({
      incoming: { window: 512 * 1024, ...(maxWindow ? { maxWindow } : {}) },
      outgoing: { state: 'open', id: 7 },
      _client: { _protocol: { channelWindowAdjust: (_id: number, amount: number) => adjusted.push(amount) } },
    });
    const wide = channel(8 * 1024 * 1024);
    windowAdjust(wide);
    const plain = channel();
    windowAdjust(plain);
    expect(adjusted).toEqual([8 * 1024 * 1024 - 512 * 1024, 2 * 1024 * 1024 - 512 * 1024]);
    expect(wide.incoming.window).toBe(8 * 1024 * 1024);
    expect(plain.incoming.window).toBe(2 * 1024 * 1024);
  });
});

describe('QuickDiskIo: a transfer\'s file calls on the core\'s thread only while they are quick', () => {
  function tempFile(content = ''): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-quick-io-'));
    dirs.push(dir);
    const file = path.join(dir, 'data.bin');
    fs.writeFileSync(file, content);
    return file;
  }
  /** A clock where every call to the file takes `ms`. */
  const clockTaking = (ms: number) => { let t = 0; let reading = 0; return () => (reading++ % 2 === 0 ? t : (t += ms)); };

  it.each([
    ['quick calls stay on the thread', 1, true],
    ['a slow call moves the file to the pool, and the bytes stay right', QuickDiskIo.SLOW_CALL_MS + 1, false],
  ])('%s', async (_name, callMs, staysSynchronous) => {
    const file = tempFile();
    const handle = await fs.promises.open(file, 'w');
    const disk = new QuickDiskIo(handle, clockTaking(callMs));
    await disk.write(Buffer.from('BBBB'), 4);
    await disk.write(Buffer.from('AAAA'), 0);
    await disk.write(Buffer.from('CC'), 8);
    expect(disk.synchronous).toBe(staysSynchronous);
    await handle.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('AAAABBBBCC');

    const reader = await fs.promises.open(file, 'r');
    const readDisk = new QuickDiskIo(reader, clockTaking(callMs));
    const buffer = Buffer.alloc(4);
    const pieces: string[] = [];
    for (let n = await readDisk.read(buffer); n > 0; n = await readDisk.read(buffer)) pieces.push(buffer.toString('utf8', 0, n));
    await reader.close();
    expect(pieces).toEqual(['AAAA', 'BBBB', 'CC']);
    expect(readDisk.synchronous).toBe(staysSynchronous);
  });

  it('a refused write is a rejection, not a throw out of the event loop', async () => {
    const handle = await fs.promises.open(tempFile('x'), 'r');
    await expect(new QuickDiskIo(handle).write(Buffer.from('y'), 0)).rejects.toThrow(/EBADF/);
    await handle.close();
  });
});

describe('ssh2 patch: an SFTP DATA reply copied straight into its read\'s buffer (scripts/patch-ssh2.mjs)', () => {
  const DATA = 103;
  /** An SFTP client channel that sends nothing (its channel is not open) and answers what is pushed into it. */
  interface SftpInternals {
    _version: number;
    _maxReadLen: number;
    _requests: Record<number, unknown>;
    read(handle: Buffer, into: Buffer, offset: number, length: number, position: number, cb: (error: Error | undefined, bytes: number, data: Buffer) => void): void;
    push(data: Buffer): void;
  }
  async function sftpClient(): Promise<SftpInternals> {
    // ssh2's protocol module has no types; a string specifier keeps TypeScript from looking for them.
    const specifier: string = 'ssh2/lib/protocol/SFTP';
    const { SFTP } = (await import(specifier)) as { SFTP: new (client: unknown, chanInfo: unknown, cfg: unknown) => SftpInternals };
    const sftp = new SFTP({ _protocol: {} }, { type: 'sftp', incoming: {}, outgoing: { state: 'closed' } }, {});
    sftp._version = 3;
    sftp._maxReadLen = 255 * 1024; // as OpenSSH's limits extension sets it
    return sftp;
  }
  function dataReply(id: number, data: Buffer): Buffer {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(9 + data.length, 0);
    header[4] = DATA;
    header.writeUInt32BE(id, 5);
    header.writeUInt32BE(data.length, 9);
    return Buffer.concat([header, data]);
  }
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));

  it.each([
    ['a reply in three packets, the read filled as they come', 100_000, 100_000, [32_768, 65_536], true],
    ['a short reply (end of file) in two packets', 100_000, 40_000, [32_768], true],
    ['a reply whose header is split: ssh2\'s own path', 100_000, 100_000, [7, 32_768], false],
    ['a reply in one packet: ssh2\'s own path', 100_000, 100_000, [], false],
  ])('%s', async (_name, asked, sent, cuts, fillsAsItComes) => {
    const sftp = await sftpClient();
    const into = Buffer.alloc(asked);
    const answers: { error?: Error; bytes?: number; data?: Buffer }[] = [];
    sftp.read(Buffer.from('handle'), into, 0, asked, 0, (error, n, data) => answers.push({ error, bytes: n, data }));
    const payload = bytes(sent);
    const reply = dataReply(0, payload);
    const edges = [0, ...cuts, reply.length];
    for (let i = 0; i + 1 < edges.length; i++) {
      sftp.push(reply.subarray(edges[i], edges[i + 1]));
      if (i === 0 && edges.length > 2) {
        // After the first packet, only the patched path has its bytes in the read's buffer already.
        const arrived = Math.max(0, edges[1]! - 13);
        expect(arrived > 0 && into.subarray(0, arrived).equals(payload.subarray(0, arrived))).toBe(fillsAsItComes);
      }
    }
    expect(answers).toHaveLength(1);
    expect(answers[0]!.error).toBeUndefined();
    expect(answers[0]!.bytes).toBe(sent);
    expect(answers[0]!.data!.equals(payload)).toBe(true);
    expect(sftp._requests).toEqual({});
  });

  it('a reply to no waiting read is dropped whole, and the next one is read right', async () => {
    const sftp = await sftpClient();
    const into = Buffer.alloc(50_000);
    let answer: Buffer | null = null;
    sftp.read(Buffer.from('handle'), into, 0, 50_000, 0, (_error, n, data) => { answer = data.subarray(0, n); });
    const stray = dataReply(42, bytes(40_000));
    const real = dataReply(0, bytes(50_000).reverse());
    const stream = Buffer.concat([stray, real]);
    for (let at = 0; at < stream.length; at += 32_768) sftp.push(stream.subarray(at, at + 32_768));
    expect(answer).not.toBeNull();
    expect(answer!.equals(bytes(50_000).reverse())).toBe(true);
    expect(into.subarray(0, 10).equals(bytes(50_000).reverse().subarray(0, 10))).toBe(true);
  });
});
