import net from 'node:net';
import { expect } from 'vitest';
import { ApiError } from '../../contract/errors';
import { rfbHandshake, type RfbHandshakeOptions } from '../../main/core/vnc/rfb-handshake';

/** The handshake's options; `target` (who errors name) defaults to "lab". */
export type HandshakeOptions = Omit<RfbHandshakeOptions, 'target'> & { target?: string };

/** A TCP connection to 127.0.0.1:`port`, once it is connected. */
export function connectLoopback(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The core's RFB handshake with the server on `port`; `close` ends the stream and the connection. */
export async function handshake(port: number, options: HandshakeOptions) {
  const socket = await connectLoopback(port);
  const server = await rfbHandshake(socket, { target: 'lab', ...options }).catch((error: unknown) => { socket.destroy(); throw error; });
  return { server, close: () => { server.stream.destroy(); socket.destroy(); } };
}

/** The ApiError the core's RFB handshake with the server on `port` fails with; the test fails if it succeeds. */
export async function handshakeError(port: number, options: HandshakeOptions): Promise<ApiError> {
  const socket = await connectLoopback(port);
  try {
    await rfbHandshake(socket, { target: 'lab', ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  } finally {
    socket.destroy();
  }
  throw new Error('the handshake succeeded, but it should not have');
}
