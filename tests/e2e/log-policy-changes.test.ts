import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactPath } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';
import { allowListProfile } from '../helpers/fixtures';

const SITE_NAV = 'nav-site-Acme / Pune';

/**
 * A change to the policy in the window is on the record beside sessions: widen a host's allow-list in
 * its form, find the change in the log with its own badge, open it (before → after), filter by kind.
 */
describe('browser mode: policy changes in the session log', () => {
  const session = useE2eSession('light', (dataDir) => {
    const dir = makeTempDir('switchboard-e2e-policy-log-');
    const file = path.join(dir, 'acme.yaml');
    fs.writeFileSync(file, allowListProfile(['10.0.0.0/24', '10.0.2.0/24']));
    expect(runCli(['sites', 'import', file, '--ticket', 'EXO-1'], { dataDir }).status).toBe(0);
    const denied = runCli(['connect', '--site', 'Acme/Pune', '--target', '10.9.9.9', '--method', 'ssh', '--ticket', 'EXO-2', '--print'], { dataDir });
    expect(denied.status, denied.stderr).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const kinds = async () => {
    const { page } = session.get();
    await page.waitForFunction(() => !document.querySelector('[data-testid="log-table"]')?.closest('[style*="opacity: 0.7"]'));
    return page.locator('[data-testid^="log-row-"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
  };

  /** The drawer slides in: wait for its transition to end before a screenshot. */
  const drawerOpen = async () => {
    const { page } = session.get();
    await page.getByTestId('log-record-detail').waitFor();
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  };

  it('widens a host\'s allow-list in its form', async () => {
    const { page } = session.get();
    await page.getByTestId(SITE_NAV).click();
    await page.getByTestId('edit-host-pbx1').click();
    await page.getByTestId('host-form-allow').fill('10.0.0.0/24, 10.0.1.5');
    await page.getByTestId('save-host').click();
    await expect.poll(() => page.getByTestId('host-row-pbx1').textContent()).toMatch(/10\.0\.1\.5/);
  });

  it('lists the change beside the sessions, with its own badge and what changed in one line', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-log').click();
    await page.getByTestId('log-row-0').waitFor();
    const row = page.getByTestId('log-row-0');
    expect(await row.getAttribute('data-kind')).toBe('policy-change');
    await expect(row.getByTestId('log-record-kind').textContent()).resolves.toBe('Policy change');
    await expect(row.getByTestId('log-cell-record').textContent()).resolves.toContain('Acme/Pune · host pbx1 · allow-list 10.0.0.0/24, 10.0.2.0/24 → 10.0.0.0/24, 10.0.1.5');
    expect(await kinds()).toContain('session');
    await screenshot(page, '60-log-policy-change-row');
  });

  it('opens the change: who, when, via, and each field before → after with the items added and removed', async () => {
    const { page } = session.get();
    await page.getByTestId('log-row-0').click();
    const detail = page.getByTestId('log-record-detail');
    await detail.waitFor();
    await expect(page.getByTestId('log-record-via').textContent()).resolves.toBe('a form in the window');
    await expect(page.getByTestId('log-record-ticket').textContent()).resolves.toBe('none given');
    const allow = page.getByTestId('policy-diff-allow');
    await expect(allow.locator('td').first().textContent()).resolves.toBe('allow-list');
    await expect(allow.getByTestId('diff-added').allTextContents()).resolves.toEqual(['10.0.1.5']);
    await expect(allow.getByTestId('diff-removed').allTextContents()).resolves.toEqual(['10.0.2.0/24']);
    await drawerOpen();
    await screenshot(page, '61-log-policy-change-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });

  it('filters by kind: policy changes only, sessions only, then all again', async () => {
    const { page } = session.get();
    const kind = page.getByTestId('log-filter-kind');
    await kind.getByText('Policy changes', { exact: true }).click();
    await expect.poll(async () => [...new Set(await kinds())]).toEqual(['policy-change']);
    // The import added the customer, the site and the host (ticket EXO-1); the form changed the host.
    expect(await kinds()).toHaveLength(4);
    expect(await page.getByTestId('log-filter-outcome').isDisabled()).toBe(true);
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await screenshot(page, '62-log-kind-policy-changes');
    await kind.getByText('Sessions', { exact: true }).click();
    await expect.poll(kinds).toEqual(['session']);
    await kind.getByText('Team', { exact: true }).click();
    await page.getByTestId('log-empty').waitFor();
    await expect(page.getByTestId('log-empty').textContent()).resolves.toContain('No identities or team rosters on the record yet.');
    await kind.getByText('All', { exact: true }).click();
    await expect.poll(async () => (await kinds()).length).toBe(5);
  });

  it('fits a 1024 × 768 window: the change\'s row and its detail stay readable', async () => {
    const { page } = session.get();
    await page.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(() => page.getByTestId('log-table').getAttribute('data-layout')).toBe('compact');
    const badge = await page.getByTestId('log-row-0').getByTestId('log-record-kind').boundingBox();
    expect(badge!.x + badge!.width).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: artifactPath('63-log-policy-change-1024.png') });
    await page.getByTestId('log-row-0').click();
    await drawerOpen();
    await page.screenshot({ path: artifactPath('64-log-policy-change-detail-1024.png') });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('log-row-0').click();
    await drawerOpen();
    await screenshot(page, '65-log-policy-change-detail-1280');
    await page.keyboard.press('Escape');
    await page.getByTestId('log-record-detail').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await screenshot(page, '66-log-all-kinds-1280');
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
