import net from 'node:net';

/** Each read may fill what is left of the slab, down to this much; then a fresh slab is taken. */
const MIN_READ = 64 * 1024;
const SLAB_BYTES = 1024 * 1024;
/**
 * The handshake's reads get a slab of their own, as small as a read may be: ssh2 keeps a view of the
 * server's KEXINIT for the connection's life, and that view should pin 64 KiB, not a megabyte.
 */
const FIRST_SLAB_BYTES = MIN_READ;

/**
 * A TCP connection whose reads land straight in the chunks it emits. Node's own reads go into a 64 KiB
 * buffer and are copied into one of their exact size (every read shorter than 64 KiB is), and a packet
 * that straddles two reads is copied again by ssh2 to decrypt it whole. Here the kernel writes into a
 * 1 MiB slab, one region after the last, so a chunk is a view with no copy, reads can be as large as the
 * socket has data for (fewer straddled packets), and no region is ever written twice: a view ssh2 or a
 * channel keeps stays valid, and holds its slab until it is dropped (bench/sftp.mjs: a download's
 * client CPU 4.7–5.0 → 4.1–4.7 s per GiB).
 */
export function connectSlabSocket(host: string, port: number): net.Socket {
  let slab = Buffer.allocUnsafeSlow(FIRST_SLAB_BYTES);
  let used = 0;
  const socket: net.Socket = net.connect({
    host,
    port,
    onread: {
      buffer: () => {
        if (slab.length - used < MIN_READ) {
          slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
          used = 0;
        }
        return slab.subarray(used);
      },
      // The Readable side still carries the chunks, so pause(), resume() and 'data' work as ssh2 expects.
      callback: (bytes: number, into: Buffer) => {
        used += bytes;
        return socket.push(into.subarray(0, bytes));
      },
    },
  });
  return socket;
}
