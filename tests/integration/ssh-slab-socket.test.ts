import crypto from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSlabSocket } from '../../main/core/ssh/slab-socket';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A loopback server that sends `payload` to whoever connects, then ends. */
function serving(payload: Buffer): Promise<number> {
  const server = net.createServer((connection) => connection.end(payload));
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

/** Bytes that differ from position to position, so a region written twice shows. */
function pattern(bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i += 32) crypto.createHash('sha256').update(String(i)).digest().copy(out, i);
  return out;
}

describe('the SSH connection\'s slab socket', () => {
  it('delivers every byte in order, each chunk a view that later reads never overwrite', async () => {
    const payload = pattern(24 * 1024 * 1024);
    const socket = connectSlabSocket('127.0.0.1', await serving(payload));
    const chunks: Buffer[] = [];
    // Read only once the first reads wait in the Readable's buffer: nothing is lost while it is not flowing.
    socket.once('readable', () => {
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.resume();
    });
    await new Promise((resolve, reject) => socket.on('end', resolve).on('error', reject));

    // Checked only now, after all the reads: had a region been reused, the early chunks would have changed.
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    // No copy: the chunks are regions of shared slabs, one after another.
    const slabs = new Set(chunks.map((chunk) => chunk.buffer));
    expect(slabs.size).toBeLessThan(chunks.length);
    chunks.slice(1).forEach((chunk, i) => {
      const before = chunks[i]!;
      if (chunk.buffer === before.buffer) expect(chunk.byteOffset).toBe(before.byteOffset + before.length);
    });
    // Reads larger than Node's own 64 KiB, which is what leaves fewer SSH packets split between two reads.
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeGreaterThan(64 * 1024);
  });

  it('reports a refused connection as a plain socket does', async () => {
    const port = await serving(Buffer.alloc(0));
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const socket = connectSlabSocket('127.0.0.1', port);
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.on('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });
});
