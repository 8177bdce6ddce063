import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import path from 'node:path';

/** Why certificates cannot be made here, or null (the tests make them with the openssl CLI). */
export function opensslUnavailable(): string | null {
  return spawnSync('openssl', ['version']).status === 0 ? null : 'the openssl command is not installed';
}

export interface TestCertificate { key: string; cert: string; /** SHA-256 as `AB:CD:…`, from Node's own X509 parser. */ fingerprint: string }

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

/** A self-signed certificate for a name (not the IP the console is reached at), as most appliances ship. */
export function selfSignedCertificate(dir: string, name: string, commonName = 'console.acme.example'): TestCertificate {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${commonName}`, '-keyout', key, '-out', cert], { stdio: 'pipe' });
  return { key: read(key), cert: read(cert), fingerprint: fingerprintOf(read(cert)) };
}

/** A test certificate authority and a server certificate it issued for an IP address (subjectAltName IP:…). */
export function caSignedCertificate(dir: string, ip: string): { caCert: string; leaf: TestCertificate } {
  const p = (f: string) => path.join(dir, f);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=Switchboard Test CA', '-keyout', p('ca.key'), '-out', p('ca.crt')]);
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=console.acme.example', '-keyout', p('leaf.key'), '-out', p('leaf.csr')]);
  fs.writeFileSync(p('leaf.ext'), `subjectAltName=IP:${ip}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p('leaf.ext'), '-out', p('leaf.crt')]);
  return { caCert: read(p('ca.crt')), leaf: { key: read(p('leaf.key')), cert: read(p('leaf.crt')), fingerprint: fingerprintOf(read(p('leaf.crt'))) } };
}

export interface TestServer {
  port: number;
  /** TCP connections accepted so far (a denied attempt must not add one). */
  connections(): number;
  stop(): Promise<void>;
}

function track(server: Server): { count: () => number; stop: () => Promise<void> } {
  let count = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    count: () => count,
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    }),
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** A real HTTPS console on loopback: a login page, and a redirect off to another origin. */
export async function startHttpsConsole(certificate: Pick<TestCertificate, 'key' | 'cert'>): Promise<TestServer> {
  const options: ServerOptions = { key: certificate.key, cert: certificate.cert };
  const server = createHttpsServer(options, (req, res) => {
    if (req.url === '/elsewhere') res.writeHead(302, { location: 'https://evil.example/' }).end();
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Ameyo console</title><h1>Sign in</h1>');
  });
  const tracked = track(server);
  return { port: await listen(server), connections: tracked.count, stop: tracked.stop };
}

/**
 * A TCP server that is not an HTTPS console: `http` answers every connection with a plain HTTP
 * response (the TLS handshake fails), `silent` accepts and never says anything (it times out).
 */
export async function startNotTls(behaviour: 'http' | 'silent'): Promise<TestServer> {
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    if (behaviour === 'http') socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  const tracked = track(server);
  return { port: await listen(server), connections: tracked.count, stop: tracked.stop };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
