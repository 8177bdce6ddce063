import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * A streaming POSIX tar (ustar, pax extended headers where ustar cannot say it): regular files only,
 * each one's bytes copied through as they are read, so an archive of a 2 GB log needs no more memory
 * than a chunk. Node has no tar writer, and the format is small enough not to take a dependency for.
 */
const BLOCK = 512;
const USTAR_NAME_MAX = 100;
/** The largest size ustar's 11 octal digits can hold (8 GiB - 1); larger goes in a pax header. */
const USTAR_SIZE_MAX = 8 ** 11 - 1;

export interface TarEntry { name: string; size: number; mtime: Date }

export class TarWriter {
  private written = 0;

  constructor(private readonly out: Writable) {}

  /** Bytes written so far. */
  get bytes(): number {
    return this.written;
  }

  async addBuffer(entry: Omit<TarEntry, 'size'>, data: Buffer): Promise<void> {
    await this.addFile({ ...entry, size: data.length }, [data]);
  }

  /** Writes one file; `source` must yield exactly `entry.size` bytes (fewer or more fails the archive). */
  async addFile(entry: TarEntry, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    await this.writeHeaders(entry);
    let copied = 0;
    // Read to the end even past the size, so a source that checks its bytes at the end (a hash) can say why.
    for await (const chunk of source) {
      const room = entry.size - copied;
      copied += chunk.length;
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      if (room > 0) await this.write(bytes.length <= room ? bytes : bytes.subarray(0, room));
    }
    if (copied !== entry.size) throw new Error(`${entry.name} has ${copied} bytes, ${entry.size} were expected.`);
    await this.pad(entry.size);
  }

  /** The two empty blocks that end an archive; the stream is ended and flushed. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.out.end();
    if (!this.out.writableFinished) await once(this.out, 'finish');
  }

  private async writeHeaders(entry: TarEntry): Promise<void> {
    const name = Buffer.from(entry.name, 'utf8');
    const plainName = name.length <= USTAR_NAME_MAX && /^[\x20-\x7e]*$/.test(entry.name);
    const records: string[] = [];
    if (!plainName) records.push(paxRecord('path', entry.name));
    if (entry.size > USTAR_SIZE_MAX) records.push(paxRecord('size', String(entry.size)));
    if (records.length > 0) {
      const body = Buffer.from(records.join(''), 'utf8');
      await this.write(header({ name: 'PaxHeader', size: body.length, mtime: entry.mtime }, 'x'));
      await this.write(body);
      await this.pad(body.length);
    }
    const shortName = plainName ? entry.name : asciiFallback(entry.name);
    await this.write(header({ name: shortName, size: Math.min(entry.size, USTAR_SIZE_MAX), mtime: entry.mtime }, '0'));
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.write(Buffer.alloc(BLOCK - rest));
  }

  private async write(chunk: Buffer): Promise<void> {
    this.written += chunk.length;
    if (!this.out.write(chunk)) await waitForDrain(this.out);
  }
}

/** "%d key=value\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + String(bodyBytes).length;
  if (String(length).length > String(bodyBytes).length) length += 1;
  return `${length}${body}`;
}

/** What a reader without pax support sees: printable ASCII, at most 100 bytes, the end of the name kept. */
function asciiFallback(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= USTAR_NAME_MAX ? ascii : ascii.slice(ascii.length - USTAR_NAME_MAX);
}

function header(entry: TarEntry, type: '0' | 'x'): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(entry.name, 0, USTAR_NAME_MAX, 'utf8');
  octal(block, 100, 8, 0o600);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, entry.size);
  octal(block, 136, 12, Math.floor(entry.mtime.getTime() / 1000));
  block.write('        ', 148, 8, 'latin1');
  block.write(type, 156, 1, 'latin1');
  block.write('ustar\u000000', 257, 8, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return block;
}

/** A number as zero-padded octal digits ending in NUL, filling `width` bytes. */
function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1');
}

function waitForDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', drained);
      out.off('error', done);
      out.off('close', closed);
      if (error) reject(error);
      else resolve();
    };
    const drained = () => done();
    const closed = () => done(new Error('The archive file closed while it was being written.'));
    out.once('drain', drained);
    out.once('error', done);
    out.once('close', closed);
  });
}
