import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rfbHandshake } from '../../main/core/vnc/rfb-handshake';
import { vncAuthResponse } from '../../main/core/vnc/vnc-auth';
import { connectLoopback, handshakeError } from '../helpers/rfb-handshake';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

/** The core's side of the RFB handshake against a real TigerVNC Xvnc on loopback (issue 10). */

describe('VNC Authentication', () => {
  // Whether the DES is right is shown against the real Xvnc below (it accepts the answer); here, its shape.
  it('answers a challenge with 16 bytes that depend on the first eight bytes of the password only', () => {
    const challenge = Buffer.from([...Array(16).keys()]);
    const response = vncAuthResponse('password', challenge);
    expect(response).toHaveLength(16);
    expect(vncAuthResponse('password', challenge)).toEqual(response);
    expect(vncAuthResponse('passwore', challenge)).not.toEqual(response);
    expect(vncAuthResponse('password-longer-than-eight', challenge)).toEqual(response); // only 8 bytes count
  });
});

describe('the RFB handshake against a real Xvnc', () => {
  let withPassword: TestXvnc;
  let open: TestXvnc;
  beforeAll(async () => {
    [withPassword, open] = await Promise.all([startXvnc({ password: 'vnc-s3cret', geometry: { width: 800, height: 600 } }), startXvnc({ password: null })]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([withPassword?.stop(), open?.stop()]);
  });

  it('signs in with the password and reads the screen size and name', async () => {
    const socket = await connectLoopback(withPassword.port);
    try {
      const server = await rfbHandshake(socket, { password: 'vnc-s3cret', target: 'lab' });
      expect(server).toMatchObject({ version: '3.8', security: 'VNC Authentication', width: 800, height: 600 });
      expect(server.name.length).toBeGreaterThan(0);
      expect(server.serverInit).toHaveLength(24 + Buffer.byteLength(server.name));
    } finally {
      socket.destroy();
    }
  });

  it('names a wrong password', async () => {
    const error = await handshakeError(withPassword.port, { password: 'wrong-one', target: `lab (127.0.0.1:${withPassword.port})` });
    expect(error.code).toBe('VNC_AUTH_FAILED');
    expect(error.message).toMatch(/^lab \(127\.0\.0\.1:\d+\) refused the VNC password/);
  });

  it('refuses a server that suddenly needs no password when the profile expects one', async () => {
    const error = await handshakeError(open.port, { password: 'vnc-s3cret' });
    expect(error.code).toBe('VNC_SECURITY_REFUSED');
    expect(error.message).toMatch(/offers no authentication at all, but this site's profile expects a VNC password/);
  });

  it('asks for a credential when the server wants a password and the profile names none', async () => {
    const error = await handshakeError(withPassword.port, { password: null });
    expect(error).toMatchObject({ code: 'VNC_SECURITY_REFUSED', message: expect.stringMatching(/names no VNC credential/) });
  });
});

describe('servers that misbehave', () => {
  const fake = async (script: (socket: net.Socket) => void): Promise<{ port: number; close: () => void }> => {
    const server = net.createServer(script);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
  };

  it('names a server that closes mid-handshake, and what was awaited', async () => {
    const server = await fake((socket) => { socket.write('RFB 003.008\n'); socket.once('data', () => socket.end()); });
    try {
      const error = await handshakeError(server.port, { password: 'x' });
      expect(error).toMatchObject({ code: 'VNC_HANDSHAKE_FAILED', message: expect.stringMatching(/closed the connection during the VNC handshake, while Switchboard waited for the list of security types/) });
    } finally {
      server.close();
    }
  });

  it('names something that is not a VNC server', async () => {
    const server = await fake((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
    try {
      const error = await handshakeError(server.port, { password: 'x' });
      expect(error).toMatchObject({ code: 'VNC_HANDSHAKE_FAILED', message: expect.stringMatching(/did not answer as a VNC server/) });
    } finally {
      server.close();
    }
  });

  it('reports the reason a server gives for refusing before authentication', async () => {
    const server = await fake((socket) => {
      socket.write('RFB 003.008\n');
      socket.once('data', () => {
        const reason = Buffer.from('Too many security failures');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(reason.length);
        socket.end(Buffer.concat([Buffer.from([0]), length, reason]));
      });
    });
    try {
      const error = await handshakeError(server.port, { password: 'x' });
      expect(error.message).toMatch(/refused the connection before authentication: "Too many security failures"/);
    } finally {
      server.close();
    }
  });
});
