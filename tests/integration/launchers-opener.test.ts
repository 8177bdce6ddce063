import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { anydeskLink, meetingLink, teamviewerLink } from '../../main/core/launchers/deep-links';
import { SystemExternalOpener } from '../../main/core/launchers/external-opener';

/** A fake `xdg-open` / `open` records its argv (one line per element) and its environment. */
let root = '';
let seq = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-opener-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function fakeOpener(name: string, exitCode = 0): { bin: string; log: string } {
  const bin = path.join(root, `bin${++seq}`);
  fs.mkdirSync(bin);
  const log = path.join(bin, 'argv.log');
  const script = [
    '#!/bin/sh',
    `log='${log}'`,
    'echo "ARGC=$#" > "$log"',
    'for a in "$@"; do printf \'ARG<%s>\\n\' "$a" >> "$log"; done',
    'echo "SECRET=<${SECRET_TOKEN:-unset}> DESKTOP=<${XDG_CURRENT_DESKTOP:-unset}>" >> "$log"',
    `exit ${exitCode}`,
  ].join('\n');
  fs.writeFileSync(path.join(bin, name), `${script}\n`, { mode: 0o755 });
  return { bin, log };
}

const env = (bin: string): NodeJS.ProcessEnv => ({ PATH: bin, HOME: root, SECRET_TOKEN: 'hunter2', XDG_CURRENT_DESKTOP: 'GNOME' });

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('SystemExternalOpener on linux runs xdg-open with the link as its one argument', () => {
  it.each([
    teamviewerLink('123456789'),
    anydeskLink('acme-desk@ad'),
    meetingLink('teams', 'https://teams.microsoft.com/l/meetup-join/19%3am%40thread.v2/0?context=%7b%7d&x=$(id)'),
  ])('%s', async (url) => {
    const { bin, log } = fakeOpener('xdg-open');
    await new SystemExternalOpener({ platform: 'linux', env: env(bin) }).open(url);
    expect(fs.readFileSync(log, 'utf8')).toBe(`ARGC=1\nARG<${url}>\nSECRET=<unset> DESKTOP=<GNOME>\n`);
  });

  it('uses open on macOS', async () => {
    const { bin, log } = fakeOpener('open');
    await new SystemExternalOpener({ platform: 'darwin', env: env(bin) }).open('anydesk:123456789');
    expect(fs.readFileSync(log, 'utf8')).toMatch(/^ARGC=1\nARG<anydesk:123456789>\n/);
  });

  it.each(['http://acme.webex.com/x', 'file:///etc/passwd', '--help', 'teamviewer10://control?device=123456789&x=1', 'anydesk:1 2'])(
    'refuses %j without running anything',
    async (url) => {
      const { bin, log } = fakeOpener('xdg-open');
      const error = await rejection(new SystemExternalOpener({ platform: 'linux', env: env(bin) }).open(url));
      expect(error.code).toBe('INVALID_INPUT');
      expect(fs.existsSync(log)).toBe(false);
    },
  );

  it('says how to install xdg-open when it is missing', async () => {
    const error = await rejection(new SystemExternalOpener({ platform: 'linux', env: { PATH: root } }).open('anydesk:123456789'));
    expect(error.toData()).toEqual({ code: 'LAUNCHER_UNAVAILABLE', message: 'xdg-open is not installed; install xdg-utils (apt-get install xdg-utils)' });
  });

  it('reports an opener that fails (no application for the scheme)', async () => {
    const { bin } = fakeOpener('xdg-open', 4);
    const error = await rejection(new SystemExternalOpener({ platform: 'linux', env: env(bin) }).open('teamviewer10://control?device=123456789'));
    expect(error.message).toBe('the system could not open the teamviewer10: link (xdg-open exited with code 4); is the application for it installed?');
  });

  it('does not wait for an opener that keeps running', async () => {
    const bin = path.join(root, `bin${++seq}`);
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'xdg-open'), '#!/bin/sh\nexec sleep 2\n', { mode: 0o755 });
    const t0 = Date.now();
    await new SystemExternalOpener({ platform: 'linux', env: { ...env(bin), PATH: `${bin}:${process.env.PATH ?? ''}` }, settleMs: 200 }).open('anydesk:123456789');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('on Windows names the missing rundll32', async () => {
    const error = await rejection(new SystemExternalOpener({ platform: 'win32', env: { SystemRoot: path.join(root, 'nowin') } }).open('anydesk:123456789'));
    expect(error.code).toBe('LAUNCHER_UNAVAILABLE');
    expect(error.message).toMatch(/rundll32\.exe was not found/);
  });
});
