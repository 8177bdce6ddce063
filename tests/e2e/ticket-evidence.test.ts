import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * The ticket page's Evidence card in Chromium: the empty state; a file attached (from the CLI) while the
 * ticket waits for debug data, listed with who, where, when and its hash verified; the wait ended from the
 * card with the file named in the history; the archive exported.
 */
describe('browser mode: a ticket\'s evidence', () => {
  const scratch = makeTempDir('switchboard-e2e-evidence-');
  const exportDir = path.join(scratch, 'exports');
  const session = useE2eSession('light', (dataDir) => {
    const profile = path.join(scratch, 'evco.yaml');
    fs.writeFileSync(profile, `version: 1
customers:
  - name: Evco
    package: premium
    timezone: Asia/Kolkata
    workdays: [mon, tue, wed, thu, fri]
    sites:
      - name: hq
        seats: 100
        peak_calls: 400
        approved_methods: [ssh]
`);
    expect(runCli(['sites', 'import', profile], { dataDir }).status).toBe(0);
    const opened = runCli(['tickets', 'open', '--site', 'Evco/hq', '--id', 'EV-1', '--component', 'acd', '--cannot-take-calls', '25'], { dataDir });
    expect(opened.status, opened.stderr).toBe(0);
    fs.mkdirSync(exportDir);
    const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_EXPORT_DIR: exportDir };
    delete env.SWITCHBOARD_DATA_DIR;
    return env;
  });

  it('shows the empty state, then a file that came during a wait for debug data; the engineer ends the wait with it and exports the archive', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('ticket-row-EV-1').click();
    await page.getByTestId('evidence-empty').waitFor();
    expect(await page.getByTestId('evidence-export').isDisabled()).toBe(true);

    // An RCA is due for a fault in the software, from the resolution on (the guide: within 48 h of it).
    await page.getByTestId('action-cause').click();
    await page.getByTestId('action-choice').selectOption('software');
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('action-resolve').click();
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('action-rca-wait').click();
    await page.getByTestId('action-reason').fill('debug logs enabled on acd01; waiting for recurrence');
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('action-rca-wait').filter({ hasText: 'Debug data received' }).waitFor();

    const log = path.join(scratch, 'acd-debug.log');
    fs.writeFileSync(log, 'recurrence 03:12 with debug on\n'.repeat(2000));
    const attached = runCli(['tickets', 'attach', 'EV-1', log, '--json'], { dataDir });
    expect(attached.status, attached.stderr).toBe(0);
    const { evidence, rcaWaitCanEnd, rcaWaitEnded } = JSON.parse(attached.stdout) as { evidence: { sha256: string }; rcaWaitCanEnd: boolean; rcaWaitEnded: boolean };
    expect([rcaWaitCanEnd, rcaWaitEnded]).toEqual([true, false]);

    await page.reload();
    const file = page.getByTestId('evidence-file');
    await file.waitFor();
    expect(await file.getAttribute('data-sha256')).toBe(evidence.sha256);
    await expect(file.getByTestId('evidence-hash').textContent()).resolves.toBe('hash verified');
    await expect(file.textContent()).resolves.toContain('acd-debug.log');
    await expect(page.getByTestId('evidence-rca-wait').textContent()).resolves.toContain('acd-debug.log');
    await screenshot(page, '90-ticket-evidence-rca-wait');

    await page.getByTestId('evidence-end-rca-wait').click();
    await page.getByTestId('evidence-rca-wait').waitFor({ state: 'detached' });
    await expect(page.getByTestId('ticket-history').textContent()).resolves.toContain(`debug data received: acd-debug.log (sha256 ${evidence.sha256})`);
    await page.getByTestId('action-rca-wait').filter({ hasText: 'Waiting for debug data' }).waitFor();

    await page.getByTestId('evidence-export').click();
    const exported = page.getByTestId('evidence-exported');
    await exported.waitFor();
    const archives = fs.readdirSync(exportDir);
    expect(archives).toHaveLength(1);
    await expect(exported.textContent()).resolves.toContain(path.join(exportDir, archives[0]!));
    const listing = execFileSync('tar', ['-tf', path.join(exportDir, archives[0]!)], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listing).toEqual(['EV-1-evidence/manifest.json', 'EV-1-evidence/MANIFEST.txt', 'EV-1-evidence/SHA256SUMS', `EV-1-evidence/files/${evidence.sha256.slice(0, 12)}-acd-debug.log`]);
    await screenshot(page, '91-ticket-evidence-exported');
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
