import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWebApp, type WebApp } from '../helpers/browser';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { screenshotAt } from '../helpers/e2e-session';
import { usePostgres } from '../helpers/postgres';
import { setUpTeam, type TeamMember } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The lead's review queue in Chromium against the team store: an engineer's sessions, made offline and
 * synced, appear in the lead's window after the lead's app syncs (the header's badge, clicked) — no bundle.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-e2e-team-');
let lead: TeamMember;
let ravi: TeamMember;
let app: WebApp;
let browser: Browser;
let page: Page;
const ok = (member: TeamMember, args: string[], input?: string) => {
  const result = runCli(args, { dataDir: member.dataDir, ...(input !== undefined ? { input } : {}) });
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
};

beforeAll(async () => {
  await buildNodeBundles();
  lead = { dataDir: tempDir(), name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
  ravi = { dataDir: tempDir(), name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
  setUpTeam([lead, ravi], tempDir());
  const profile = path.join(tempDir(), 'acme.yaml');
  fs.writeFileSync(profile, 'version: 1\ncustomers:\n  - name: Acme\n    package: premium\n    timezone: UTC\n    workdays: [mon, tue, wed, thu, fri, sat, sun]\n    sites:\n      - name: Pune\n        seats: 10\n        peak_calls: 10\n        approved_methods: [anydesk]\n        hosts:\n          - { name: agent-pc, anydesk: "123456789" }\n');
  ok(ravi, ['sites', 'import', profile]);
  ok(ravi, ['tickets', 'open', '--site', 'Acme/Pune', '--id', 'INC-77', '--type', 'incident']);
  ok(lead, ['team', 'init', '--db', postgres().superuserUrl]);
  const added = JSON.parse(ok(lead, ['team', 'add-member', '--name', ravi.name, '--email', ravi.email, '--role', 'engineer', '--json'])) as { join_secret: string };
  for (let i = 0; i < 3; i++) ok(ravi, ['connect', '--site', 'Acme/Pune', '--target', 'agent-pc', '--method', 'anydesk', '--ticket', 'INC-77', '--print']);
  ok(ravi, ['team', 'join', '--db', `postgresql://127.0.0.1:${postgres().port}/postgres?sslrootcert=${postgres().caFile}`, '--name', ravi.name], `${added.join_secret}\n`);
  app = await startWebApp(lead.dataDir);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(app.url);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the lead\'s window, linked to the team store', () => {
  it('the header says the link\'s state; the review queue shows the engineer\'s sessions, live, once each', async () => {
    const badge = page.getByTestId('team-sync-badge');
    await badge.waitFor({ timeout: 20_000 });
    await badge.click();
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toContain('Synced');
    await page.getByTestId('nav-review').click();
    const rows = page.locator('[data-testid="review-row"]');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('review-table').textContent()).toContain('Ravi Nair');
    await screenshotAt(page, 1280, 'team-store-review-1280');
    // A second sync brings nothing twice.
    await badge.click();
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toContain('Synced');
    await page.reload();
    await page.getByTestId('nav-review').click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
  });
});
