import net from 'node:net';
import type { Client } from 'ssh2';
import { createLogger } from '../logger';
import type { ByteCounters } from './ssh-channel';

const log = createLogger('ssh-forward');

export interface LocalForward {
  /** The port on 127.0.0.1 that leads to `remoteHost:remotePort` as seen from the SSH server. */
  localPort: number;
  remoteHost: string;
  remotePort: number;
  /** Connections through this forward: open now, accepted in all, refused by the server, and their bytes. */
  stats(): LocalForwardStats;
  close(): Promise<void>;
}

export interface LocalForwardStats { open: number; total: number; refused: number; bytesIn: number; bytesOut: number }

/**
 * `ssh -L 127.0.0.1:LOCAL:remoteHost:remotePort`: a loopback-only listener (on an ephemeral port when
 * `localPort` is 0); each accepted socket becomes a direct-tcpip channel. Only this machine can use
 * it, and only while the session lives.
 */
export function openLocalForward(client: Client, remoteHost: string, remotePort: number, counters: ByteCounters, localPort = 0): Promise<LocalForward> {
  const sockets = new Set<net.Socket>();
  const own = { total: 0, refused: 0, bytesIn: 0, bytesOut: 0 };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    own.total++;
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pause();
    client.forwardOut('127.0.0.1', socket.remotePort ?? 0, remoteHost, remotePort, (error, channel) => {
      if (error) {
        log.info(`forward to ${remoteHost}:${remotePort} refused by the server: ${error.message}`);
        own.refused++;
        socket.destroy();
        return;
      }
      if (socket.destroyed) {
        channel.close();
        return;
      }
      socket.on('data', (d: Buffer) => { counters.bytesOut += d.length; own.bytesOut += d.length; });
      channel.on('data', (d: Buffer) => { counters.bytesIn += d.length; own.bytesIn += d.length; });
      channel.on('error', () => socket.destroy());
      channel.once('close', () => socket.destroy());
      socket.once('close', () => channel.close());
      socket.pipe(channel).pipe(socket);
      socket.resume();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as net.AddressInfo;
      let closing: Promise<void> | null = null;
      resolve({
        localPort: port,
        remoteHost,
        remotePort,
        stats: () => ({ open: sockets.size, ...own }),
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          });
          return closing;
        },
      });
    });
  });
}
