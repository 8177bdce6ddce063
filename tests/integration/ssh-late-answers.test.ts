import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore as Core } from '../helpers/core';
import { SshConnection } from '../../main/core/ssh/ssh-connection';
import { SshError } from '../../main/core/ssh/ssh-errors';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, callError, useCores } from '../helpers/core';
import { sshdHop, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { connectPort, type WindowPort } from '../helpers/terminal-lab';
import { useProcessFaults } from '../helpers/process-faults';

/**
 * A person who answers after the server gave up must not take the process down. sshd drops a login
 * that has not finished within LoginGraceTime (2 s here); an answer that reaches ssh2 after that used to
 * call into a destroyed protocol (`protocol._destruct is not a function`) inside a promise — an
 * unhandled rejection that ended the process and every other session with it.
 */
const unavailable = sshdUnavailable();
const GRACE_SECONDS = 2;

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(unavailable).sequential(`answers that come after sshd's LoginGraceTime${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  const faults = useProcessFaults();
  beforeAll(async () => { sshd = await startSshd({ extraConfig: [`LoginGraceTime ${GRACE_SECONDS}`] }); });
  afterAll(async () => { await sshd?.stop(); });

  for (const late of [true, false]) {
    it(`a host key accepted=${late} after the server hung up ends that connect with a clear reason, and nothing else`, async () => {
      let withdrawn = false;
      let answerHandedOver!: () => void;
      const answerHandled = new Promise<void>((resolve) => (answerHandedOver = resolve));
      const hostKey = {
        pinned: null,
        confirmNew: async (_fingerprint: string, gone: AbortSignal) => {
          gone?.addEventListener('abort', () => { withdrawn = true; });
          // The person answers well after sshd's grace time.
          await later(GRACE_SECONDS * 1000 + 1500);
          // Settles after the continuation that hands the answer to ssh2 (where the process used to die) has run.
          setImmediate(answerHandedOver);
          return late;
        },
      };
      const started = Date.now();
      const error = await SshConnection.open({ hops: [sshdHop(sshd, [{ kind: 'password', password: sshd.password }], { hostKey })] })
        .then((c) => { c.close(); return null; }, (e: unknown) => e);
      const endedAfter = Date.now() - started;
      await answerHandled;
      expect(faults()).toEqual([]);
      expect(error).toBeInstanceOf(SshError);
      expect((error as SshError).failure).toBe('connection-lost');
      expect((error as SshError).message).toMatch(/closed the connection while its new host key was waiting for your answer/);
      expect((error as SshError).message).toMatch(/LoginGraceTime/);
      // The connect ends when the server hangs up, not when the person finally answers.
      expect(endedAfter).toBeLessThan(GRACE_SECONDS * 1000 + 1500);
      expect(withdrawn).toBe(true);
    });
  }
});

describe.skipIf(unavailable).sequential(`an unanswered host-key question in the window${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  const faults = useProcessFaults();
  const credential = `late-answers-${process.pid}`;
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd({ extraConfig: [`LoginGraceTime ${GRACE_SECONDS}`] });
    // The window's question times out (as "no") after the server gave up: the moment the process used to die.
    core = cores({ engineer: 'late-tester', terminals: { hostKeyTimeoutMs: GRACE_SECONDS * 1000 + 2000 } });
    const host = (name: string) => ({ name, address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Late Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [host('steady01'), host('slow01')] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    openTicket(core.db, { ref: 'LATE-1', siteId, type: 'incident', component: 'other', impact: {} }, 'late-tester');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: credential });
    await sshd?.stop();
  });

  const open = async (target: string): Promise<{ sessionId: string; window: WindowPort }> => {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'LATE-1', target, cols: 80, rows: 24 });
    const window = connectPort(core, sessionId);
    await window.until(() => window.has('hostKey'), `the host-key question for ${target}`);
    return { sessionId, window };
  };

  it('ends that terminal with a clear message when sshd gives up; the other terminal and the core keep going', async () => {
    const steady = await open('steady01');
    await call(core, 'terminals.answerHostKey', { sessionId: steady.sessionId, accept: true });
    await steady.window.until(() => steady.window.has('connected'), 'the steady shell');

    const slow = await open('slow01');
    const asked = Date.now();
    await slow.window.until(() => slow.window.has('exit'), 'the slow terminal to end', 15_000);
    expect(Date.now() - asked).toBeLessThan(GRACE_SECONDS * 1000 + 2000);
    const exit = slow.window.messages.find((m) => m.type === 'exit') as { exit?: { error?: string; failure?: string } } & Record<string, unknown>;
    const ended = (exit.exit ?? exit) as { error?: string; failure?: string };
    expect(ended.failure).toBe('connection-lost');
    expect(ended.error).toMatch(/slow01 \(127\.0\.0\.1:\d+\) closed the connection while its new host key was waiting for your answer/);

    // The question is withdrawn: a late answer is refused as data, and pins nothing.
    expect((await callError(core, 'terminals.answerHostKey', { sessionId: slow.sessionId, accept: true }).catch((e: Error) => ({ code: e.message }))).code)
      .toMatch(/CONFLICT|NOT_FOUND/);

    // Past the window's own timeout, the moment the process used to exit.
    await later(3000);
    expect(faults()).toEqual([]);
    steady.window.type('echo "still-""alive"\n');
    await steady.window.until(() => steady.window.text.includes('still-alive'), 'the steady terminal to answer');

    const record = core.sessionLog.get(slow.sessionId).record;
    expect(record).toMatchObject({ outcome: 'failed', detail: { failure: 'connection-lost' } });
    expect(core.db.prepare('SELECT fingerprint FROM host_key_pins JOIN hosts ON hosts.id = host_key_pins.host_id WHERE hosts.name = ?').get('slow01'))
      .toBeUndefined();
    // The core still serves requests.
    expect((await call<{ allowed: boolean }>(core, 'policy.check', { siteId, ticket: 'LATE-1', target: 'steady01', method: 'ssh' })).allowed).toBe(true);
    await call(core, 'terminals.close', { sessionId: steady.sessionId });
  });
});
