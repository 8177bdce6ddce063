import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { get, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host, PolicyDecision } from '../../contract/models';
import { certificateMatchesPin, checkServerCertificate, derFromPem, describeCertificate } from '../../main/core/https/certificate-pin';
import { consoleUrl } from '../../main/core/https/console-url';
import { isNavigationAllowed, trustedOrigins } from '../../main/core/https/origins';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const OTHER_PIN = Array.from({ length: 32 }, () => 'AB').join(':');

/** GET over TLS without trusting the chain; the caller decides by the pin. */
function fetchRaw(url: string): Promise<{ status: number; location: string | undefined; body: string; certDer: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { rejectUnauthorized: false }, (res) => {
      const certDer = (res.socket as TLSSocket).getPeerCertificate(true).raw;
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body, certDer }));
    }).on('error', reject);
  });
}

describe.skipIf(!hasOpenssl)('HTTPS console decisions against a real self-signed server (needs the openssl CLI)', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let pin: string;
  let certPem: string;
  let host: Host;
  let decision: PolicyDecision;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-https-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=app01.acme.example', '-keyout', key, '-out', cert], { stdio: 'pipe' });
    const printed = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', cert], { encoding: 'utf8' });
    pin = /Fingerprint=([0-9A-F:]+)/i.exec(printed)![1]!.toUpperCase();
    certPem = readFileSync(cert, 'utf8');
    server = createServer({ key: readFileSync(key), cert: certPem }, (req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'https://evil.example/' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/admin/users">users</a><a href="https://evil.example/">elsewhere</a>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    host = { id: 1, siteId: 1, name: 'app01', address: 'app01.acme.example', allow: ['127.0.0.1/32'], https: { port, path: '/console', certSha256: pin.toLowerCase() } };
    decision = { allowed: true, reasons: ['ok'], address: '127.0.0.1', host: 'app01', target: 'app01', method: 'https', ticketId: 1, site: 'Acme/HQ' };
  });

  afterAll(async () => {
    if (server?.listening) await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the server when its certificate matches the pin (case-insensitive), though the name does not match the IP', async () => {
    expect(pin).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await expect(checkServerCertificate('127.0.0.1', port, host.https!.certSha256)).resolves.toEqual({ ok: true, fingerprint: pin, reason: expect.stringContaining(pin) });
  });

  it('refuses a different pin, naming both fingerprints', async () => {
    const result = await checkServerCertificate('127.0.0.1', port, OTHER_PIN);
    expect(result.ok).toBe(false);
    expect(result.fingerprint).toBe(pin);
    expect(result.reason).toContain(pin);
    expect(result.reason).toContain(OTHER_PIN);
  });

  it('refuses when no pin is recorded, but reports the fingerprint to pin', async () => {
    await expect(checkServerCertificate('127.0.0.1', port, undefined)).resolves.toEqual({ ok: false, fingerprint: pin, reason: 'no certificate pinned for this console; pin its SHA-256 first' });
  });

  it('is not ok when nothing listens, and refuses a name in place of the approved IP', async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await checkServerCertificate('127.0.0.1', closedPort, pin);
    expect(result).toMatchObject({ ok: false, fingerprint: '' });
    expect(result.reason).toMatch(/could not read the certificate/);
    expect(() => checkServerCertificate('localhost', port, pin)).toThrow(/approved IP/);
  });

  it('describes the certificate for a person, with the same fingerprint openssl prints', () => {
    const der = derFromPem(certPem);
    expect(certificateMatchesPin(der, pin)).toBe(true);
    const description = describeCertificate(der);
    expect(description).toMatchObject({ subject: 'CN=app01.acme.example', issuer: 'CN=app01.acme.example', fingerprint: pin, selfSigned: true });
    expect(Date.parse(description.validTo) - Date.parse(description.validFrom)).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('builds the console URL and origin for the approved IP, and the server answers there', async () => {
    const built = consoleUrl(host, decision);
    expect(built).toEqual({ url: `https://127.0.0.1:${port}/console`, origin: `https://127.0.0.1:${port}`, hostHeader: `127.0.0.1:${port}` });
    const page = await fetchRaw(built.url);
    expect(page.status).toBe(200);
    expect(certificateMatchesPin(page.certDer, host.https!.certSha256!)).toBe(true);
  });

  it('refuses the redirect target while same-origin paths are allowed', async () => {
    const built = consoleUrl(host, decision);
    const origins = trustedOrigins(built.origin);
    const redirect = await fetchRaw(new URL('/redirect', built.url).href);
    expect(redirect.status).toBe(302);
    const target = new URL(redirect.location!, built.url).href;
    expect(isNavigationAllowed(target, origins)).toEqual({ allowed: false, reason: expect.stringMatching(/https:\/\/evil\.example is not one of this console's trusted origins/) });
    expect(isNavigationAllowed(new URL('/admin/users', built.url).href, origins).allowed).toBe(true);
    expect(isNavigationAllowed(`https://127.0.0.1:${port}/redirect?x=1#y`, origins).allowed).toBe(true);
    expect(isNavigationAllowed(`https://localhost:${port}/`, origins).allowed).toBe(false);
    expect(isNavigationAllowed(`http://127.0.0.1:${port}/`, origins).allowed).toBe(false);
  });
});
