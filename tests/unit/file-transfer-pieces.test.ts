import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkFeed } from '../../main/core/files/chunk-feed';
import { localFileChunks } from '../../main/core/files/local-file-source';
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
