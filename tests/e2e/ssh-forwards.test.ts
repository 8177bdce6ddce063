import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { echoOrError, startEchoServer } from '../helpers/tcp-echo';

const unavailable = sshdUnavailable();
const credential = `e2e-forwards-${process.pid}`;

/**
 * Local port forwards in the window, against a real OpenSSH sshd: open a terminal, add a forward to
 * a host's HTTPS console (a TCP echo server here) in the terminal's Forwards panel, use it from Node,
 * see a policy refusal, then disconnect and see the forward gone and its port closed.
 */
describe.skipIf(unavailable).sequential(`browser mode: SSH local port forwards${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  let echo: Awaited<ReturnType<typeof startEchoServer>> | undefined;
  let echoPort = 0;
  const profileDir = makeTempDir('switchboard-e2e-forwards-profile-');
  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    echo = await startEchoServer();
    echoPort = echo.port;
  });
  const session = useE2eSession('light', (dataDir) => {
    const file = path.join(profileDir, 'lab.yaml');
    fs.writeFileSync(file, stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh', 'https'],
          hosts: [
            { name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } },
            { name: 'web01', address: '127.0.0.1', https: { port: echoPort } },
            { name: 'stray01', address: '127.0.0.1', allow: ['10.20.0.0/16'], https: { port: echoPort } },
          ],
        }],
      }],
    }));
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    const set = runCli(['credentials', 'set', credential], { dataDir, input: `${sshd.password}\n` });
    expect(set.status, set.stderr).toBe(0);
    return { ...process.env, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });
  afterAll(async () => {
    const dataDir = session.get()?.dataDir;
    if (dataDir) runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
    await echo?.stop();
    removeTempDir(profileDir);
  });

  let localPort = 0;
  const row = () => session.get().page.getByTestId(`forward-web01-${echoPort}`);
  /** The panel has finished its opening transition (for screenshots that show it whole). */
  const panelShown = () => expect.poll(() => session.get().page.getByTestId('forwards-panel')
    .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity)).toBe('1');

  it('opens a terminal to lab01 on a new ticket; its Forwards panel starts empty', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Loopback Labs / lab').click();
    await page.getByTestId('connect-lab01-ssh').click();
    await page.getByTestId('connect-new-ticket').click();
    await page.getByTestId('ticket-form-ref').fill('LAB-FWD');
    await page.getByTestId('ticket-form-component').selectOption('other');
    await page.getByTestId('save-ticket').click();
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    await page.getByTestId('connect-go').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    await page.getByTestId('forwards-toggle').click();
    await page.getByTestId('forwards-panel').waitFor();
    await panelShown();
    await expect(page.getByTestId('forwards-empty').textContent()).resolves.toMatch(/No forwards yet/);
    // Only hosts with something to forward to, and only the ports each one exposes.
    const hostOptions = await page.getByTestId('forward-host').locator('option').allTextContents();
    expect(hostOptions).toEqual(['lab01', 'web01', 'stray01']);
    await page.getByTestId('forward-host').selectOption('web01');
    expect(await page.getByTestId('forward-port').locator('option').allTextContents()).toEqual([`${echoPort} · HTTPS console`]);
    await screenshot(page, '30-forwards-empty');
  });

  it('adds a forward to web01\'s HTTPS console and lists it as 127.0.0.1:PORT', async () => {
    const { page } = session.get();
    await page.getByTestId('forward-add').click();
    await row().waitFor({ timeout: 15_000 });
    const local = (await row().getByTestId('forward-local').textContent()) ?? '';
    expect(local).toMatch(/^127\.0\.0\.1:\d+$/);
    localPort = Number(local.split(':')[1]);
    expect(await row().getByTestId('forward-destination').textContent()).toBe(`web01:${echoPort}`);
    expect(await row().getByTestId('forward-connections').textContent()).toBe('0 / 0');
    expect(await page.getByTestId('forwards-count').textContent()).toBe('1');
  });

  it('carries bytes from this machine to the console, and the panel counts the connection', async () => {
    const { page } = session.get();
    expect(await echoOrError(localPort, 'hello through the forward')).toBe('hello through the forward');
    await expect.poll(() => row().getByTestId('forward-connections').textContent(), { timeout: 10_000 }).toBe('0 / 1');
    await screenshot(page, '31-forwards-listed');
  });

  it('shows the policy\'s refusal for a host whose address is outside its allow-list', async () => {
    const { page } = session.get();
    await page.getByTestId('forward-host').selectOption('stray01');
    await page.getByTestId('forward-add').click();
    await expect.poll(() => page.getByTestId('forward-error').textContent(), { timeout: 10_000 }).toMatch(/Refused: .*outside stray01's allow-list.*recorded in the session log/);
    expect(await page.getByTestId('forwards-count').textContent()).toBe('1');
    await screenshot(page, '32-forwards-refused');
  });

  it('disconnecting closes the forward: its port refuses connections and the panel has none', async () => {
    const { page } = session.get();
    await page.keyboard.press('Escape');
    await page.getByTestId('terminal-disconnect').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('ended');
    expect(await echoOrError(localPort, 'anyone there?')).toBe('ECONNREFUSED');
    expect(await page.getByTestId('forwards-count').count()).toBe(0);
    await page.getByTestId('forwards-toggle').click();
    await expect(page.getByTestId('forwards-empty').textContent()).resolves.toMatch(/not connected/);
    expect(await row().count()).toBe(0);
    await panelShown();
    await screenshot(page, '33-forwards-after-disconnect');
  });

  it('the session log holds the forward and the refusal on the same ticket', () => {
    const records = JSON.parse(runCli(['log', 'list', '--json', '--ticket', 'LAB-FWD'], { dataDir: session.get().dataDir }).stdout) as { host: string | null; outcome: string | null; detail: Record<string, unknown> }[];
    const forwards = records.filter((r) => typeof r.detail.forwardVia === 'string');
    expect(forwards.map((r) => `${r.host} ${r.outcome}`).sort()).toEqual(['stray01 denied', 'web01 closed']);
    expect(session.pageErrors).toEqual([]);
  });
});
