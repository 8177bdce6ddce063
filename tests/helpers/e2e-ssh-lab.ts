import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli } from './cli';
import { useE2eSession, type E2eSession } from './e2e-session';
import { loopbackLabProfile, startSshd, type TestSshd } from './sshd';
import { makeTempDir, removeTempDir } from './temp-dir';

/**
 * A real sshd and a browser-mode session whose data dir has the loopback lab imported (site
 * "Loopback Labs/lab", host lab01) with its password in the keychain; all torn down after the file.
 * `prepare` runs on the data dir after that (to open a ticket, say); `env` is added to the web host's
 * environment (a stand-in opener on PATH, say). Needs root and scripts/with-keyring.sh.
 */
export function useSshLabSession(options: {
  name: string;
  theme?: 'light' | 'dark';
  engineer?: string;
  prepare?: (dataDir: string) => void;
  env?: NodeJS.ProcessEnv;
}): { session: { get: () => E2eSession; pageErrors: string[] }; readonly sshd: TestSshd } {
  const credential = `e2e-${options.name}-${process.pid}`;
  const profileDir = makeTempDir(`switchboard-e2e-${options.name}-profile-`);
  let sshd: TestSshd | undefined;
  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
  });
  const session = useE2eSession(options.theme ?? 'light', (dataDir) => {
    const file = path.join(profileDir, 'lab.yaml');
    fs.writeFileSync(file, loopbackLabProfile(sshd!, credential));
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    const set = runCli(['credentials', 'set', credential], { dataDir, input: `${sshd!.password}\n` });
    expect(set.status, set.stderr).toBe(0);
    options.prepare?.(dataDir);
    return { ...process.env, SWITCHBOARD_ENGINEER: options.engineer ?? 'e2e-engineer', ...options.env };
  });
  afterAll(async () => {
    const dataDir = session.get()?.dataDir;
    if (dataDir) runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
    removeTempDir(profileDir);
  });
  return {
    session,
    get sshd() {
      if (!sshd) throw new Error('the sshd is not running (beforeAll failed?)');
      return sshd;
    },
  };
}

/**
 * From the lab site's page: lab01's SSH button, a new ticket `ref`, the policy's decision, Connect,
 * the first-use host key accepted; resolves once the terminal says it is connected.
 */
export async function connectLab01OnNewTicket(page: E2eSession['page'], ref: string): Promise<void> {
  await page.getByTestId('nav-site-Loopback Labs / lab').click();
  await page.getByTestId('connect-lab01-ssh').click();
  await page.getByTestId('connect-new-ticket').click();
  await page.getByTestId('ticket-form-ref').fill(ref);
  await page.getByTestId('ticket-form-component').selectOption('other');
  await page.getByTestId('save-ticket').click();
  await page.getByTestId('connect-next').click();
  await page.getByTestId('policy-decision').waitFor();
  await page.getByTestId('connect-go').click();
  await page.getByTestId('hostkey-accept').click();
  await expect.poll(() => page.getByTestId('terminal-status').textContent()).toBe('connected');
}
