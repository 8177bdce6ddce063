import { describe, expect, it } from 'vitest';
import { SessionLog } from '../../main/core/session-log/session-log';
import { openDatabase } from '../../main/core/store/database';
import { screenshot, sessionRows, useE2eSession } from '../helpers/e2e-session';

const RECORDS = 120_000;
/**
 * Each of the log worker's progress reports (one per 4096 records) is held this long, so the
 * verification takes seconds however fast the machine is: ~15 reports per worker, ~3.5 s.
 */
const WORKER_DELAY_MS = 250;

/**
 * Verify on a long log: the button shows how far it got (n of N records) and a Cancel, and the rest of
 * the window keeps answering — a filter typed meanwhile narrows the list before the verification ends.
 */
describe('browser mode: Verify on a long log shows progress, can be cancelled, and stalls nothing', () => {
  const session = useE2eSession('light', (dataDir) => {
    const db = openDatabase(dataDir);
    const log = new SessionLog(db);
    db.pragma('synchronous = OFF');
    db.transaction(() => {
      for (let i = 0; i < RECORDS; i++) {
        const last = i >= RECORDS - 2;
        log.append({ sessionId: `s-${i >> 1}`, kind: i % 2 ? 'ended' : 'attempt', at: new Date(Date.UTC(2026, 10, 1) + (i >> 1) * 1000).toISOString(), engineer: 'ravi', ticket: last ? 'EXO-NEWEST' : 'EXO-1', site: 'Acme/DC', method: 'ssh', outcome: i % 2 ? 'completed' : 'allowed' });
      }
    })();
    db.close();
    return { ...process.env, SWITCHBOARD_FAULT_LOG_WORKER_DELAY_MS: String(WORKER_DELAY_MS) };
  });

  async function openLog() {
    const { page } = session.get();
    await page.getByTestId('nav-log').click();
    await expect.poll(() => sessionRows(page).count()).toBeGreaterThan(0);
    return page;
  }

  it('shows "Verifying: n of N records" with a Cancel, and cancelling leaves no verdict', async () => {
    const page = await openLog();
    await page.getByTestId('verify-log').click();
    await page.getByTestId('verify-progress').waitFor();
    await expect.poll(() => page.getByTestId('verify-progress').getAttribute('data-total')).toBe(String(RECORDS));
    expect(await page.getByTestId('verify-progress-text').textContent()).toMatch(/^Verifying: [\d,]+ of 120,000 records$/);
    await screenshot(page, '56-log-verify-progress');
    await page.getByTestId('verify-cancel').click();
    await page.getByTestId('verify-cancelled').waitFor();
    await page.getByTestId('verify-log').waitFor();
    expect(await page.getByTestId('verify-result').count()).toBe(0);
  });

  it('answers a filter typed while Verify runs, before the verdict', async () => {
    const page = await openLog();
    await page.getByTestId('verify-log').click();
    await page.getByTestId('verify-progress').waitFor();
    await page.getByTestId('log-filter-ticket').fill('EXO-NEWEST');
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    // The list answered while the verification was still running.
    expect(await page.getByTestId('verify-progress').count()).toBe(1);
    await page.getByTestId('verify-result').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('verify-result').textContent()).toMatch(/Intact: 120,?000 records/);
  });
});
