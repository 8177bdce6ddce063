import net from 'node:net';

/** A TCP echo server on loopback, standing in for a site's HTTPS console or database behind a forward. */
export async function startEchoServer(): Promise<{ port: number; connections: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    stop: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Resolves with what came back from 127.0.0.1:port for `text`, or the connect error's code (ECONNREFUSED…). */
export function echoOrError(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.setTimeout(10_000);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.length >= text.length) { socket.destroy(); resolve(got); }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    socket.on('timeout', () => { socket.destroy(); resolve(`timeout after ${JSON.stringify(got)}`); });
  });
}
