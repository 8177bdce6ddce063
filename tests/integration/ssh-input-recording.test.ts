import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore as Core } from '../helpers/core';
import { setRecordInput } from '../../main/core/directory/sites';
import { SessionLifecycle } from '../../main/core/sessions/lifecycle';
import { openSshSession } from '../../main/core/sessions/ssh-session';
import type { TerminalEvent, TerminalExit } from '../../main/core/sessions/terminal-sessions';
import { readAsciicast, type RecorderFs } from '../../main/core/ssh/recording';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, useCores } from '../helpers/core';
import { loopbackLabProfile, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

const unavailable = sshdUnavailable();

/** Waits for a terminal's output to satisfy `check`, failing with what it saw. */
function watch(core: Core, sessionId: string) {
  let text = '';
  let exit: TerminalExit | undefined;
  const waiters: Array<() => void> = [];
  core.terminals.attach(sessionId, (event: TerminalEvent) => {
    if (event.type === 'output') {
      text += event.data.toString('utf8');
      core.terminals.ack(sessionId, event.data.length);
    }
    if (event.type === 'exit') exit = event.exit;
    if (event.type === 'hostKey') void core.dispatch('terminals.answerHostKey', { sessionId, accept: true });
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    get text() { return text; },
    until: (check: (text: string) => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(text.slice(-300))}`)), 15_000);
        const test = () => (check(text) || exit ? (clearTimeout(timer), resolve()) : waiters.push(test));
        test();
      }),
  };
}

/**
 * Keystrokes typed into a window terminal are recorded as asciicast "i" events exactly when the
 * site records input — against a real OpenSSH sshd, with the recording's SHA-256 checked in the log.
 */
describe.skipIf(unavailable).sequential(`input recording per site${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;
  const credential = `input-rec-${process.pid}`;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    core = cores({ engineer: 'input-tester' });
    await call(core, 'profiles.import', { text: loopbackLabProfile(sshd, credential), fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    siteId = (core.db.prepare("SELECT id FROM sites WHERE name = 'lab'").get() as { id: number }).id;
    openTicket(core.db, { ref: 'LAB-9', siteId, type: 'incident', component: 'other', impact: {} }, 'input-tester');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: credential });
    await sshd?.stop();
  });

  /** Types a line into a new window terminal, waits for its output, closes; returns the session and its recording. */
  async function typeInTerminal(line: string, expected: string) {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'LAB-9', target: 'lab01', cols: 90, rows: 20 });
    const terminal = watch(core, sessionId);
    await terminal.until(() => core.terminals.flow(sessionId) !== null, 'the shell');
    for (const ch of line) core.terminals.write(sessionId, Buffer.from(ch)); // one keystroke at a time, as the window sends them
    await terminal.until((text) => text.includes(expected), expected);
    const exit = await call<TerminalExit>(core, 'terminals.close', { sessionId });
    expect(exit.error).toBeNull();
    return { sessionId, exit, cast: readAsciicast(exit.recording!) };
  }

  it('records no keystrokes while the site is off (the default)', async () => {
    const { sessionId, cast } = await typeInTerminal('echo "off-""marker"\r', 'off-marker');
    expect(cast.header.switchboard).toEqual({ session_id: sessionId, input_recorded: false });
    expect(cast.events.filter((e) => e[1] === 'i')).toEqual([]);
    expect(cast.events.filter((e) => e[1] === 'o').map((e) => e[2]).join('')).toContain('off-marker');
    const started = core.sessionLog.get(sessionId).events.find((e) => e.kind === 'started')!;
    expect(started.detail.inputRecorded).toBe(false);
  });

  it('records every keystroke as an "i" event once the site turns it on, and the log\'s SHA-256 still verifies', async () => {
    setRecordInput(core.db, siteId, true, 'input-tester');
    const line = 'echo "on-""marker"\r';
    const { sessionId, exit, cast } = await typeInTerminal(line, 'on-marker');
    expect(cast.header.switchboard).toEqual({ session_id: sessionId, input_recorded: true });
    const inputs = cast.events.filter((e) => e[1] === 'i');
    expect(inputs.map((e) => e[2])).toEqual([...line]);
    // Each keystroke is recorded before the host's echo of it: input never trails the output it caused.
    const firstEcho = cast.events.findIndex((e) => e[1] === 'o' && e[2].includes('on-'));
    expect(cast.events.findIndex((e) => e[1] === 'i')).toBeLessThan(firstEcho);
    const { record, events } = core.sessionLog.get(sessionId);
    expect(events.find((e) => e.kind === 'started')!.detail.inputRecorded).toBe(true);
    expect(record.detail.recordingSha256).toBe(createHash('sha256').update(fs.readFileSync(exit.recording!)).digest('hex'));
    expect((await call<{ sha256Matches: boolean }>(core, 'log.recording', { sessionId })).sha256Matches).toBe(true);
    expect(await call<{ ok: boolean }>(core, 'log.verify', {})).toMatchObject({ ok: true });
  });

  it('ends the session when recording a keystroke fails, without sending it', async () => {
    // Real fs, except any write of an input event fails as a full disk would.
    const failingInput: RecorderFs = {
      ...fs,
      writeSync: ((fd: number, buffer: Buffer, ...rest: unknown[]) => {
        if (Buffer.isBuffer(buffer) && buffer.includes(',"i",')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return (fs.writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
      }) as typeof fs.writeSync,
    };
    const policy = core.services.policy;
    const deps = {
      db: core.db, credentials: core.credentials, dataDir: core.dataDir, policy, recorderFs: failingInput,
      lifecycle: new SessionLifecycle({ log: core.sessionLog, policy, engineer: () => 'input-tester' }),
    };
    const sessionId = crypto.randomUUID();
    const { session } = await openSshSession(deps, { siteId, ticket: 'LAB-9', target: 'lab01' }, sessionId, { confirmHostKey: async () => false });
    const channel = await session!.start({ shell: { cols: 80, rows: 24, term: 'xterm' } });
    let output = '';
    session!.pipeOutput((data) => { output += data.toString('utf8'); });
    session!.input(Buffer.from('echo "never-""sent"\r'));
    const result = await session!.finish();
    expect(result.error).toMatch(/Recording to .* failed \(ENOSPC: no space left on device\); the session was ended/);
    expect(output).not.toContain('never-sent');
    expect(await channel.exit).toBeDefined();
    expect(core.sessionLog.get(sessionId).record).toMatchObject({ outcome: 'failed', detail: { error: expect.stringMatching(/ENOSPC/) } });
  });
});
