import net from 'node:net';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalExit } from '../../main/core/sessions/terminal-sessions';
import type { TestCore as Core } from '../helpers/core';
import { openTicket } from '../../main/core/tickets/tickets';
import type { ForwardOpenResult, SessionRecordView } from '../../contract/models';
import { call, useCores } from '../helpers/core';
import { useProcessFaults } from '../helpers/process-faults';
import { FAULT_PASSWORD, FAULT_USER, startFaultServer, type FaultMode, type FaultServer, type FaultServerOptions } from '../helpers/ssh-fault-server';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { connectPort, type WindowPort } from '../helpers/terminal-lab';

/**
 * One misbehaving remote host ends its own session, never the process: for each fault (ssh2's own
 * server, misbehaving on purpose) the terminal ends with a failure a person can read, the session log
 * records it, a terminal to a healthy real sshd keeps answering, and the core serves the next request.
 */
const unavailable = sshdUnavailable();
const READY_TIMEOUT_MS = 1500;

interface Fault { host: string; mode: FaultMode; options?: FaultServerOptions; pinned: boolean; failure: string; message: RegExp }

const FAULTS: Fault[] = [
  { host: 'kex01', mode: 'stall-in-kex', pinned: true, failure: 'timed-out', message: /did not complete the SSH handshake within 1\.5 s/ },
  { host: 'garbage01', mode: 'garbage-after-banner', pinned: true, failure: 'protocol', message: /garbage01 \(127\.0\.0\.1:\d+\)/ },
  { host: 'authdrop01', mode: 'hang-up-at-auth', pinned: true, failure: 'connection-lost', message: /authdrop01 \(127\.0\.0\.1:\d+\).*closed the connection/ },
  {
    host: 'question01', mode: 'hang-up-after-ms', options: { hangUpAfterMs: 800 }, pinned: false, failure: 'connection-lost',
    message: /question01 \(127\.0\.0\.1:\d+\) closed the connection while its new host key was waiting for your answer/,
  },
];

describe.skipIf(unavailable).sequential(`the core outlives a misbehaving host${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  const faults = useProcessFaults();
  const servers = new Map<string, FaultServer>();
  const sshdCredential = `faults-sshd-${process.pid}`;
  const faultCredential = `faults-fault-${process.pid}`;
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;
  let steady: { sessionId: string; window: WindowPort };

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    for (const fault of [...FAULTS, { host: 'forward01', mode: 'hang-up-on-forward' as const, pinned: true }]) {
      servers.set(fault.host, await startFaultServer(fault.mode, 'options' in fault ? fault.options : {}));
    }
    core = cores({ engineer: 'fault-tester', sshReadyTimeoutMs: READY_TIMEOUT_MS });
    const faultHost = (name: string, pinned: boolean) => {
      const server = servers.get(name)!;
      return { name, address: '127.0.0.1', ssh: { port: server.port, user: FAULT_USER, credential: faultCredential, ...(pinned ? { host_key: server.fingerprintFor(0) } : {}) } };
    };
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Fault Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'faults', seats: 10, peak_calls: 10, approved_methods: ['ssh'],
          hosts: [
            { name: 'steady01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential: sshdCredential, host_key: sshd.hostKeyFingerprint } },
            ...FAULTS.map((f) => faultHost(f.host, f.pinned)),
            faultHost('forward01', true),
          ],
        }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'faults.yaml' });
    await call(core, 'credentials.set', { name: sshdCredential, kind: 'password', secret: sshd.password });
    await call(core, 'credentials.set', { name: faultCredential, kind: 'password', secret: FAULT_PASSWORD });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('faults') as { id: number }).id;
    openTicket(core.db, { ref: 'FAULT-1', siteId, type: 'incident', component: 'other', impact: {} }, 'fault-tester');
    steady = await open('steady01');
    await steady.window.until(() => steady.window.has('connected'), 'the steady shell');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: sshdCredential });
    await core?.dispatch('credentials.delete', { name: faultCredential });
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await sshd?.stop();
  });

  async function open(target: string): Promise<{ sessionId: string; window: WindowPort }> {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'FAULT-1', target, cols: 80, rows: 24 });
    return { sessionId, window: connectPort(core, sessionId) };
  }

  const exitOf = (window: WindowPort): TerminalExit => window.messages.find((m) => m.type === 'exit') as unknown as TerminalExit;

  /** The healthy terminal still answers, and the core still serves a request. */
  async function coreStillServes(marker: string): Promise<void> {
    steady.window.type(`echo "${marker}-""ok"\n`);
    await steady.window.until(() => steady.window.text.includes(`${marker}-ok`), `the steady terminal after ${marker}`);
    const check = await call<{ allowed: boolean }>(core, 'policy.check', { siteId, ticket: 'FAULT-1', target: 'steady01', method: 'ssh' });
    expect(check.allowed).toBe(true);
  }

  const record = async (sessionId: string): Promise<SessionRecordView> =>
    (await call<{ record: SessionRecordView }>(core, 'log.get', { sessionId })).record;

  for (const fault of FAULTS) {
    it(`${fault.mode}: ends that session with '${fault.failure}', logs it, and nothing else`, async () => {
      const { sessionId, window } = await open(fault.host);
      // A first-use question is left unanswered: the server hangs up while the window is deciding.
      await window.until(() => window.has('exit'), `${fault.host} to end`, 15_000);
      const exit = exitOf(window);
      expect(exit.failure).toBe(fault.failure);
      expect(exit.error).toMatch(fault.message);
      await coreStillServes(fault.host);
      expect(await record(sessionId)).toMatchObject({ decision: 'allow', outcome: 'failed', detail: { failure: fault.failure } });
      expect(faults()).toEqual([]);
    });
  }

  it('hang-up during a port forward: the forward closes with its session, both are logged, nothing else', async () => {
    const { sessionId, window } = await open('forward01');
    await window.until(() => window.has('connected'), 'the fault shell');
    const server = servers.get('forward01')!;
    const opened = await call<ForwardOpenResult>(core, 'forwards.open', { sessionId, host: 'forward01', port: server.port });
    expect(opened.forward).not.toBeNull();
    const socket = net.connect(opened.forward!.localPort, '127.0.0.1');
    socket.on('error', () => {});
    await window.until(() => window.has('exit'), 'the carrier to end', 15_000);
    socket.destroy();
    expect(exitOf(window).failure).toBe('connection-lost');
    await coreStillServes('forward01');
    expect(await record(sessionId)).toMatchObject({ outcome: 'failed', detail: { failure: 'connection-lost' } });
    const forward = await record(opened.forward!.forwardId);
    expect(forward.endedAt).not.toBeNull();
    expect(forward.detail).toMatchObject({ forwardVia: sessionId });
    expect(faults()).toEqual([]);
  });
});
