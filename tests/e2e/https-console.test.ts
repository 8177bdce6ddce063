import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { listSessions, runCli } from '../helpers/cli';
import { screenshot, sessionRows, useE2eSession } from '../helpers/e2e-session';
import { opensslUnavailable, selfSignedCertificate, startHttpsConsole, type TestCertificate, type TestServer } from '../helpers/https-server';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const unavailable = opensslUnavailable();
const OTHER_PIN = Array.from({ length: 32 }, () => 'AB').join(':');

/** One site approving HTTPS: console01 pins the server's real certificate, console02 a different one. */
function webLabProfile(port: number, pin: string): string {
  const host = (name: string, certSha256: string) => ({ name, address: '127.0.0.1', https: { port, path: '/ameyo', cert_sha256: certSha256 } });
  return stringify({
    version: 1,
    customers: [{
      name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      sites: [{ name: 'web-lab', seats: 10, peak_calls: 10, approved_methods: ['https'], hosts: [host('console01', pin), host('console02', OTHER_PIN)] }],
    }],
  });
}

/**
 * Browser mode: the engineer opens an appliance's HTTPS console from the connect flow. The server
 * is a real HTTPS server with a self-signed certificate made for this test; the system opener is a
 * stand-in `xdg-open` on PATH that records what it was asked to open. A matching pin opens the
 * console in the engineer's browser (and the window says what that means); a mismatch opens nothing
 * and shows both fingerprints.
 */
describe.skipIf(unavailable).sequential(`browser mode: HTTPS console${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const dir = makeTempDir('switchboard-e2e-https-');
  const opened = path.join(dir, 'opened.txt');
  let certificate: TestCertificate;
  let server: TestServer;
  beforeAll(async () => {
    certificate = selfSignedCertificate(dir, 'appliance');
    server = await startHttpsConsole(certificate);
  });
  const session = useE2eSession('light', (dataDir) => {
    const file = path.join(dir, 'web-lab.yaml');
    fs.writeFileSync(file, webLabProfile(server.port, certificate.fingerprint));
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${dir}:${process.env.PATH}`, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });
  afterAll(async () => {
    await server?.stop();
    removeTempDir(dir);
  });
  const openedUrls = () => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : '');

  it('pin matches: the console opens in the browser, and the window shows the fingerprint, decision and origin', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Loopback Labs / web-lab').click();
    await page.getByTestId('connect-console01-https').click();
    await page.getByTestId('connect-new-ticket').click();
    await page.getByTestId('ticket-form-ref').fill('WEB-1');
    await page.getByTestId('ticket-form-component').selectOption('other');
    await page.getByTestId('save-ticket').click();
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    expect(await page.getByTestId('policy-decision').getAttribute('data-allowed')).toBe('true');
    await page.getByTestId('connect-go').click();

    const panel = page.getByTestId('console-opened');
    await panel.waitFor();
    expect(await panel.getAttribute('data-shown-in')).toBe('browser');
    expect(await panel.getAttribute('data-decision')).toBe('pinned');
    await expect(page.getByTestId('console-fingerprint').textContent()).resolves.toBe(certificate.fingerprint);
    await expect(page.getByTestId('console-origin').textContent()).resolves.toBe(`https://127.0.0.1:${server.port}`);
    await expect(page.getByTestId('console-url').textContent()).resolves.toContain(`https://127.0.0.1:${server.port}/ameyo`);
    await expect(page.getByTestId('console-certificate-decision').textContent()).resolves.toMatch(/matches pin/);
    await expect(page.getByTestId('console-browser-note').textContent()).resolves.toMatch(/checked the certificate against the host's pin before opening; your browser does its own check/);
    await expect.poll(openedUrls).toBe(`https://127.0.0.1:${server.port}/ameyo\n`);
    await screenshot(page, '40-https-console-opened');
    await page.getByTestId('session-summary').fill('Checked the ACD queue settings in the console.');
    await page.getByTestId('save-summary').click();
    await page.getByTestId('summary-saved').waitFor();
    await page.getByTestId('connect-done').click();
  });

  it('pin mismatch: nothing opens, and the window shows both fingerprints', async () => {
    const { page } = session.get();
    await page.getByTestId('connect-console02-https').click();
    await page.getByTestId('connect-ticket-select').selectOption('WEB-1');
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    await page.getByTestId('connect-go').click();

    const refused = page.getByTestId('console-refused');
    await refused.waitFor();
    expect(await refused.getAttribute('data-code')).toBe('HTTPS_CERT_MISMATCH');
    await expect(page.getByTestId('console-fingerprint-presented').textContent()).resolves.toBe(`SHA-256 ${certificate.fingerprint}`);
    await expect(page.getByTestId('console-fingerprint-pinned').textContent()).resolves.toBe(`SHA-256 ${OTHER_PIN}`);
    await expect(page.getByTestId('console-refused-message').textContent()).resolves.toMatch(/The certificate of console02 \(127\.0\.0\.1:\d+\) does not match its pin/);
    await expect(refused.textContent()).resolves.toMatch(/Certificate does not match the pin/);
    await screenshot(page, '41-https-console-mismatch');
    expect(openedUrls()).toBe(`https://127.0.0.1:${server.port}/ameyo\n`);
    await page.getByTestId('connect-done').click();
  });

  it('both attempts are in the session log, with the certificate decision', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('nav-log').click();
    // Sessions only: pinning console01's certificate on first use is on the record too, as a policy change.
    const sessions = sessionRows(page);
    await sessions.nth(1).waitFor();
    const rows = (await sessions.allTextContents()).join('\n');
    expect(await sessions.count()).toBe(2);
    expect(rows).toMatch(/console01/);
    expect(rows).toMatch(/console02/);
    await screenshot(page, '42-https-console-log');
    const log = listSessions<{ host: string; outcome: string; summary: string | null; detail: Record<string, unknown> }>(dataDir);
    const byHost = Object.fromEntries(log.map((r) => [r.host, r]));
    expect(byHost.console01).toMatchObject({ outcome: 'launched', summary: expect.stringMatching(/ACD queue/), detail: { shownIn: 'browser', certificate: { decision: 'pinned', fingerprint: certificate.fingerprint } } });
    expect(byHost.console02).toMatchObject({ outcome: 'failed', detail: { code: 'HTTPS_CERT_MISMATCH', certificate: { fingerprint: certificate.fingerprint, pin: OTHER_PIN } } });
  });
});
