import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli } from './cli';
import { useE2eSession, type E2eSession } from './e2e-session';
import { makeTempDir, removeTempDir } from './temp-dir';
import { startXvnc, type TestXvnc, type XvncOptions } from './xvnc';

/**
 * A real Xvnc and a browser-mode session whose data dir has the site "Vnc Labs/lab" (VNC approved):
 * desk01 is the Xvnc (password in the keychain, `endpoint` keys added to its vnc endpoint), bastion a
 * host with SSH that the host form offers as a jump; `tickets` are open on the site. Torn down after the
 * file. Needs scripts/with-keyring.sh.
 */
export function useVncLabSession(options: { name: string; tickets: string[]; xvnc?: XvncOptions; endpoint?: Record<string, unknown> }): {
  session: { get: () => E2eSession; pageErrors: string[] };
  readonly xvnc: TestXvnc;
} {
  const credential = `e2e-${options.name}-${process.pid}`;
  const profileDir = makeTempDir(`switchboard-e2e-${options.name}-profile-`);
  let xvnc: TestXvnc | undefined;
  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    xvnc = await startXvnc(options.xvnc);
  });
  const session = useE2eSession('light', (dataDir) => {
    const file = path.join(profileDir, 'vnc-lab.yaml');
    fs.writeFileSync(file, stringify({
      version: 1,
      customers: [{
        name: 'Vnc Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['vnc', 'ssh'],
          hosts: [
            { name: 'desk01', address: '127.0.0.1', role: 'supervisor desktop', vnc: { port: xvnc!.port, credential, ...options.endpoint } },
            { name: 'bastion', address: '127.0.0.1', role: 'jump host', ssh: { port: 22, user: 'support' } },
          ],
        }],
      }],
    }));
    const imported = runCli(['sites', 'import', file], { dataDir });
    expect(imported.status, imported.stderr).toBe(0);
    const set = runCli(['credentials', 'set', credential], { dataDir, input: `${xvnc!.password}\n` });
    expect(set.status, set.stderr).toBe(0);
    for (const ticket of options.tickets) {
      const opened = runCli(['tickets', 'open', '--site', 'Vnc Labs/lab', '--id', ticket, '--component', 'other'], { dataDir });
      expect(opened.status, opened.stderr).toBe(0);
    }
    return { ...process.env, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });
  afterAll(async () => {
    const dataDir = session.get()?.dataDir;
    if (dataDir) runCli(['credentials', 'delete', credential], { dataDir });
    await xvnc?.stop();
    removeTempDir(profileDir);
  });
  return {
    session,
    get xvnc() {
      if (!xvnc) throw new Error('Xvnc is not running (beforeAll failed?)');
      return xvnc;
    },
  };
}
