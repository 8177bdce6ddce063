import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openTicket } from '../../main/core/tickets/tickets';
import { SessionLifecycle } from '../../main/core/sessions/lifecycle';
import { openVncSession } from '../../main/core/vnc/vnc-session';
import type { VncRecorderFs } from '../../main/core/vnc/vnc-recording';
import { VncSessions } from '../../main/core/vnc/vnc-sessions';
import { takeSnapshot } from '../../main/core/vnc/snapshot';
import { call, useCores, type TestCore } from '../helpers/core';
import { useProcessFaults } from '../helpers/process-faults';
import { decodePng, pixelAt } from '../helpers/png';
import { startSshd, type TestSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls-cert';
import { attachViewer, viewerHandshake } from '../helpers/vnc-viewer';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

/**
 * The ways to a VNC server beyond a direct connection, and what ends a session: an SSH jump host (a real
 * sshd opens the stream), a pinned TLS certificate that changed, and a recording that cannot be written.
 */
const cores = useCores();
const tempDir = useTempDirs('switchboard-vnc-paths-');
const TICKET = 'EXO-VNC-9';
const credential = `vnc-paths-${process.pid}`;
const sshCredential = `vnc-paths-ssh-${process.pid}`;
let core: TestCore;
let sshd: TestSshd;
let plain: TestXvnc;
let tlsServer: TestXvnc;
let cert: TestCert;
let siteId = 0;
let liar: { port: number; stop(): Promise<void> };

/**
 * A VNC server that needs no password, sends a proper ServerInit and then, once asked for a screen, a
 * message no RFB server sends (type 0x7f) and a clipboard message claiming 2 GiB.
 */
async function startLyingServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write('RFB 003.008\n');
    let stage = 0;
    socket.on('data', () => {
      stage++;
      if (stage === 1) socket.write(Buffer.from([1, 1]));
      else if (stage === 2) socket.write(Buffer.alloc(4));
      else if (stage === 3) {
        const init = Buffer.alloc(24 + 4);
        init.writeUInt16BE(64, 0);
        init.writeUInt16BE(48, 2);
        Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0]).copy(init, 4);
        init.writeUInt32BE(4, 20);
        init.write('liar', 24);
        socket.write(init);
      } else socket.write(Buffer.from([0x7f, 0, 0, 0, 3, 0x7f, 0xff, 0xff, 0xff]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
  cert = makeSelfSignedCert(tempDir(), 'vnc');
  liar = await startLyingServer();
  [sshd, plain, tlsServer] = await Promise.all([startSshd(), startXvnc({ geometry: { width: 256, height: 160 } }), startXvnc({ geometry: { width: 256, height: 160 }, tls: cert })]);
  core = cores({ engineer: 'paths-tester' });
  const other = makeSelfSignedCert(tempDir(), 'other');
  const text = stringify({
    version: 1,
    customers: [{
      name: 'Paths Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      sites: [{
        name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['vnc', 'ssh'],
        hosts: [
          { name: 'gw01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential: sshCredential, host_key: sshd.hostKeyFingerprint } },
          { name: 'gw02', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential: sshCredential } },
          { name: 'desk01', address: '127.0.0.1', vnc: { port: plain.port, credential, jump: 'gw01' } },
          { name: 'desk02', address: '127.0.0.1', vnc: { port: plain.port, credential, jump: 'gw02' } },
          { name: 'desk03', address: '127.0.0.1', vnc: { port: tlsServer.port, credential, tls_cert_sha256: cert.pin } },
          { name: 'desk04', address: '127.0.0.1', vnc: { port: tlsServer.port, credential, tls_cert_sha256: other.pin } },
          { name: 'desk05', address: '127.0.0.1', vnc: { port: plain.port, credential } },
          { name: 'desk06', address: '127.0.0.1', vnc: { port: liar.port } },
        ],
      }],
    }],
  });
  await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
  await call(core, 'credentials.set', { name: credential, kind: 'password', secret: plain.password });
  await call(core, 'credentials.set', { name: sshCredential, kind: 'password', secret: sshd.password });
  siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
  openTicket(core.db, { ref: TICKET, siteId, type: 'incident', component: 'other', impact: {} }, 'paths-tester');
});

afterAll(async () => {
  await core?.dispatch('credentials.delete', { name: credential });
  await core?.dispatch('credentials.delete', { name: sshCredential });
  await Promise.all([sshd?.stop(), plain?.stop(), tlsServer?.stop(), liar?.stop()]);
});

const events = (sessionId: string) => core.sessionLog.get(sessionId).events;

describe('VNC through an SSH jump host', () => {
  it('reaches the server through the jump host\'s SSH (direct-tcpip): same screen, the jump named in the log', async () => {
    plain.x('xsetroot', ['-solid', '#8040c0']);
    const opened = await core.openVnc({ siteId, ticket: TICKET, target: 'desk01' });
    const shot = await opened.session!.snapshot();
    expect(pixelAt(decodePng(shot.png), 10, 10)).toBe('#8040c0');
    const started = events(opened.sessionId).find((e) => e.kind === 'started')!;
    expect(started.detail).toMatchObject({ jump: `gw01@127.0.0.1:${sshd.port}`, address: '127.0.0.1', port: plain.port });
    expect(sshd.log()).toMatch(/Accepted password for/);
  });

  it('the plan names the jump host and its approved IP', async () => {
    const planned = await core.planVnc({ siteId, ticket: TICKET, target: 'desk01' });
    expect(planned.plan!.jump).toEqual({ host: 'gw01', address: '127.0.0.1', port: sshd.port });
    expect(planned.text).toContain(`through SSH jump host gw01 at 127.0.0.1:${sshd.port}`);
  });

  it('a jump host with no pinned SSH key is refused before connecting, saying how to pin it', async () => {
    const before = (sshd.log().match(/Accepted|Connection from/g) ?? []).length;
    await expect(core.openVnc({ siteId, ticket: TICKET, target: 'desk02' })).rejects.toThrow(/gw02 has no pinned SSH host key yet\. Open an SSH terminal to gw02/);
    expect((sshd.log().match(/Accepted|Connection from/g) ?? []).length).toBe(before);
  });
});

describe('VNC over TLS with the certificate pinned', () => {
  it('the pinned certificate: connected, the log says the security and the certificate', async () => {
    tlsServer.x('xsetroot', ['-solid', '#20a060']);
    const opened = await core.openVnc({ siteId, ticket: TICKET, target: 'desk03' });
    const shot = await opened.session!.snapshot();
    expect(pixelAt(decodePng(shot.png), 5, 5)).toBe('#20a060');
    expect(events(opened.sessionId).find((e) => e.kind === 'started')!.detail).toMatchObject({ security: 'VNC Authentication over TLS (X509Vnc)', tlsCertificate: cert.pin });
  });

  it('a changed certificate: refused, both fingerprints in the log, no password sent', async () => {
    const error = await core.openVnc({ siteId, ticket: TICKET, target: 'desk04' }).catch((e: unknown) => e as { code: string; message: string });
    expect(error).toMatchObject({ code: 'VNC_TLS_PIN_MISMATCH' });
    const sessionId = core.db.prepare("SELECT session_id FROM session_events WHERE host = 'desk04' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    const ended = events(sessionId).at(-1)!;
    expect(ended).toMatchObject({ kind: 'ended', outcome: 'failed', detail: { code: 'VNC_TLS_PIN_MISMATCH', certificate: { offered: cert.pin } } });
    expect((ended.detail.certificate as { pinned: string }).pinned).not.toBe(cert.pin);
  });
});

describe('a VNC recording that cannot be written', () => {
  it('ends the session at once, and the viewer gets nothing unrecorded', async () => {
    // Real fs, except that a write as big as a screen update fails as a full disk would.
    const failing: VncRecorderFs = {
      ...fs,
      writevSync: ((fd: number, buffers: NodeJS.ArrayBufferView[], position?: number) => {
        if (buffers.reduce((n, b) => n + b.byteLength, 0) > 10_000) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return fs.writevSync(fd, buffers, position);
      }) as typeof fs.writevSync,
    };
    const policy = core.services.policy;
    const deps = {
      db: core.db, credentials: core.credentials, dataDir: core.dataDir, policy, recorderFs: failing,
      lifecycle: new SessionLifecycle({ log: core.sessionLog, policy, engineer: () => 'paths-tester' }),
    };
    const sessions = new VncSessions((request, { sessionId, onDecision }) => openVncSession(deps, request, sessionId, onDecision));
    const { sessionId } = await sessions.open({ siteId, ticket: TICKET, target: 'desk05' });
    const viewer = attachViewer(sessions, sessionId);
    const init = await viewerHandshake(viewer.rfb);
    let received = 0;
    viewer.rfb.on('data', (chunk: Buffer) => { received += chunk.length; });
    await expect(takeSnapshot(viewer.rfb, init, { timeoutMs: 10_000 })).rejects.toThrow();
    const exit = await viewer.message('exit');
    expect(exit).toMatchObject({ outcome: 'failed' });
    expect(exit.error).toMatch(/ENOSPC/);
    expect(received).toBe(0);
    expect(events(sessionId).at(-1)).toMatchObject({ kind: 'ended', outcome: 'failed' });
  });
});

describe('a server that stops speaking RFB mid-session', () => {
  const faults = useProcessFaults();

  it('ends the session with the reason, the viewer is told, and the process goes on', async () => {
    const opened = await call<{ sessionId: string }>(core, 'vnc.open', { siteId, ticket: TICKET, target: 'desk06' });
    const viewer = attachViewer(core.vnc, opened.sessionId);
    const init = await viewerHandshake(viewer.rfb);
    expect(init).toMatchObject({ width: 64, height: 48, name: 'liar' });
    await expect(takeSnapshot(viewer.rfb, init, { timeoutMs: 10_000 })).rejects.toThrow();
    const exit = await viewer.message('exit');
    expect(exit.reason).toMatch(/message type 127|not RFB|unknown/i);
    expect(events(opened.sessionId).at(-1)).toMatchObject({ kind: 'ended' });
    expect(faults()).toEqual([]);
  });
});
