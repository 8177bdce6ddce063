import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAsciicast } from '../../main/core/ssh/recording';
import { CLI_BIN, ROOT, buildNodeBundles, runCli, setUpCliSshLab } from '../helpers/cli';
import { loopbackLabProfile, sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

const SITE = 'Loopback Labs/lab';
const unavailable = sshdUnavailable();
const noScript = fs.existsSync('/usr/bin/script') ? null : '/usr/bin/script (util-linux) is missing; it gives the interactive test a terminal';

interface LogRecord { sessionId: string; detail: Record<string, unknown> }

/** `switchboard sites set --record-input`, and what it does to `connect --method ssh` recordings. */
describe('switchboard sites set --record-input', () => {
  const tempDir = useTempDirs('switchboard-cli-record-input-');
  let dataDir: string;
  const cli = (...args: string[]) => runCli(args, { dataDir, env: { ...process.env, SWITCHBOARD_ENGINEER: 'cli-lead' } });
  const listed = () => (JSON.parse(cli('sites', 'list', '--json').stdout) as { site: string; record_input: boolean }[]).find((s) => s.site === 'lab')!;

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    const file = path.join(tempDir(), 'lab.yaml');
    fs.writeFileSync(file, loopbackLabProfile({ port: 22, user: 'sbtest' }, 'unused'));
    expect(cli('sites', 'import', file).status).toBe(0);
  });

  it.each([
    ['no value', ['--site', SITE], /nothing to set/],
    ['a value other than on/off', ['--site', SITE, '--record-input', 'yes'], /--record-input is "on" or "off", not "yes"/],
    ['no site', ['--record-input', 'on'], /--site "CUSTOMER\/SITE" is required/],
    ['an unknown site', ['--site', 'Loopback Labs/nope', '--record-input', 'on'], /there is no site "Loopback Labs\/nope"/],
    ['a stray argument', ['--site', SITE, '--record-input', 'on', 'extra'], /unexpected "extra"/],
  ])('refuses %s with exit 2 and changes nothing', (_what, args, message) => {
    const result = cli('sites', 'set', ...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(listed().record_input).toBe(false);
  });

  it('turns it on with a warning about passwords, reports a repeat as no change, and turns it off', () => {
    const on = cli('sites', 'set', '--site', SITE, '--record-input', 'on');
    expect(on.status, on.stderr).toBe(0);
    expect(on.stdout).toMatch(/Input recording is now on for Loopback Labs\/lab \(changed by cli-lead\)/);
    expect(on.stderr).toMatch(/including passwords typed at remote prompts/);
    expect(listed().record_input).toBe(true);
    const again = cli('sites', 'set', '--site', SITE, '--record-input', 'on');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already on .* nothing changed/);
    const off = cli('sites', 'set', '--site', SITE, '--record-input', 'off');
    expect(off.status).toBe(0);
    expect(off.stdout).toMatch(/now off/);
    expect(listed().record_input).toBe(false);
  });

  it('is not part of the exported profile', () => {
    expect(cli('sites', 'set', '--site', SITE, '--record-input', 'on').status).toBe(0);
    expect(cli('sites', 'export').stdout).not.toMatch(/record/i);
    expect(cli('sites', 'set', '--site', SITE, '--record-input', 'off').status).toBe(0);
  });
});

describe.skipIf(unavailable)(`switchboard connect --method ssh records input when the site says so${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const tempDir = useTempDirs('switchboard-cli-ssh-input-');
  let sshd: TestSshd;
  let dataDir: string;
  const credential = `cli-input-${process.pid}`;
  const cli = (args: string[], input?: string) => runCli(args, { dataDir, ...(input === undefined ? {} : { input }) });
  const connect = ['connect', '--method', 'ssh', '--site', SITE, '--target', 'lab01', '--ticket', 'LAB-2'];
  const lastRecording = () => {
    const [record] = JSON.parse(cli(['log', 'list', '--json']).stdout) as LogRecord[];
    return readAsciicast(String(record!.detail.recording));
  };

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    await buildNodeBundles();
    sshd = await startSshd();
    dataDir = tempDir();
    setUpCliSshLab(sshd, { dataDir, scratchDir: tempDir(), credential, ticket: 'LAB-2' });
    expect(cli([...connect, '--accept-new-host-key', '--', 'true']).status).toBe(0);
  });
  afterAll(async () => {
    cli(['credentials', 'delete', credential]);
    await sshd?.stop();
  });

  it('sends stdin to COMMAND unrecorded while the site is off', () => {
    const result = cli([...connect, '--', 'cat'], 'piped-off\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('piped-off\n');
    const cast = lastRecording();
    expect(cast.header.switchboard).toMatchObject({ input_recorded: false });
    expect(cast.events.some((e) => e[1] === 'i')).toBe(false);
  });

  it('records stdin as "i" events once the site turns input recording on', () => {
    expect(cli(['sites', 'set', '--site', SITE, '--record-input', 'on']).status).toBe(0);
    const result = cli([...connect, '--', 'cat'], 'piped-on\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('piped-on\n');
    const cast = lastRecording();
    expect(cast.header.switchboard).toMatchObject({ input_recorded: true });
    expect(cast.events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toBe('piped-on\n');
    expect(cli(['log', 'verify']).status).toBe(0);
  });

  it.skipIf(noScript)(`records what is typed into an interactive shell${noScript ? ` (skipped: ${noScript})` : ''}`, () => {
    // `script` gives the CLI a real terminal; what it reads from our stdin is what the engineer types.
    const command = [process.execPath, CLI_BIN, '--data-dir', dataDir, ...connect].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const result = spawnSync('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT, input: 'echo "typed-""here"\rexit\r', encoding: 'utf8', timeout: 30_000, env: { ...process.env, TERM: 'xterm' },
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('typed-here');
    const cast = lastRecording();
    expect(cast.header.switchboard).toMatchObject({ input_recorded: true });
    // Typed before the CLI put the terminal in raw mode, Enter reaches it as \n (the tty's ICRNL), after as \r.
    // At the end of its input `script` types the terminal's EOF (Ctrl-D) into it; when that comes before the
    // remote shell has exited, the CLI forwards and records it like any keystroke (seen in CI).
    const typed = cast.events.filter((e) => e[1] === 'i').map((e) => e[2]).join('').replace(/\r/g, '\n');
    expect(typed.replace(/\u0004$/, '')).toBe('echo "typed-""here"\nexit\n');
    expect(cast.events.filter((e) => e[1] === 'o').map((e) => e[2]).join('')).toContain('typed-here');
  });
});
