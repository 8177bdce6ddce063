import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore as Core } from '../helpers/core';
import { TerminalSessions, type TerminalEvent, type TerminalExit } from '../../main/core/sessions/terminal-sessions';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, callError, useCores } from '../helpers/core';
import { FAULT_OTP, FAULT_USER, startFaultServer, type FaultServer } from '../helpers/ssh-fault-server';

/** What one window sees of a terminal, with the means to go away (a reload) and come back. */
class WindowStandIn {
  text = '';
  readonly events: TerminalEvent[] = [];
  readonly detach: () => void;
  private waiters: Array<() => void> = [];
  constructor(terminals: TerminalSessions, sessionId: string) {
    this.detach = terminals.attach(sessionId, (event) => {
      this.events.push(event);
      if (event.type === 'output') this.text += event.data.toString('utf8');
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.events.map((e) => e.type))}`)), timeoutMs);
      const test = () => {
        if (check()) { clearTimeout(timer); resolve(); } else this.waiters.push(test);
      };
      test();
    });
  }
  has(type: TerminalEvent['type']): boolean { return this.events.some((e) => e.type === type); }
  get exit(): TerminalExit | undefined {
    const event = this.events.find((e) => e.type === 'exit');
    return event?.type === 'exit' ? event.exit : undefined;
  }
}

/**
 * Keyboard-interactive sign-in from a window terminal, against ssh2's fault server in `otp` mode
 * (it asks "Verification code: " and accepts FAULT_OTP only): the question reaches the window, the
 * answer goes back through `terminals.answerPrompt`, and a wrong, cancelled or missing answer ends
 * the session with a message that says so.
 */
describe.sequential('window terminals: keyboard-interactive prompts', () => {
  const cores = useCores();
  let server: FaultServer;
  let core: Core;
  let siteId: number;
  const request = () => ({ siteId, ticket: 'OTP-1', target: 'otp01', cols: 80, rows: 24 });

  beforeAll(async () => {
    server = await startFaultServer('otp');
    core = cores({ engineer: 'prompt-tester' });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Token Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'otp', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [
          { name: 'otp01', address: '127.0.0.1', ssh: { port: server.port, user: FAULT_USER, host_key: server.fingerprintFor(0) } },
          // The same server again, reached through itself as a jump host: each hop asks its own question.
          { name: 'bastion01', address: '127.0.0.1', ssh: { port: server.port, user: FAULT_USER, host_key: server.fingerprintFor(0) } },
          { name: 'otp02', address: '127.0.0.1', ssh: { port: server.port, user: FAULT_USER, host_key: server.fingerprintFor(0), jump: 'bastion01' } },
        ] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'otp.yaml' });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('otp') as { id: number }).id;
    openTicket(core.db, { ref: 'OTP-1', siteId, type: 'incident', component: 'other', impact: {} }, 'prompt-tester');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const open = async (terminals = core.terminals) => {
    const { sessionId, decision } = terminals === core.terminals
      ? await call<{ sessionId: string; decision: { allowed: boolean } }>(core, 'terminals.open', request())
      : await terminals.open(request());
    expect(decision.allowed).toBe(true);
    return sessionId;
  };

  it('asks the window, takes the answer back and opens the shell; the code is never logged', async () => {
    const sessionId = await open();
    const window = new WindowStandIn(core.terminals, sessionId);
    await window.until(() => window.has('prompt'), 'the prompt');
    expect(window.events.find((e) => e.type === 'prompt')).toEqual({
      type: 'prompt', target: 'otp01',
      challenge: { name: 'Two-factor', instructions: 'Enter the code from your token.', prompts: [{ prompt: 'Verification code: ', echo: false }] },
    });
    expect((await callError(core, 'terminals.answerPrompt', { sessionId, answers: [FAULT_OTP, 'extra'] })).code).toBe('INVALID_INPUT');
    expect((await callError(core, 'terminals.answerPrompt', { sessionId, answers: 'not-a-list' })).code).toBe('INVALID_INPUT');
    await call(core, 'terminals.answerPrompt', { sessionId, answers: [FAULT_OTP] });
    await window.until(() => window.exit !== undefined, 'the end of the shell');
    expect(window.has('connected')).toBe(true);
    expect(window.text).toContain('fault shell');
    expect(window.exit).toMatchObject({ code: 0, error: null });
    expect(server.authAttempts.some((a) => a.method === 'keyboard-interactive')).toBe(true);
    expect(JSON.stringify(core.sessionLog.get(sessionId))).not.toContain(FAULT_OTP);
    // Answered once: a second answer has nothing to answer.
    expect((await callError(core, 'terminals.answerPrompt', { sessionId, answers: [FAULT_OTP] })).code).toBe('NOT_FOUND');
  });

  it('names the host that asks: first the jump host, then the target behind it', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { ...request(), target: 'otp02' });
    const window = new WindowStandIn(core.terminals, sessionId);
    const prompts = () => window.events.filter((e) => e.type === 'prompt');
    await window.until(() => prompts().length === 1, 'the jump host\'s question');
    expect(prompts()[0]).toMatchObject({ target: 'bastion01' });
    await call(core, 'terminals.answerPrompt', { sessionId, answers: [FAULT_OTP] });
    await window.until(() => prompts().length === 2, 'the target\'s question');
    expect(prompts()[1]).toMatchObject({ target: 'otp02' });
    await call(core, 'terminals.answerPrompt', { sessionId, answers: [FAULT_OTP] });
    await window.until(() => window.exit !== undefined, 'the end of the shell');
    expect(window.text).toContain('fault shell');
    expect(window.exit).toMatchObject({ code: 0, error: null });
  });

  it('a wrong code ends the session with the sign-in failure, naming the host and the method', async () => {
    const sessionId = await open();
    const window = new WindowStandIn(core.terminals, sessionId);
    await window.until(() => window.has('prompt'), 'the prompt');
    await call(core, 'terminals.answerPrompt', { sessionId, answers: ['000000'] });
    await window.until(() => window.exit !== undefined, 'the exit');
    expect(window.has('connected')).toBe(false);
    expect(window.exit!.failure).toBe('auth-failed');
    expect(window.exit!.error).toMatch(new RegExp(`^otp01 \\(127\\.0\\.0\\.1:${server.port}\\) rejected every sign-in method tried as fault \\(keyboard-interactive\\)`));
    expect(core.sessionLog.get(sessionId).record).toMatchObject({ outcome: 'failed', detail: { failure: 'auth-failed' } });
  });

  it('Esc in the window (answers: null) cancels: the session ends saying so', async () => {
    const sessionId = await open();
    const window = new WindowStandIn(core.terminals, sessionId);
    await window.until(() => window.has('prompt'), 'the prompt');
    await call(core, 'terminals.answerPrompt', { sessionId, answers: null });
    await window.until(() => window.exit !== undefined, 'the exit');
    expect(window.exit!.failure).toBe('auth-failed');
    expect(window.exit!.error).toMatch(/^Sign-in cancelled: the server's questions were not answered\. otp01 /);
  });

  it('a window that goes away and comes back is asked again', async () => {
    const sessionId = await open();
    const first = new WindowStandIn(core.terminals, sessionId);
    await first.until(() => first.has('prompt'), 'the prompt');
    first.detach();
    const second = new WindowStandIn(core.terminals, sessionId);
    expect(second.events[0]).toMatchObject({ type: 'prompt', target: 'otp01' });
    await call(core, 'terminals.answerPrompt', { sessionId, answers: [FAULT_OTP] });
    await second.until(() => second.exit !== undefined, 'the end of the shell');
    expect(second.text).toContain('fault shell');
    expect(second.exit!.error).toBeNull();
    expect(first.events.filter((e) => e.type === 'prompt')).toHaveLength(1);
  });

  it('no answer within the timeout counts as no answer: the session ends', async () => {
    // The core's own openSsh, in a TerminalSessions whose questions wait 300 ms instead of minutes.
    // The policy's answer is reported before connecting, as core's own openSsh does.
    const terminals = new TerminalSessions(async (req, prompts, { onDecision }) => {
      onDecision(await core.services.policy.check({ ...req, method: 'ssh' }));
      return core.openSsh(req, prompts);
    }, { promptTimeoutMs: 300 });
    const sessionId = await open(terminals);
    const window = new WindowStandIn(terminals, sessionId);
    await window.until(() => window.has('prompt'), 'the prompt');
    await window.until(() => window.exit !== undefined, 'the exit');
    expect(window.exit!.failure).toBe('auth-failed');
    expect(window.exit!.error).toMatch(/^Sign-in questions went unanswered for too long/);
    expect(terminals.has(sessionId)).toBe(false);
  });
});
