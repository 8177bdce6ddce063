import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleOpenView } from '../../contract/consoles';
import type { Customer, Host, SessionEventView, SessionRecordView, Site, Ticket } from '../../contract/models';
import type { TestCore as Core } from '../helpers/core';
import type { ConsoleEnd, ConsoleHost, ConsoleSpec } from '../../main/core/https/console-host';
import { SystemExternalOpener } from '../../main/core/launchers/external-opener';
import { RecordingOpener } from '../helpers/access';
import { call, callError, customerFields, hostFields, siteFields, useCores } from '../helpers/core';
import { caSignedCertificate, closedPort, opensslUnavailable, selfSignedCertificate, startHttpsConsole, startNotTls, type TestCertificate, type TestServer } from '../helpers/https-server';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const unavailable = opensslUnavailable();
const OTHER_PIN = Array.from({ length: 32 }, () => 'AB').join(':');

type LogEntry = { record: SessionRecordView; events: SessionEventView[] };

/**
 * The Electron console window cannot run here (no Electron binary); this stands in for it at the
 * ConsoleHost seam only, so the core's start/close/end logging for a windowed console is tested.
 */
class StandInWindowHost implements ConsoleHost {
  readonly shownIn = 'window';
  readonly shown: ConsoleSpec[] = [];
  private readonly ends = new Map<string, (end: ConsoleEnd) => void>();
  async show(spec: ConsoleSpec, onEnd: (end: ConsoleEnd) => void): Promise<void> {
    this.shown.push(spec);
    this.ends.set(spec.sessionId, onEnd);
  }
  close(sessionId: string): boolean {
    const end = this.ends.get(sessionId);
    if (!end) return false;
    this.ends.delete(sessionId);
    end({ reason: 'closed', refused: [{ at: '2026-11-26T10:00:00.000Z', kind: 'redirect', url: 'https://evil.example/', reason: 'not trusted' }], refusedCount: 1, downloads: [] });
    return true;
  }
  /** The engineer closes the window with its own close button. */
  userCloses(sessionId: string): void {
    this.close(sessionId);
  }
}

describe.skipIf(unavailable)(`consoles.open against real local HTTPS servers${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let dir: string;
  let selfSigned: TestCertificate;
  let caSigned: { caCert: string; leaf: TestCertificate };
  let pinnedServer: TestServer;
  let caServer: TestServer;
  let plainServer: TestServer;
  let silentServer: TestServer;
  let downPort: number;

  beforeAll(async () => {
    dir = makeTempDir('switchboard-https-open-');
    selfSigned = selfSignedCertificate(dir, 'appliance');
    caSigned = caSignedCertificate(dir, '127.0.0.1');
    pinnedServer = await startHttpsConsole(selfSigned);
    caServer = await startHttpsConsole(caSigned.leaf);
    plainServer = await startNotTls('http');
    silentServer = await startNotTls('silent');
    downPort = await closedPort();
  });

  afterAll(async () => {
    await Promise.all([pinnedServer, caServer, plainServer, silentServer].map((s) => s?.stop()));
    if (dir) removeTempDir(dir);
  });

  /** A core whose one site approves HTTPS, with one host per case, all on loopback, and ticket EXO-9. */
  async function seeded(options: { host?: ConsoleHost; opener?: RecordingOpener } = {}): Promise<{ core: Core; site: Site; opener: RecordingOpener }> {
    const opener = options.opener ?? new RecordingOpener();
    const core = cores({ opener, engineer: 'tester', tls: { ca: [caSigned.caCert], timeoutMs: 1500 }, ...(options.host ? { consoleHost: options.host } : {}) });
    const customer = await call<Customer>(core, 'customers.create', customerFields('Acme Telecom'));
    const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: { ...siteFields('mumbai-prod'), approvedMethods: ['https'] } });
    const host = (name: string, https: Host['https']) => call<Host>(core, 'hosts.create', { siteId: site.id, fields: hostFields(name, { address: '127.0.0.1', https }) });
    await host('pinned', { port: pinnedServer.port, path: '/ameyo', certSha256: selfSigned.fingerprint.toLowerCase() });
    await host('repinned', { port: pinnedServer.port, certSha256: OTHER_PIN });
    await host('unpinned', { port: pinnedServer.port });
    await host('ca-trusted', { port: caServer.port });
    await host('down', { port: downPort, certSha256: selfSigned.fingerprint });
    await host('plain-http', { port: plainServer.port, certSha256: selfSigned.fingerprint });
    await host('silent', { port: silentServer.port, certSha256: selfSigned.fingerprint });
    await call<Ticket>(core, 'tickets.open', { siteId: site.id, ref: 'EXO-9', type: 'incident', component: 'acd', impact: {} });
    return { core, site, opener };
  }

  const open = (core: Core, site: Site, target: string, ticket = 'EXO-9') => call<ConsoleOpenView>(core, 'consoles.open', { siteId: site.id, ticket, target });
  const refusal = (core: Core, site: Site, target: string) => callError(core, 'consoles.open', { siteId: site.id, ticket: 'EXO-9', target });
  const logged = async (core: Core, target: string): Promise<LogEntry> => {
    const [record] = await call<SessionRecordView[]>(core, 'log.list', { method: 'https' }).then((all) => all.filter((r) => r.target === target));
    expect(record, `a session for ${target} in the log`).toBeDefined();
    return call<LogEntry>(core, 'log.get', { sessionId: record!.sessionId });
  };

  it('allowed and the certificate matches the pin: opened in the browser at the approved IP, logged with the fingerprint', async () => {
    const { core, site, opener } = await seeded();
    const result = await open(core, site, 'pinned');
    const url = `https://127.0.0.1:${pinnedServer.port}/ameyo`;
    expect(result.decision.allowed).toBe(true);
    expect(result.console).toMatchObject({
      url, origin: `https://127.0.0.1:${pinnedServer.port}`, host: 'pinned', address: '127.0.0.1', shownIn: 'browser',
      certificate: { fingerprint: selfSigned.fingerprint, decision: 'pinned', pin: selfSigned.fingerprint, subject: 'CN=console.acme.example', selfSigned: true },
    });
    expect(result.message).toMatch(/in your browser\. Switchboard checked the certificate against the host's pin before opening; the browser does its own check\./);
    expect(opener.opened).toEqual([url]);

    const { record, events } = await logged(core, 'pinned');
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['ended', 'launched']]);
    expect(record).toMatchObject({ engineer: 'tester', ticket: 'EXO-9', method: 'https', host: 'pinned', address: '127.0.0.1', decision: 'allow', outcome: 'launched' });
    expect(record.detail).toMatchObject({ url, shownIn: 'browser', certificate: { fingerprint: selfSigned.fingerprint, decision: 'pinned', pin: selfSigned.fingerprint } });
  });

  it('refuses a certificate that does not match the pin, names both fingerprints, opens nothing, and logs it', async () => {
    const { core, site, opener } = await seeded();
    const error = await refusal(core, site, 'repinned');
    expect(error.code).toBe('HTTPS_CERT_MISMATCH');
    expect(error.message).toContain(`does not match its pin`);
    expect(error.message).toContain(`Presented: SHA-256 ${selfSigned.fingerprint}`);
    expect(error.message).toContain(`Pinned:    SHA-256 ${OTHER_PIN}`);
    expect(opener.opened).toEqual([]);
    const { record, events } = await logged(core, 'repinned');
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['ended', 'failed']]);
    expect(record.detail).toMatchObject({ code: 'HTTPS_CERT_MISMATCH', certificate: { fingerprint: selfSigned.fingerprint, pin: OTHER_PIN, decision: 'refused' } });
    expect(record.detail.error).toContain(OTHER_PIN);
  });

  it('with no pin, refuses a self-signed certificate and offers its fingerprint to pin', async () => {
    const { core, site, opener } = await seeded();
    const error = await refusal(core, site, 'unpinned');
    expect(error.code).toBe('HTTPS_CERT_UNTRUSTED');
    expect(error.message).toMatch(/No certificate pin is recorded for unpinned, and a browser would not trust its certificate: it is self-signed/);
    expect(error.message).toContain(`Presented: SHA-256 ${selfSigned.fingerprint}`);
    expect(opener.opened).toEqual([]);
    expect((await logged(core, 'unpinned')).record).toMatchObject({ outcome: 'failed', detail: { code: 'HTTPS_CERT_UNTRUSTED', certificate: { pin: null } } });
  });

  it('with no pin, accepts a certificate a trusted authority issued for the approved IP', async () => {
    const { core, site, opener } = await seeded();
    const result = await open(core, site, 'ca-trusted');
    expect(result.console?.certificate).toMatchObject({ decision: 'trusted', pin: null, fingerprint: caSigned.leaf.fingerprint, selfSigned: false, issuer: 'CN=Switchboard Test CA' });
    expect(result.message).toMatch(/a certificate authority vouches for the certificate/);
    expect(opener.opened).toEqual([`https://127.0.0.1:${caServer.port}/`]);
  });

  it.each([
    ['down', 'HTTPS_CONNECTION_REFUSED', /refused the connection: nothing listens on that port/],
    ['plain-http', 'HTTPS_TLS_FAILED', /^The TLS handshake with 127\.0\.0\.1:\d+ failed \(wrong version number\)\. Is this port really the HTTPS console/],
    ['silent', 'HTTPS_TIMED_OUT', /did not complete a TLS handshake within 1\.5 s/],
  ] as const)('a server that is %s: %s, logged as failed', async (target, code, message) => {
    const { core, site, opener } = await seeded();
    const error = await refusal(core, site, target);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(opener.opened).toEqual([]);
    const { record, events } = await logged(core, target);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['ended', 'failed']]);
    expect(record.detail).toMatchObject({ code });
  });

  it.each([
    ['an unknown ticket', 'pinned', 'NOPE-1', /NOPE-1/],
    ['an address typed by hand that is not a trusted host', '127.0.0.2', 'EXO-9', /not a trusted host of this site/],
  ] as const)('a policy denial (%s) is logged and never touches the network', async (_label, target, ticket, reason) => {
    const { core, site, opener } = await seeded();
    const before = pinnedServer.connections();
    const result = await open(core, site, target, ticket);
    expect(result.decision.allowed).toBe(false);
    expect(result.console).toBeNull();
    expect(result.message).toMatch(reason);
    expect(pinnedServer.connections()).toBe(before);
    expect(opener.opened).toEqual([]);
    const { record, events } = await logged(core, target);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'denied']]);
    expect(record.decision).toBe('deny');
  });

  it('refuses an input that is not a console request, with the field', async () => {
    const { core, site } = await seeded();
    const error = await callError(core, 'consoles.open', { siteId: site.id, ticket: 'EXO 9; rm', target: 'pinned' });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'ticket' })] });
  });

  it('says a console handed to the browser cannot be closed from Switchboard', async () => {
    const { core, site } = await seeded();
    const { sessionId } = await open(core, site, 'pinned');
    await expect(callError(core, 'consoles.close', { sessionId })).resolves.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/handed to your browser; close its tab there/) });
  });

  it('a console in a window is a running session: started with the certificate decision, ended when closed', async () => {
    const host = new StandInWindowHost();
    const { core, site } = await seeded({ host });
    const result = await open(core, site, 'pinned');
    expect(result.console?.shownIn).toBe('window');
    expect(host.shown).toEqual([{
      sessionId: result.sessionId, url: `https://127.0.0.1:${pinnedServer.port}/ameyo`, origin: `https://127.0.0.1:${pinnedServer.port}`,
      trustedOrigins: [`https://127.0.0.1:${pinnedServer.port}`], pin: selfSigned.fingerprint, title: 'pinned · Acme Telecom/mumbai-prod · EXO-9',
    }]);
    let entry = await logged(core, 'pinned');
    expect(entry.events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['started', 'connected']]);
    expect(entry.events[1]!.detail).toMatchObject({ shownIn: 'window', ownerPid: process.pid, certificate: { fingerprint: selfSigned.fingerprint, decision: 'pinned' } });

    await expect(call(core, 'consoles.close', { sessionId: result.sessionId })).resolves.toEqual({ closed: true });
    entry = await logged(core, 'pinned');
    expect(entry.events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['started', 'connected'], ['ended', 'disconnected']]);
    expect(entry.record.endedAt).not.toBeNull();
    expect(entry.events[2]!.detail).toMatchObject({ closedBy: 'closed', refusedCount: 1, refused: [{ kind: 'redirect', url: 'https://evil.example/' }] });
    await expect(callError(core, 'consoles.close', { sessionId: result.sessionId })).resolves.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/not open/) });
  });

  it('a console window the engineer closes ends its session in the log once', async () => {
    const host = new StandInWindowHost();
    const { core, site } = await seeded({ host });
    const { sessionId } = await open(core, site, 'pinned');
    host.userCloses(sessionId);
    host.userCloses(sessionId);
    const { events } = await logged(core, 'pinned');
    expect(events.filter((e) => e.kind === 'ended')).toHaveLength(1);
    expect(core.consoles.running()).toEqual([]);
  });
});

describe('the system opener\'s console path (a stand-in xdg-open records its argument)', () => {
  let bin: string;
  beforeAll(() => {
    bin = makeTempDir('switchboard-console-opener-');
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${path.join(bin, 'opened.txt')}'\n`, { mode: 0o755 });
  });
  afterAll(() => removeTempDir(bin));

  it('opens a console URL with its port only on the console path; a link with a port is still refused', async () => {
    const opener = new SystemExternalOpener({ platform: 'linux', env: { PATH: bin }, settleMs: 2000 });
    await opener.open('https://127.0.0.1:8443/ameyo', 'console');
    expect(fs.readFileSync(path.join(bin, 'opened.txt'), 'utf8')).toBe('https://127.0.0.1:8443/ameyo\n');
    await expect(opener.open('https://127.0.0.1:8443/ameyo')).rejects.toThrow(/may not carry a user name, password or port/);
    await expect(opener.open('https://app01.acme.example:8443/', 'console')).rejects.toThrow(/not a name/);
  });
});
