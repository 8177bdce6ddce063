import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore as Core } from '../helpers/core';
import { BULK_HIGH_WATER_MARK, HIGH_WATER_MARK, QUIET_AFTER_INPUT_MS } from '../../main/core/ssh/flow-control';
import type { TerminalEvent, TerminalExit } from '../../main/core/sessions/terminal-sessions';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, useCores } from '../helpers/core';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

const unavailable = sshdUnavailable();

/** What one window sees of a terminal: its text, and each event as it comes. */
class WindowStandIn {
  text = '';
  bytes = 0;
  readonly events: TerminalEvent[] = [];
  private waiters: Array<() => void> = [];
  constructor(core: Core, sessionId: string) {
    core.terminals.attach(sessionId, (event) => {
      this.events.push(event);
      if (event.type === 'output') {
        this.text += event.data.toString('utf8');
        this.bytes += event.data.length;
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  /** Resolves once `check` holds, checking again after every event. */
  until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.text.slice(-400))}`)), timeoutMs);
      const test = () => {
        if (check()) { clearTimeout(timer); resolve(); } else this.waiters.push(test);
      };
      test();
    });
  }
  get exit(): TerminalExit | undefined {
    const event = this.events.find((e) => e.type === 'exit');
    return event?.type === 'exit' ? event.exit : undefined;
  }
}

/** The window's SSH terminals in core, against a real OpenSSH sshd and the real keychain. */
describe.skipIf(unavailable).sequential(`window terminal sessions${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;
  const credential = `terminal-sbtest-${process.pid}`;
  const request = () => ({ siteId, ticket: 'LAB-1', target: 'lab01', cols: 100, rows: 30 });

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    core = cores({ engineer: 'terminal-tester' });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } }] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    openTicket(core.db, { ref: 'LAB-1', siteId, type: 'incident', component: 'other', impact: {} }, 'terminal-tester');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: credential });
    await sshd?.stop();
  });

  it('denies a target outside the site, logs it and opens nothing', async () => {
    const { sessionId, decision } = await call<{ sessionId: string; decision: { allowed: boolean } }>(core, 'terminals.open', { ...request(), target: '10.99.0.7' });
    expect(decision.allowed).toBe(false);
    expect(core.terminals.has(sessionId)).toBe(false);
    expect(core.sessionLog.get(sessionId).record).toMatchObject({ decision: 'deny', outcome: 'denied' });
  });

  it('asks the window about a first-use host key and refuses on "no"', async () => {
    const { sessionId, decision } = await call<{ sessionId: string; decision: { allowed: boolean } }>(core, 'terminals.open', request());
    expect(decision.allowed).toBe(true);
    const window = new WindowStandIn(core, sessionId);
    await window.until(() => window.events.some((e) => e.type === 'hostKey'), 'the host-key question');
    expect(window.events[0]).toEqual({ type: 'hostKey', host: 'lab01', fingerprint: sshd.hostKeyFingerprint });
    await call(core, 'terminals.answerHostKey', { sessionId, accept: false });
    await window.until(() => window.exit !== undefined, 'the exit');
    expect(window.exit!.error).toMatch(/host key/i);
    expect(core.sessionLog.get(sessionId).record).toMatchObject({ outcome: 'failed', detail: { failure: 'host-key-rejected' } });
  });

  let sessionId: string;
  let window: WindowStandIn;

  it('pins the key on "yes", opens a shell and echoes what is typed', async () => {
    ({ sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', request()));
    window = new WindowStandIn(core, sessionId);
    await window.until(() => window.events.some((e) => e.type === 'hostKey'), 'the host-key question');
    await call(core, 'terminals.answerHostKey', { sessionId, accept: true });
    await window.until(() => window.events.some((e) => e.type === 'connected'), 'the shell');
    core.terminals.write(sessionId, Buffer.from('echo "sw""itchboard-$((6*7))"\n'));
    await window.until(() => window.text.includes('switchboard-42'), 'the echo');
    core.terminals.ack(sessionId, window.bytes);
    expect(core.terminals.flow(sessionId)).toEqual({ unacknowledged: 0, paused: false });
  });

  it('pauses the channel while the window does not acknowledge, and drains once it does', async () => {
    const acked = window.bytes;
    core.terminals.write(sessionId, Buffer.from('yes | head -c 5000000; echo; echo "flood-""done"\n'));
    await window.until(() => core.terminals.flow(sessionId)!.paused, 'the pause');
    // Let ssh2 hand over whatever it had buffered before the pause took effect.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { unacknowledged, paused } = core.terminals.flow(sessionId)!;
    expect(paused).toBe(true);
    expect(unacknowledged).toBeGreaterThan(HIGH_WATER_MARK);
    expect(unacknowledged).toBeLessThan(HIGH_WATER_MARK + 256 * 1024);
    expect(window.bytes - acked).toBeLessThan(1_000_000);
    let seen = acked;
    const ackAll = () => {
      if (window.bytes > seen) core.terminals.ack(sessionId, window.bytes - seen);
      seen = window.bytes;
      return window.text.includes('flood-done');
    };
    await window.until(ackAll, 'the flood to finish', 60_000);
    expect(window.bytes - acked).toBeGreaterThan(5_000_000);
  });

  it('lets bulk output run ahead in a grown window, bounded, and pauses the moment someone types', async () => {
    let seen = window.bytes;
    const ackAll = () => {
      if (window.bytes > seen) core.terminals.ack(sessionId, window.bytes - seen);
      seen = window.bytes;
    };
    const start = window.bytes;
    core.terminals.write(sessionId, Buffer.from('yes "bulk-output-$((6*7))"\n'));
    const typed = Date.now();
    // A window that writes whatever fills the window at once: the flood is bulk, acks come back fast and,
    // once nobody has typed for the quiet time, the window grows with each pause.
    await window.until(() => {
      if (core.terminals.flow(sessionId)!.paused) ackAll();
      return window.bytes - start > 8_000_000 && Date.now() - typed > QUIET_AFTER_INPUT_MS + 500;
    }, 'eight megabytes of flood, after the quiet time', 60_000);
    ackAll();
    // The window stops acknowledging. With the fixed 100 KiB window this never holds: it pauses first.
    await window.until(() => {
      const flow = core.terminals.flow(sessionId)!;
      return flow.unacknowledged > 2 * HIGH_WATER_MARK && !flow.paused;
    }, 'more than the base window in flight, still running', 15_000);
    core.terminals.write(sessionId, Buffer.from('\x03'));
    // Ordering, not timing: paused by the keystroke itself, before any further output or ack.
    expect(core.terminals.flow(sessionId)!.paused).toBe(true);
    // Held there: at most what ssh2 hands over after the pause (its receive window is 256 KiB), far below the bulk window.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(core.terminals.flow(sessionId)!.unacknowledged).toBeLessThan(BULK_HIGH_WATER_MARK);
    await window.until(() => { ackAll(); return /\$ $/.test(window.text.slice(-200)); }, 'the prompt after Ctrl-C', 30_000);
    ackAll();
    expect(core.terminals.flow(sessionId)).toEqual({ unacknowledged: 0, paused: false });
  });

  it('closes: logs the end with the recording and its SHA-256', async () => {
    const exit = await call<TerminalExit>(core, 'terminals.close', { sessionId });
    expect(exit.error).toBeNull();
    expect(core.terminals.has(sessionId)).toBe(false);
    const { record, events } = core.sessionLog.get(sessionId);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'started', 'ended']);
    expect(record.detail.recordingSha256).toBe(createHash('sha256').update(fs.readFileSync(exit.recording!)).digest('hex'));
    expect(exit.sha256).toBe(record.detail.recordingSha256);
    const replay = await call<{ header: { width: number }; events: [number, string, string][]; sha256Matches: boolean }>(core, 'log.recording', { sessionId });
    expect(replay.header.width).toBe(100);
    expect(replay.sha256Matches).toBe(true);
    expect(replay.events.map((e) => e[2]).join('')).toContain('switchboard-42');
  });

  it('refuses a bad session id and an unknown terminal', async () => {
    expect((await core.dispatch('terminals.close', { sessionId: 'nope' })).ok).toBe(false);
    const unknown = await core.dispatch('terminals.answerHostKey', { sessionId: sessionId, accept: true });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
