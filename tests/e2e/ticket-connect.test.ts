import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_PROFILE_YAML } from '../helpers/fixtures';
import { listSessions, runCli } from '../helpers/cli';
import { screenshot, sessionRows, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

const SITE_NAV = 'nav-site-Acme Telecom / mumbai-prod';

/**
 * An engineer opens a ticket, sees its severity and SLA clock, passes the policy and launches a
 * deep link, is refused for an untrusted target, and finds both attempts in the session log.
 * The system opener is a stand-in `xdg-open` on PATH that records what it was asked to open.
 */
describe('browser mode: ticket, policy, launch, log', () => {
  const binDir = makeTempDir('switchboard-e2e-bin-');
  const opened = path.join(binDir, 'opened.txt');
  const session = useE2eSession('light', (dataDir) => {
    const fileDir = makeTempDir('switchboard-e2e-profile-');
    fs.writeFileSync(path.join(fileDir, 'acme.yaml'), SAMPLE_PROFILE_YAML);
    fs.writeFileSync(path.join(fileDir, 'acme.ovpn'), 'client\n');
    expect(runCli(['sites', 'import', path.join(fileDir, 'acme.yaml')], { dataDir }).status).toBe(0);
    fs.writeFileSync(path.join(binDir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${binDir}:${process.env.PATH}`, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });

  it('opens a ticket from the connect flow and shows the computed severity', async () => {
    const { page } = session.get();
    await page.getByTestId(SITE_NAV).click();
    await page.getByTestId('connect-agent-pc-07-anydesk').click();
    await page.getByTestId('connect-new-ticket').click();
    await page.getByTestId('ticket-form-ref').fill('EXO-48213');
    await page.getByTestId('ticket-form-component').selectOption('acd');
    await page.getByTestId('ticket-form-cannot-take-calls').fill('25');
    const preview = page.getByTestId('severity-preview');
    await expect.poll(() => preview.getAttribute('data-severity')).toBe('critical');
    await expect(preview.textContent()).resolves.toMatch(/25 of 100 agents cannot take calls/);
    await screenshot(page, '12-open-ticket');
    await page.getByTestId('save-ticket').click();
  });

  it('shows the policy decision and launches the AnyDesk deep link', async () => {
    const { page } = session.get();
    await page.getByTestId('connect-next').click();
    const decision = page.getByTestId('policy-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-allowed')).toBe('true');
    await expect(decision.textContent()).resolves.toMatch(/AnyDesk ID 123456789/);
    await screenshot(page, '13-policy-allowed');
    await page.getByTestId('connect-go').click();
    await page.getByTestId('connect-result').waitFor();
    await expect.poll(() => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : '')).toBe('anydesk:123456789\n');
    await page.getByTestId('session-summary').fill('Checked the agent desktop softphone settings.');
    await page.getByTestId('save-summary').click();
    await page.getByTestId('summary-saved').waitFor();
    await page.getByTestId('connect-done').click();
  });

  it('denies an untrusted target, and says why', async () => {
    const { page } = session.get();
    await page.getByTestId('connect-bastion-ssh').click();
    await page.getByTestId('connect-ticket-select').selectOption('EXO-48213');
    await page.getByTestId('connect-change-target').click();
    await page.getByTestId('connect-target').fill('10.99.0.7');
    await page.getByTestId('connect-next').click();
    const decision = page.getByTestId('policy-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-allowed')).toBe('false');
    await expect(decision.textContent()).resolves.toMatch(/not a trusted host of this site/);
    // The denial shown is already the logged attempt: there is nothing to "try anyway".
    await page.getByTestId('denial-logged').waitFor();
    expect(await page.getByTestId('connect-go').count()).toBe(0);
    await screenshot(page, '14-policy-denied');
    await page.getByTestId('connect-close').click();
  });

  it('lists the ticket with its severity and a running SLA clock', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('ticket-row-EXO-48213').waitFor();
    await expect(page.getByTestId('ticket-severity-EXO-48213').textContent()).resolves.toMatch(/critical/i);
    // Paused on a day the customer does not work (Acme works Monday to Saturday, Asia/Kolkata).
    expect(await page.getByTestId('sla-resolution-EXO-48213').getAttribute('data-state')).toMatch(/^(running|paused)$/);
    await expect(page.getByTestId('sla-resolution-EXO-48213').textContent()).resolves.toMatch(/left/);
    await screenshot(page, '15-tickets');
  });

  it('finds both attempts in the session log, and the log verifies', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-log').click();
    // Sessions only: the profile import is on the record too, as policy changes.
    const sessions = sessionRows(page);
    await sessions.nth(1).waitFor();
    expect(await sessions.count()).toBe(2);
    const rows = (await sessions.allTextContents()).join('\n');
    expect(rows).toMatch(/10\.99\.0\.7/);
    expect(rows).toMatch(/agent-pc-07/);
    await page.getByTestId('verify-log').click();
    await expect(page.getByTestId('verify-result').textContent()).resolves.toMatch(/Intact/);
    await screenshot(page, '16-session-log');
    const log = listSessions<{ engineer: string; outcome: string; summary: string | null }>(session.get().dataDir);
    expect(log.map((r) => r.outcome).sort()).toEqual(['denied', 'launched']);
    expect(log.every((r) => r.engineer === 'e2e-engineer')).toBe(true);
    expect(log.find((r) => r.outcome === 'launched')?.summary).toMatch(/softphone/);
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
