import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingsDir } from '../../main/core/paths';
import { SessionLog } from '../../main/core/session-log/session-log';
import { openDatabase } from '../../main/core/store/database';
import { artifactPath } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

const ZONE = 'Asia/Kolkata';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Today in the customer's zone; its working days are every other day, so its SLA clocks are paused now. */
const todayThere = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'short' }).format(new Date()).slice(0, 3).toLowerCase();
const WORKDAYS = WEEKDAYS.filter((d) => d !== todayThere);

const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Six seconds of output, so Space has something to pause. */
function writeRecording(dataDir: string): { file: string; sha256: string } {
  const folder = recordingsDir(dataDir);
  fs.mkdirSync(folder, { recursive: true });
  const lines = [JSON.stringify({ version: 2, width: 80, height: 24, timestamp: Math.floor(Date.now() / 1000) })];
  for (let i = 0; i <= 30; i++) lines.push(JSON.stringify([i * 0.2, 'o', `line ${i}\r\n`]));
  const text = `${lines.join('\n')}\n`;
  const file = path.join(folder, 'seeded.cast');
  fs.writeFileSync(file, text);
  return { file, sha256: crypto.createHash('sha256').update(text).digest('hex') };
}

/**
 * The log and ticket screens with known data: two sessions by two engineers (one today with a
 * recording, one three weeks ago, denied), and a ticket for a customer whose working days skip today.
 */
describe('browser mode: the session log and the ticket page', () => {
  const session = useE2eSession('light', (dataDir) => {
    const profileDir = makeTempDir('switchboard-e2e-log-profile-');
    const file = path.join(profileDir, 'zoneco.yaml');
    fs.writeFileSync(file, `version: 1
customers:
  - name: Zoneco
    package: premium
    timezone: ${ZONE}
    workdays: [${WORKDAYS.join(', ')}]
    sites:
      - name: hq
        seats: 100
        peak_calls: 400
        approved_methods: [ssh, vnc]
        hosts:
          - { name: app01, address: 10.20.0.11 }
`);
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    const opened = runCli(['tickets', 'open', '--site', 'Zoneco/hq', '--id', 'ZN-1', '--component', 'acd', '--cannot-take-calls', '25'], { dataDir });
    expect(opened.status, opened.stderr).toBe(0);

    const recording = writeRecording(dataDir);
    const db = openDatabase(dataDir);
    const log = new SessionLog(db);
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    log.append({ sessionId: '11111111-1111-4111-8111-111111111111', kind: 'attempt', at: at(60_000), engineer: 'asha.menon.longname', ticket: 'ZN-1', site: 'Zoneco/hq', host: 'app01', method: 'ssh', target: 'app01', address: '10.20.0.11', decision: 'allow', reasons: ['SSH is approved for Zoneco/hq'] });
    log.append({ sessionId: '11111111-1111-4111-8111-111111111111', kind: 'started', at: at(59_000), engineer: 'asha.menon.longname', outcome: 'connected', detail: { hops: ['app01@10.20.0.11:22'], inputRecorded: false, ownerPid: 4242 } });
    log.append({ sessionId: '11111111-1111-4111-8111-111111111111', kind: 'ended', at: at(30_000), engineer: 'asha.menon.longname', outcome: 'completed', bytesIn: 4096, bytesOut: 300, detail: { recording: recording.file, recordingSha256: recording.sha256, exitCode: 0, endedBecause: 'the remote shell exited', failure: 'connection-lost', someNewKey: 'kept' } });
    log.append({ sessionId: '11111111-1111-4111-8111-111111111111', kind: 'summary', at: at(20_000), engineer: 'asha.menon.longname', summary: 'Restarted the dialer service after the ACD queue stalled; agents logged back in within two minutes.' });
    log.append({ sessionId: '22222222-2222-4222-8222-222222222222', kind: 'attempt', at: at(21 * 86_400_000), engineer: 'ravi', ticket: 'ZN-1', site: 'Zoneco/hq', host: null, method: 'vnc', target: '10.99.0.7', decision: 'deny', reasons: ['10.99.0.7 is not one of the site\'s trusted hosts'], outcome: 'denied' });
    db.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  // The import that set the site up is on the record too (policy changes, newer than these backdated sessions).
  const newestSession = () => session.get().page.locator('[data-testid^="log-row-"][data-kind="session"]').first();
  const rows = async () => {
    const { page } = session.get();
    await page.waitForFunction(() => !document.querySelector('[data-testid="log-table"]')?.closest('[style*="opacity: 0.7"]'));
    return page.locator('[data-testid^="log-row-"][data-kind="session"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-engineer')));
  };

  it('shows an engineer column, and the engineer filter narrows the list in the core', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-log').click();
    await newestSession().waitFor();
    await expect(page.locator('[data-testid="log-table"] thead').textContent()).resolves.toContain('Engineer');
    await expect(newestSession().getByTestId('log-cell-engineer').textContent()).resolves.toBe('asha.menon.longname');
    expect(await rows()).toEqual(['asha.menon.longname', 'ravi']);

    await page.getByTestId('log-filter-engineer').click();
    await page.getByRole('option', { name: 'ravi' }).click();
    await expect.poll(rows).toEqual(['ravi']);
    await screenshot(page, '50-log-engineer-filter');
    await page.getByTestId('log-filter-clear').click();
    await expect.poll(rows).toEqual(['asha.menon.longname', 'ravi']);
  });

  it('a date preset fills From and To with local days and narrows the list', async () => {
    const { page } = session.get();
    await expect(page.getByTestId('log-filter-zone').textContent()).resolves.toMatch(/Days in your local time \(.+\)/);
    await page.getByTestId('log-preset-last-7-days').click();
    const today = await page.evaluate(() => { const d = new Date(); return [d.getFullYear(), d.getMonth(), d.getDate()]; });
    const [y, m, d] = today as [number, number, number];
    await expect.poll(() => page.getByTestId('log-filter-from').inputValue()).toBe(localDay(new Date(y, m, d - 6)));
    expect(await page.getByTestId('log-filter-to').inputValue()).toBe(localDay(new Date(y, m, d)));
    expect(await page.getByTestId('log-preset-last-7-days').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(rows).toEqual(['asha.menon.longname']);
    await page.getByTestId('log-preset-today').click();
    await expect.poll(() => page.getByTestId('log-filter-from').inputValue()).toBe(localDay(new Date(y, m, d)));
    await expect.poll(rows).toEqual(['asha.menon.longname']);
    await page.getByTestId('log-filter-clear').click();
    await expect.poll(rows).toEqual(['asha.menon.longname', 'ravi']);
  });

  it('exports one row per session from the Export menu', async () => {
    const { page } = session.get();
    await page.getByTestId('export-log').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log-sessions-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^switchboard-session-log-sessions-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('session_id,engineer,ticket,site,host,method,target,address,decision,reasons,started_at,ended_at,outcome,bytes_in,bytes_out,summary,summary_by');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^22222222-.*,ravi,ZN-1,Zoneco\/hq,,vnc,10\.99\.0\.7,,deny,/);
    expect(lines[2]).toMatch(/^11111111-.*,asha\.menon\.longname,ZN-1,Zoneco\/hq,app01,ssh,app01,10\.20\.0\.11,allow,.*,completed,4096,300,Restarted the dialer/);
  });

  it('fits a 1024 × 768 window: every column header is in view', async () => {
    const { page } = session.get();
    await page.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(() => page.getByTestId('log-table').getAttribute('data-layout')).toBe('compact');
    const headers = await page.locator('[data-testid="log-table"] thead th').evaluateAll((ths) => ths.map((th) => {
      const box = th.getBoundingClientRect();
      return { text: th.textContent, left: box.left, right: box.right };
    }));
    expect(headers.map((h) => h.text)).toEqual(['Time · duration', 'Engineer', 'Ticket', 'Site · host', 'Method · address', 'Result', 'Summary']);
    for (const h of headers) expect(h.right, `${h.text} ends at ${h.right}px`).toBeLessThanOrEqual(1024);
    // Long values are cut with … and shown whole on hover, not pushed out of view.
    await expect(newestSession().locator('[title="asha.menon.longname"]').count()).resolves.toBe(1);
    await page.screenshot({ path: artifactPath('51-log-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(() => page.getByTestId('log-table').getAttribute('data-layout')).toBe('wide');
    await screenshot(page, '52-log-wide');
  });

  it('the replay takes the keyboard when it opens: Space pauses and plays without a click, the drawer does not scroll', async () => {
    const { page } = session.get();
    await newestSession().click();
    // The drawer slides in; a click while it still moves can land on its overlay, which closes it (a
    // loaded CI machine once timed out here waiting for the player). Wait for the slide to end, as the
    // policy-change drawer tests do.
    await page.getByTestId('replay').waitFor();
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await page.getByTestId('replay').click();
    // The player, or the error that took its place (said in the failure, rather than a bare timeout).
    await page.locator('[data-testid="replay-player"], [data-testid="log-detail"] [data-testid="error-alert"]').first().waitFor();
    expect(await page.getByTestId('log-detail').getByTestId('error-alert').allTextContents()).toEqual([]);
    await page.getByTestId('replay-player').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('replay-player');
    await expect.poll(() => page.getByTestId('replay-toggle').textContent()).toMatch(/Pause/);
    const body = page.locator('[data-testid="log-detail"] .mantine-Drawer-body');
    const scrolled = () => body.evaluate((el) => el.scrollTop);
    const before = await scrolled();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('replay-toggle').textContent()).toMatch(/Play/);
    const paused = Number(await page.getByTestId('replay-clock').getAttribute('data-time'));
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('replay-toggle').textContent()).toMatch(/Pause/);
    await expect.poll(async () => Number(await page.getByTestId('replay-clock').getAttribute('data-time'))).toBeGreaterThan(paused);
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('replay-done').count()).toBe(1);
    expect(await scrolled()).toBe(before);
    await screenshot(page, '53-replay-focused');
  });

  it('shows event details as a definition list in words, not JSON', async () => {
    const { page } = session.get();
    const details = page.getByTestId('log-detail-fields');
    await details.scrollIntoViewIfNeeded();
    const text = (await details.textContent()) ?? '';
    expect(text).toContain('Recording');
    expect(text).toContain('seeded.cast');
    expect(text).toContain('Recording SHA-256');
    expect(text).toContain('Ended because');
    expect(text).toContain('The connection was lost (connection-lost)');
    expect(text).toContain('Some new key');
    expect(text).toContain('kept');
    expect(text).not.toMatch(/[{}]/);
    await expect(details.locator('[data-testid="detail-list-hops"] li').count()).resolves.toBe(1);
    await screenshot(page, '54-log-detail-list');
    await page.keyboard.press('Escape');
  });

  it('the ticket page shows times in the customer\'s zone, the engineer\'s on hover, and a paused clock with why', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('ticket-row-ZN-1').click();
    await page.getByTestId('ticket-page').waitFor();
    await expect(page.getByTestId('ticket-zone-note').textContent()).resolves.toContain(ZONE);
    const reported = page.getByTestId('ticket-reported-at');
    expect(await reported.getAttribute('title')).toMatch(/^Your time: .+/);
    await expect(page.getByTestId('ticket-page').textContent()).resolves.toContain(`(${ZONE})`);
    expect(await page.getByTestId('clock-resolution').getAttribute('data-state')).toBe('paused');
    const pause = page.getByTestId('clock-resolution-paused');
    expect(await pause.getAttribute('data-kind')).toBe('non_working_day');
    await expect(pause.textContent()).resolves.toMatch(/Paused.*Not a customer's working day.*counts again/);
    await expect(page.getByTestId('clock-resolution').textContent()).resolves.toMatch(/is not a working day for this customer \(Asia\/Kolkata\)/);
    await screenshot(page, '55-ticket-paused-zone');
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
