import fs from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSecurity, rfbHandshake, VncCertificateRefused } from '../../main/core/vnc/rfb-handshake';
import { connectLoopback, handshake, handshakeError } from '../helpers/rfb-handshake';
import { useTempDirs } from '../helpers/temp-dir';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls-cert';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

/** VeNCrypt with the server certificate pinned, against real TigerVNC Xvnc servers with X509 security (issue 10). */
const PASSWORD = 'vnc-s3cret';
const tempDir = useTempDirs('switchboard-vnc-tls-');

/** A fresh self-signed RSA certificate and key in PEM files, and its pin. */
const makeCert = (name: string): TestCert => makeSelfSignedCert(tempDir(), name);

/** Asks for a full frame over the handshake's stream and resolves with the first reply's message type. */
function firstServerMessage(stream: Duplex, width: number, height: number): Promise<number> {
  const request = Buffer.alloc(10);
  request.writeUInt8(3, 0); // FramebufferUpdateRequest, not incremental
  request.writeUInt16BE(width, 6);
  request.writeUInt16BE(height, 8);
  return new Promise((resolve) => {
    stream.once('data', (data: Buffer) => resolve(data[0]!));
    stream.write(request);
  });
}

describe('the security a profile leads to', () => {
  it.each([
    { password: true, tlsPin: 'AB:CD', expected: 'VNC Authentication over TLS (X509Vnc)' },
    { password: false, tlsPin: 'AB:CD', expected: 'None over TLS (X509None)' },
    { password: true, tlsPin: null, expected: 'VNC Authentication' },
    { password: false, tlsPin: null, expected: 'None' },
  ])('password $password, pin $tlsPin: $expected', ({ password, tlsPin, expected }) => {
    expect(expectedSecurity({ password, tlsPin })).toBe(expected);
  });
});

describe('VeNCrypt against real Xvnc servers', () => {
  let served: TestCert;
  let other: TestCert;
  let x509Vnc: TestXvnc;
  let x509None: TestXvnc;
  let both: TestXvnc;
  let plain: TestXvnc;
  let anonymous: TestXvnc;
  beforeAll(async () => {
    served = makeCert('served');
    other = makeCert('other');
    const tlsFiles = { cert: served.cert, key: served.key };
    [x509Vnc, x509None, both, plain, anonymous] = await Promise.all([
      startXvnc({ password: PASSWORD, tls: tlsFiles, geometry: { width: 800, height: 600 } }),
      startXvnc({ password: null, tls: tlsFiles, geometry: { width: 640, height: 400 } }),
      startXvnc({ password: PASSWORD, tls: tlsFiles, securityTypes: ['X509Vnc', 'VncAuth'] }),
      startXvnc({ password: PASSWORD }),
      startXvnc({ password: PASSWORD, securityTypes: ['TLSVnc'] }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([x509Vnc, x509None, both, plain, anonymous].map((server) => server?.stop()));
  });

  it('signs in over TLS to the pinned certificate, reaches ServerInit and relays over the TLS stream', async () => {
    const { server, close } = await handshake(x509Vnc.port, { password: PASSWORD, tlsPin: served.pin });
    try {
      expect(server).toMatchObject({ security: 'VNC Authentication over TLS (X509Vnc)', width: 800, height: 600, tls: { fingerprint: served.pin } });
      expect(server.stream).toBeInstanceOf(tls.TLSSocket);
      expect(await firstServerMessage(server.stream, 800, 600)).toBe(0); // FramebufferUpdate, decrypted
    } finally {
      close();
    }
  });

  it('accepts the pin in lower case', async () => {
    const { server, close } = await handshake(x509Vnc.port, { password: PASSWORD, tlsPin: served.pin.toLowerCase() });
    close();
    expect(server.security).toBe('VNC Authentication over TLS (X509Vnc)');
  });

  it('refuses a certificate that is not the pinned one, naming both fingerprints', async () => {
    const error = await handshakeError(x509Vnc.port, { password: PASSWORD, tlsPin: other.pin });
    expect(error.code).toBe('VNC_TLS_PIN_MISMATCH');
    expect(error.message).toContain(`SHA-256 ${served.pin}, but this site's profile pins ${other.pin}`);
    expect(error.message).toMatch(/before the password is sent/);
    expect(error).toBeInstanceOf(VncCertificateRefused);
    expect(error).toMatchObject({ fingerprint: served.pin, pinned: other.pin });
  });

  it('without a pin, refuses a TLS-only server and gives the fingerprint to pin', async () => {
    const error = await handshakeError(x509Vnc.port, { password: PASSWORD, tlsPin: null });
    expect(error.code).toBe('VNC_SECURITY_REFUSED');
    expect(error.message).toContain(`set tls_cert_sha256: ${served.pin}`);
    expect(error.message).toMatch(/offers VNC only over TLS \(X509Vnc\)/);
    expect(error).toMatchObject({ fingerprint: served.pin, pinned: null });
  });

  it('refuses a server that offers plain VNC Authentication when a certificate is pinned (a downgrade)', async () => {
    const error = await handshakeError(plain.port, { password: PASSWORD, tlsPin: served.pin });
    expect(error.code).toBe('VNC_SECURITY_REFUSED');
    expect(error.message).toMatch(/offers VNC Authentication without TLS, but this site's profile pins the server's TLS certificate/);
    expect(error.message).toMatch(/downgrading/);
  });

  it('names a wrong password sent over TLS', async () => {
    const error = await handshakeError(x509Vnc.port, { password: 'wrong-one', tlsPin: served.pin });
    expect(error.code).toBe('VNC_AUTH_FAILED');
    expect(error.message).toMatch(/^lab refused the VNC password/);
  });

  it('connects with X509None when the profile names no password', async () => {
    const { server, close } = await handshake(x509None.port, { password: null, tlsPin: served.pin });
    try {
      expect(server).toMatchObject({ security: 'None over TLS (X509None)', width: 640, height: 400, tls: { fingerprint: served.pin } });
      expect(await firstServerMessage(server.stream, 640, 400)).toBe(0);
    } finally {
      close();
    }
  });

  it('refuses X509None when the profile expects a password', async () => {
    const error = await handshakeError(x509None.port, { password: PASSWORD, tlsPin: served.pin });
    expect(error).toMatchObject({ code: 'VNC_SECURITY_REFUSED', message: expect.stringMatching(/offers VeNCrypt X509None, not X509Vnc: X509None would connect with no password/) });
  });

  it('prefers plain VNC Authentication without a pin, and TLS with one, when the server offers both', async () => {
    const unpinned = await handshake(both.port, { password: PASSWORD, tlsPin: null });
    unpinned.close();
    expect(unpinned.server).toMatchObject({ security: 'VNC Authentication', tls: null });
    const pinned = await handshake(both.port, { password: PASSWORD, tlsPin: served.pin });
    pinned.close();
    expect(pinned.server).toMatchObject({ security: 'VNC Authentication over TLS (X509Vnc)', tls: { fingerprint: served.pin } });
  });

  it('refuses anonymous TLS (TLSVnc) by name: there is no certificate to pin', async () => {
    for (const tlsPin of [served.pin, null]) {
      const error = await handshakeError(anonymous.port, { password: PASSWORD, tlsPin });
      expect(error.code).toBe('VNC_SECURITY_REFUSED');
      expect(error.message).toMatch(/offers VeNCrypt TLSVnc, not X509Vnc: TLSVnc use(s)? anonymous TLS, with no certificate to pin/);
    }
  });

  it('refuses a pin that is not a SHA-256 fingerprint before connecting', async () => {
    await expect(rfbHandshake(new net.Socket(), { target: 'lab', password: PASSWORD, tlsPin: 'AB:CD' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('a VeNCrypt server with another certificate', () => {
  interface FakeConnection { received: Buffer[]; answered: Promise<void>; closed: Promise<void> }

  /** A fake VeNCrypt server offering only X509Vnc: sends the VNC challenge inside TLS and records what comes back. */
  async function fakeServer(cert: TestCert) {
    const connections: FakeConnection[] = [];
    const server = net.createServer((socket) => {
      let answer!: () => void;
      let closed!: () => void;
      const connection: FakeConnection = { received: [], answered: new Promise((resolve) => { answer = resolve; }), closed: new Promise((resolve) => { closed = resolve; }) };
      connections.push(connection);
      socket.on('close', closed);
      socket.on('error', () => {});
      socket.write('RFB 003.008\n');
      // What the client sends in turn: its version (12 bytes), type 19 (1), VeNCrypt version (2), subtype (4).
      const steps = [12, 1, 2, 4];
      const replies = [Buffer.from([1, 19]), Buffer.from([0, 2]), Buffer.from([0, 1, 0, 0, 1, 5]), Buffer.from([1])];
      let buffered = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (steps.length > 0 && buffered.length >= steps[0]!) {
          buffered = buffered.subarray(steps.shift()!);
          socket.write(replies.shift()!);
        }
        if (steps.length > 0) return;
        socket.off('data', onData);
        const secure = new tls.TLSSocket(socket, { isServer: true, cert: fs.readFileSync(cert.cert), key: fs.readFileSync(cert.key) });
        secure.on('secure', () => secure.write(Buffer.alloc(16, 7))); // the VNC Authentication challenge
        secure.on('data', (data: Buffer) => { connection.received.push(data); answer(); secure.end(); });
        secure.on('error', () => {});
      };
      socket.on('data', onData);
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return { port: (server.address() as net.AddressInfo).port, connections, close: () => server.close() };
  }

  it('sends nothing inside TLS to a server whose certificate is not the pinned one', async () => {
    const [served, pinned] = [makeCert('fake-served'), makeCert('fake-pinned')];
    const fake = await fakeServer(served);
    try {
      const error = await handshakeError(fake.port, { password: PASSWORD, tlsPin: pinned.pin });
      expect(error.code).toBe('VNC_TLS_PIN_MISMATCH');
      await fake.connections[0]!.closed;
      expect(Buffer.concat(fake.connections[0]!.received)).toHaveLength(0);

      // The same fake with its own certificate pinned does get the challenge's answer: it would have seen one.
      const socket = await connectLoopback(fake.port);
      void rfbHandshake(socket, { target: 'fake', password: PASSWORD, tlsPin: served.pin }).catch(() => {});
      await fake.connections[1]!.answered;
      socket.destroy();
      expect(Buffer.concat(fake.connections[1]!.received)).toHaveLength(16);
    } finally {
      fake.close();
    }
  });
});
