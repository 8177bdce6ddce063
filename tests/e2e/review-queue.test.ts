import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingFile } from '../../main/core/paths';
import { runCli, type CliResult } from '../helpers/cli';
import { openTestCore } from '../helpers/core';
import { screenshotAt, useE2eSession } from '../helpers/e2e-session';
import { castText, rosterYaml } from '../helpers/review-seed';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const ok = (result: CliResult) => {
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
};

interface Prepared { leadDir: string; bundle: string; sessions: { recorded: string; denied: string; plain: string } }

/**
 * A lead and an engineer set up with the CLI (identities, a roster the lead signed and both trust);
 * the engineer's log holds three sessions — one with an SSH recording, one denied, one without a
 * recording — and `log bundle` packs them for the lead. The window then imports that bundle.
 */
async function prepare(scratch: string): Promise<Prepared> {
  const leadDir = path.join(scratch, 'lead');
  const engineerDir = path.join(scratch, 'ravi');
  ok(runCli(['identity', 'init', '--name', 'Lena Park', '--email', 'lena@example.com', '--role', 'lead'], { dataDir: leadDir }));
  ok(runCli(['identity', 'init', '--name', 'Ravi Nair', '--email', 'ravi@example.com'], { dataDir: engineerDir }));
  const show = (dir: string) => JSON.parse(ok(runCli(['identity', 'show', '--json'], { dataDir: dir }))) as { public_key: string; fingerprint: string };
  const lead = show(leadDir);
  const roster = path.join(scratch, 'roster.yaml');
  fs.writeFileSync(roster, rosterYaml('Premium Support EMEA', [
    { name: 'Lena Park', email: 'lena@example.com', role: 'lead', publicKey: lead.public_key },
    { name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer', publicKey: show(engineerDir).public_key },
  ]));
  ok(runCli(['team', 'roster', 'sign', roster, '--out', `${roster}.signed`], { dataDir: leadDir }));
  ok(runCli(['team', 'roster', 'import', `${roster}.signed`], { dataDir: leadDir }));
  ok(runCli(['team', 'roster', 'import', `${roster}.signed`, '--trust-lead', lead.fingerprint], { dataDir: engineerDir }));

  const sessions = { recorded: randomUUID(), denied: randomUUID(), plain: randomUUID() };
  const engineer = openTestCore({ dataDir: engineerDir, mode: 'cli' });
  try {
    const log = engineer.sessionLog;
    // Within the last hour, but never before this week's Monday (UTC, the lead's zone here): the Weekly
    // test expects all three in the current week, also when it runs in the first hour of a Monday.
    const today = new Date();
    const monday = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ((today.getUTCDay() + 6) % 7));
    const anchor = Math.max(Date.now(), monday + 60 * 60_000);
    const at = (minutesAgo: number) => new Date(anchor - minutesAgo * 60_000).toISOString();
    const base = { engineer: 'ravi@example.com', site: 'Acme/Pune', host: 'pbx1', method: 'ssh' };
    const cast = castText('ls /var/log/ameyo  →  ameyo.log  dialer.log');
    const file = recordingFile(engineerDir, sessions.recorded);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, cast);
    log.append({ ...base, sessionId: sessions.recorded, kind: 'attempt', at: at(50), ticket: 'INC-1042', decision: 'allow', outcome: 'allowed', reasons: ['ssh is approved for Acme/Pune', 'pbx1 is trusted'] });
    log.append({ ...base, sessionId: sessions.recorded, kind: 'started', at: at(49), outcome: 'connected', address: '10.30.0.5' });
    log.append({ ...base, sessionId: sessions.recorded, kind: 'ended', at: at(40), outcome: 'completed', detail: { recording: file, recordingSha256: createHash('sha256').update(cast).digest('hex') } });
    log.append({ ...base, sessionId: sessions.denied, kind: 'attempt', at: at(30), ticket: 'INC-1043', method: 'vnc', decision: 'deny', outcome: 'denied', reasons: ['vnc is not approved for Acme/Pune'] });
    log.append({ ...base, sessionId: sessions.plain, kind: 'attempt', at: at(20), ticket: 'INC-1044', method: 'https', decision: 'allow', outcome: 'allowed', reasons: ['https is approved'] });
    log.append({ ...base, sessionId: sessions.plain, kind: 'ended', at: at(10), method: 'https', outcome: 'closed' });
  } finally {
    await engineer.close();
  }
  const bundle = path.join(scratch, 'ravi.bundle.json');
  ok(runCli(['log', 'bundle', '--out', bundle], { dataDir: engineerDir }));
  return { leadDir, bundle, sessions };
}

const rowState = (page: Page, sessionId: string) => page.locator(`[data-testid="review-row"][data-session="${sessionId}"] [data-testid="review-state"]`);

describe('browser mode: the lead reviews imported sessions with the keyboard', () => {
  const scratch = makeTempDir('switchboard-e2e-review-');
  let prepared: Prepared;
  beforeAll(async () => {
    prepared = await prepare(scratch);
  }, 120_000);
  // The window runs on a copy of the lead's data dir (its keychain entries are named by the store id inside it).
  const session = useE2eSession('light', (dataDir) => { fs.cpSync(prepared.leadDir, dataDir, { recursive: true }); });
  afterAll(() => removeTempDir(scratch));

  const records = (kind: 'review' | 'viewing') => {
    const db = new Database(path.join(session.get().dataDir, 'switchboard.db'), { readonly: true });
    try {
      return (db.prepare('SELECT engineer, detail FROM session_events WHERE kind = ? ORDER BY seq').all(kind) as { engineer: string; detail: string }[])
        .map((r): Record<string, unknown> => ({ ...(JSON.parse(r.detail) as Record<string, unknown>), by: r.engineer }));
    } finally {
      db.close();
    }
  };

  it('shows how to import bundles when there is nothing to review, then imports one from a file', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-review').click();
    await page.getByText('Nothing to review yet').waitFor();
    await screenshotAt(page, 1280, 'review-empty-1280');
    await page.getByTestId('review-import-file').first().setInputFiles(prepared.bundle);
    await expect.poll(() => page.getByTestId('review-row').count(), { timeout: 15_000 }).toBe(3);
    const order = await page.getByTestId('review-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')));
    expect(order).toEqual([prepared.sessions.plain, prepared.sessions.denied, prepared.sessions.recorded]);
    await page.locator(`[data-testid="review-detail"][data-session="${prepared.sessions.plain}"]`).waitFor();
    // The cosigned checkpoint is saved when the lead asks for it: the engineer's checkpoint with the lead's cosignature.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('review-save-witness').click()]);
    expect(download.suggestedFilename()).toBe('ravi@example.com.witness');
    const witness = fs.readFileSync((await download.path())!, 'utf8');
    expect(witness).toMatch(/^switchboard\/log\/[0-9a-f]{32}\n\d+\n\S+\ntime \S+\n\n\u2014 ravi@example.com \S+\n\u2014 lena@example.com \S+\n$/);
  });

  it('j/k move, r marks reviewed, f takes a comment and flags, s signs off — each a review record', async () => {
    const { page } = session.get();
    await page.getByRole('heading', { name: 'Review' }).click(); // focus on the page, not a field
    await page.keyboard.press('j');
    await page.locator(`[data-testid="review-detail"][data-session="${prepared.sessions.denied}"]`).waitFor();
    await page.keyboard.press('r');
    await expect.poll(() => rowState(page, prepared.sessions.denied).getAttribute('data-state')).toBe('reviewed');

    await page.keyboard.press('k');
    await page.locator(`[data-testid="review-detail"][data-session="${prepared.sessions.plain}"]`).waitFor();
    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('review-comment');
    // Typed into the comment, "s" and "r" are letters, not decisions.
    await page.keyboard.type('HTTPS console opened for a dialer ticket; ask Ravi why');
    expect(await rowState(page, prepared.sessions.plain).getAttribute('data-state')).toBe('unreviewed');
    await page.keyboard.press('Enter');
    await expect.poll(() => rowState(page, prepared.sessions.plain).getAttribute('data-state')).toBe('flagged');
    await expect.poll(() => page.getByTestId('review-decided').innerText()).toContain('HTTPS console opened for a dialer ticket');

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.locator(`[data-testid="review-detail"][data-session="${prepared.sessions.recorded}"]`).waitFor();
    await page.keyboard.press('s');
    await expect.poll(() => rowState(page, prepared.sessions.recorded).getAttribute('data-state')).toBe('signed-off');

    const reviews = records('review');
    expect(reviews.map((r) => [r.session, r.state])).toEqual([
      [prepared.sessions.denied, 'reviewed'],
      [prepared.sessions.plain, 'flagged'],
      [prepared.sessions.recorded, 'signed-off'],
    ]);
    expect(reviews[1]).toMatchObject({ by: 'lena@example.com', engineer: 'ravi@example.com', comment: 'HTTPS console opened for a dialer ticket; ask Ravi why' });
    // Moving through the queue watched nothing.
    expect(records('viewing')).toEqual([]);
  });

  it('Enter plays the recording beside its events, and the viewing is recorded once', async () => {
    const { page } = session.get();
    await page.keyboard.press('Enter');
    await page.getByTestId('replay-player').waitFor();
    await page.getByTestId('review-viewing').waitFor();
    await expect.poll(() => page.getByTestId('replay-terminal').innerText(), { timeout: 10_000 }).toContain('ameyo.log');
    const viewings = records('viewing');
    expect(viewings).toHaveLength(1);
    expect(viewings[0]).toMatchObject({ by: 'lena@example.com', engineer: 'ravi@example.com', session: prepared.sessions.recorded, result: 'opened' });
    expect(await page.getByTestId('review-events').innerText()).toMatch(/attempt[\s\S]*started[\s\S]*ended/);
    await page.mouse.move(0, 0);
    await screenshotAt(page, 1280, 'review-queue-1280');
    await screenshotAt(page, 1024, 'review-queue-1024');
    // Another Enter on the open player does not open (and record) it again.
    await page.keyboard.press('Enter');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    expect(records('viewing')).toHaveLength(1);
  });

  it('the Weekly tab charts the week: sessions per engineer and site, denials, flags', async () => {
    const { page } = session.get();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId('review-tab-weekly').click();
    await expect.poll(() => page.getByTestId('weekly-sessions').innerText(), { timeout: 10_000 }).toBe('3');
    expect(await page.getByTestId('weekly-denials').innerText()).toBe('1');
    expect(await page.getByTestId('weekly-flagged').innerText()).toBe('1');
    expect(await page.getByTestId('weekly-per-engineer-bar').getAttribute('data-label')).toBe('Ravi Nair');
    expect(await page.getByTestId('weekly-per-site-bar').getAttribute('data-value')).toBe('3');
    expect(await page.getByTestId('weekly-flagged-list').innerText()).toContain('ask Ravi why');
    // How long since each engineer's last accepted bundle (here: today's).
    expect(await page.getByTestId('weekly-bundle-age-bar').getAttribute('data-value')).toBe('0');
    await screenshotAt(page, 1280, 'review-weekly-1280');
    await screenshotAt(page, 1024, 'review-weekly-1024');
  });

  it('the window never threw', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
