import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TarWriter } from '../../main/core/files/tar-writer';
import { useTempDirs } from '../helpers/temp-dir';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A path of exactly `bytes` ASCII bytes in folders of at most 200 (a file system's name limit is 255). */
function deep(bytes: number): string {
  let name = '';
  while (bytes - name.length > 200) name += `${'d'.repeat(199)}/`;
  return name + 'f'.repeat(bytes - name.length);
}

/**
 * Names around ustar's 100-byte limit and around a pax record's length gaining a digit (a record is
 * "LEN path=NAME\n", LEN counting itself: a 90-byte name makes 99, a 91-byte one 101; 989 → 999, 990 → 1001).
 */
const NAMES: { name: string; why: string }[] = [
  { name: 'a.log', why: 'short ASCII: plain ustar' },
  { name: 'x'.repeat(100), why: 'exactly 100 bytes: still plain ustar' },
  { name: 'x'.repeat(101), why: '101 bytes: a pax path' },
  { name: `${'p'.repeat(88)}é`, why: 'non-ASCII, 90 bytes: a pax record of 99' },
  { name: `${'p'.repeat(89)}é`, why: 'non-ASCII, 91 bytes: the record skips 100 to 101' },
  { name: deep(989), why: 'a pax record of 999 bytes' },
  { name: deep(990), why: 'a pax record that skips 1000 to 1001' },
  { name: `dir/${'d'.repeat(120)}/file name with spaces.txt`, why: 'a long path with folders' },
  { name: 'журнал-ошибок.log', why: 'Cyrillic' },
];

describe('TarWriter: archives GNU tar reads back name for name and byte for byte', () => {
  const tempDir = useTempDirs('switchboard-tar-');

  it.each(NAMES)('$why', async ({ name }) => {
    const dir = tempDir();
    const archive = path.join(dir, 'a.tar');
    const out = fs.createWriteStream(archive);
    const tar = new TarWriter(out);
    const data = Buffer.from(`contents of ${name}\n`.repeat(37));
    await tar.addFile({ name, size: data.length, mtime: new Date('2026-11-30T10:00:00Z') }, [data.subarray(0, 100), data.subarray(100)]);
    await tar.addBuffer({ name: 'second', mtime: new Date('2026-11-30T10:00:00Z') }, Buffer.alloc(512, 7));
    await tar.finish();
    expect(fs.statSync(archive).size).toBe(tar.bytes);
    expect(tar.bytes % 512).toBe(0);

    expect(execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n').filter(Boolean)).toEqual([name, 'second']);
    const unpacked = path.join(dir, 'out');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xf', archive, '-C', unpacked]);
    expect(sha256(fs.readFileSync(path.join(unpacked, name)))).toBe(sha256(data));
  });

  it('refuses a source with fewer or more bytes than the size it announced', async () => {
    const tar = new TarWriter(new PassThrough().resume());
    await expect(tar.addFile({ name: 'short', size: 10, mtime: new Date() }, [Buffer.alloc(9)])).rejects.toThrow('short has 9 bytes, 10 were expected.');
    await expect(tar.addFile({ name: 'long', size: 10, mtime: new Date() }, [Buffer.alloc(11)])).rejects.toThrow('long has 11 bytes, 10 were expected.');
  });
});
