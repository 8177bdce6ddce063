import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleWith } from '../helpers/fixtures';
import { listSessions, runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

const SITE_NAV = 'nav-site-Acme Telecom / mumbai-prod';

interface LogRow { sessionId: string; host: string | null; target: string | null; method: string | null; decision: string; outcome: string; detail: Record<string, unknown> }

/**
 * The connect flow from a host row and from the palette (issue 8 §2, §4): a host's method button opens
 * it with host and method chosen; a denial shown is in the log exactly once and offers an exception;
 * an allowed preview logs nothing; a recent connection is one keystroke away; and an AnyDesk that will
 * not open hands over its ID and link. The system opener is a stand-in `xdg-open` on PATH that records
 * what it was asked to open, and fails (exit 4, as xdg-open does with no handler) while a flag file exists.
 */
describe('browser mode: the connect flow, shortened, and every denial it shows logged', () => {
  const binDir = makeTempDir('switchboard-e2e-bin-');
  const opened = path.join(binDir, 'opened.txt');
  const failFlag = path.join(binDir, 'no-anydesk');
  const session = useE2eSession('light', (dataDir) => {
    const fileDir = makeTempDir('switchboard-e2e-profile-');
    // TeamViewer is not approved for this site here, so agent-pc-07's TeamViewer button leads to a denial with an exception to request.
    fs.writeFileSync(path.join(fileDir, 'acme.yaml'), sampleWith((doc) => {
      const site = (doc.customers[0]!.sites as Record<string, unknown>[])[0]!;
      site.approved_methods = (site.approved_methods as string[]).filter((m) => m !== 'teamviewer');
    }));
    fs.writeFileSync(path.join(fileDir, 'acme.ovpn'), 'client\n');
    expect(runCli(['sites', 'import', path.join(fileDir, 'acme.yaml')], { dataDir }).status).toBe(0);
    expect(runCli(['tickets', 'open', '--site', 'Acme Telecom/mumbai-prod', '--id', 'EXO-501', '--component', 'acd'], { dataDir }).status).toBe(0);
    fs.writeFileSync(path.join(binDir, 'xdg-open'), `#!/bin/sh\n[ -e '${failFlag}' ] && exit 4\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${binDir}:${process.env.PATH}`, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });
  // Sessions only: the profile import above is on the record too, as policy changes.
  const log = () => listSessions<LogRow>(session.get().dataDir);
  const openedLinks = () => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : '');

  it("a host row's AnyDesk button opens the flow with host and method chosen: only the ticket is left", async () => {
    const { page } = session.get();
    await page.getByTestId(SITE_NAV).click();
    await page.getByTestId('connect-agent-pc-07-anydesk').click();
    const preset = page.getByTestId('connect-preset');
    await preset.waitFor();
    expect([await preset.getAttribute('data-host'), await preset.getAttribute('data-method')]).toEqual(['agent-pc-07', 'anydesk']);
    // The site's only open ticket is already picked.
    await expect.poll(() => page.getByTestId('connect-ticket-select').inputValue()).toBe('EXO-501');
    await screenshot(page, '40-connect-preset');
  });

  it('the allowed preview alone logs nothing; Connect does, once', async () => {
    const { page } = session.get();
    await page.keyboard.press('Enter');
    const decision = page.getByTestId('policy-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-allowed')).toBe('true');
    expect(log()).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByTestId('connect-result').waitFor();
    await expect.poll(openedLinks).toBe('anydesk:123456789\n');
    expect(log().map((r) => [r.host, r.method, r.outcome])).toEqual([['agent-pc-07', 'anydesk', 'launched']]);
    await page.getByTestId('connect-done').click();
    await page.getByTestId('connect-flow').waitFor({ state: 'detached' });
  });

  let deniedId = '';
  it('a denial shown is a denied attempt in the log, exactly once', async () => {
    const { page } = session.get();
    await page.getByTestId('connect-agent-pc-07-teamviewer').click();
    await expect.poll(() => page.getByTestId('connect-ticket-select').inputValue()).toBe('EXO-501');
    await page.getByTestId('connect-next').click();
    const decision = page.getByTestId('policy-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-allowed')).toBe('false');
    await expect(decision.textContent()).resolves.toMatch(/not approved/i);
    deniedId = (await page.getByTestId('denial-logged').getAttribute('data-session-id'))!;
    // Re-renders and keystrokes are not decisions: Enter on a denial and switching views write nothing more.
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-decision').hover();
    expect(await page.getByTestId('connect-go').count()).toBe(0);
    const denied = log().filter((r) => r.decision === 'deny');
    expect(denied).toMatchObject([{ sessionId: deniedId, target: 'agent-pc-07', method: 'teamviewer', outcome: 'denied', detail: { shownIn: 'connect-flow' } }]);
    await screenshot(page, '41-connect-denied-logged');
  });

  it('"Request an exception" opens the request form prefilled; without an identity to sign with, it says so', async () => {
    const { page } = session.get();
    await page.getByTestId('request-exception').click();
    await page.getByTestId('exception-request').waitFor();
    expect(await page.getByTestId('exception-method').inputValue()).toBe('teamviewer');
    expect(await page.getByTestId('exception-host').inputValue()).toBe('agent-pc-07');
    expect(await page.getByTestId('exception-ticket').inputValue()).toBe('EXO-501');
    expect(await page.getByTestId('exception-reason').inputValue()).toMatch(/EXO-501.*TeamViewer.*agent-pc-07/);
    await screenshot(page, '42-connect-request-exception');
    await page.getByTestId('exception-until').fill('2999-12-31');
    await page.getByTestId('exception-request-submit').click();
    // A request is signed by the engineer's own key; this data dir has none yet, and nothing is recorded.
    await expect.poll(() => page.getByTestId('exception-request-form').textContent()).toMatch(/no identity yet/);
    expect(log().map((r) => r.outcome).sort()).toEqual(['denied', 'launched']);
    await page.getByTestId('exception-cancel').click();
    await page.getByTestId('connect-back').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('connect-flow').waitFor({ state: 'detached' });
  });

  it("the palette's recent connection reconnects through the same flow and policy", async () => {
    const { page } = session.get();
    await page.keyboard.press('Control+k');
    const recent = page.getByTestId('palette-recent-0');
    await recent.waitFor();
    await expect(recent.textContent()).resolves.toMatch(/agent-pc-07 · AnyDesk · EXO-501/);
    await screenshot(page, '43-palette-recent');
    // Nothing typed, nothing picked: Enter is the most recent connection.
    await page.keyboard.press('Enter');
    const decision = page.getByTestId('policy-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-allowed')).toBe('true');
    await page.keyboard.press('Enter');
    await page.getByTestId('connect-result').waitFor();
    await expect.poll(openedLinks).toBe('anydesk:123456789\nanydesk:123456789\n');
    expect(log().filter((r) => r.outcome === 'launched')).toHaveLength(2);
    await page.getByTestId('connect-done').click();
    await page.getByTestId('connect-flow').waitFor({ state: 'detached' });
  });

  it("the palette's hosts open the flow with the host and a method chosen", async () => {
    const { page } = session.get();
    await page.keyboard.press('Control+k');
    await page.getByRole('textbox', { name: 'Command palette search' }).fill('connect to bastion');
    await page.getByTestId('palette-connect-bastion').click();
    const preset = page.getByTestId('connect-preset');
    await preset.waitFor();
    expect([await preset.getAttribute('data-host'), await preset.getAttribute('data-method')]).toEqual(['bastion', 'ssh']);
    await page.keyboard.press('Escape');
    await page.getByTestId('connect-flow').waitFor({ state: 'detached' });
  });

  it('an AnyDesk that will not open offers the ID and the link to copy', async () => {
    const { page } = session.get();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.get().app.url).origin });
    fs.writeFileSync(failFlag, '');
    await page.getByTestId('connect-agent-pc-07-anydesk').click();
    await expect.poll(() => page.getByTestId('connect-ticket-select').inputValue()).toBe('EXO-501');
    await page.getByTestId('connect-next').click();
    await page.getByTestId('connect-go').click();
    const failed = page.getByTestId('launch-failed');
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toMatch(/Could not open AnyDesk.*xdg-open exited with code 4/s);
    expect(await page.getByTestId('copy-partner-id-value').textContent()).toBe('123456789');
    expect(await page.getByTestId('copy-link-value').textContent()).toBe('anydesk:123456789');
    await page.getByTestId('copy-partner-id').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('123456789');
    await page.getByTestId('copy-link').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('anydesk:123456789');
    await screenshot(page, '44-launcher-failed-copy');
    expect(log().filter((r) => r.outcome === 'failed')).toMatchObject([{ host: 'agent-pc-07', method: 'anydesk' }]);
    await page.getByTestId('connect-done').click();
    await page.getByTestId('connect-flow').waitFor({ state: 'detached' });
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
