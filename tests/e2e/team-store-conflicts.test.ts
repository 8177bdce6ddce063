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
 * An engineer's window, linked to the team store, when the store does not take an edit: the engineer edits
 * a site in the form while only leads may edit profiles; the sync (the header's badge) puts the site back
 * to the store's version and keeps the edit; the badge says so and leads to the Team page, which shows
 * what differs; once a lead lets everyone edit, "Redo on top" puts the edit back and into the store.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-e2e-conflicts-');
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
const storeSeats = async () => {
  const admin = await postgres().connect();
  try {
    return (await admin.query("SELECT version, (document->'sites'->0->>'seats')::int AS seats FROM switchboard.profiles WHERE customer = 'Acme'")).rows[0] as { version: number; seats: number };
  } finally {
    await admin.end();
  }
};

beforeAll(async () => {
  await buildNodeBundles();
  lead = { dataDir: tempDir(), name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
  ravi = { dataDir: tempDir(), name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
  setUpTeam([lead, ravi], tempDir());
  const profile = path.join(tempDir(), 'acme.yaml');
  fs.writeFileSync(profile, 'version: 1\ncustomers:\n  - name: Acme\n    package: premium\n    timezone: UTC\n    workdays: [mon, tue, wed, thu, fri, sat, sun]\n    sites:\n      - name: Pune\n        seats: 10\n        peak_calls: 10\n        approved_methods: [anydesk]\n        hosts:\n          - { name: agent-pc, anydesk: "123456789" }\n');
  ok(lead, ['team', 'init', '--db', postgres().superuserUrl]);
  ok(lead, ['sites', 'import', profile]);
  ok(lead, ['team', 'sync']);
  const added = JSON.parse(ok(lead, ['team', 'add-member', '--name', ravi.name, '--email', ravi.email, '--role', 'engineer', '--json'])) as { join_secret: string };
  ok(ravi, ['team', 'join', '--db', `postgresql://127.0.0.1:${postgres().port}/postgres?sslrootcert=${postgres().caFile}`, '--name', ravi.name], `${added.join_secret}\n`);
  app = await startWebApp(ravi.dataDir);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(app.url);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('an engineer\'s window when the team store does not take a profile edit', () => {
  it('the edit is undone here by the sync, kept, and shown with what differs', async () => {
    await page.getByTestId('nav-site-Acme / Pune').click();
    await page.getByTestId('edit-site').click();
    await page.getByTestId('site-form-seats').fill('25');
    await page.getByTestId('save-site').click();
    await page.getByTestId('save-site').waitFor({ state: 'detached' });
    const badge = page.getByTestId('team-sync-badge');
    await badge.click();
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toContain('1 conflict');
    await badge.click();
    const card = page.getByTestId('profile-conflicts');
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('only leads edit profiles');
    await expect.poll(() => page.getByTestId('conflict-differences').textContent()).toMatch(/sites\[Pune\]\.seats\s*25\s*10/);
    await screenshotAt(page, 1280, 'team-store-conflict-1280');
    expect(await storeSeats()).toEqual({ version: 1, seats: 10 });
  });

  it('once a lead lets everyone edit, "Redo on top" puts the edit back here and into the team store', async () => {
    ok(lead, ['team', 'set', 'profile-editors', 'everyone']);
    await page.locator('[data-testid^="redo-"]').first().click();
    await expect.poll(() => page.getByTestId('conflict-count').textContent(), { timeout: 20_000 }).toBe('No conflicts');
    await expect.poll(storeSeats, { timeout: 20_000 }).toEqual({ version: 2, seats: 25 });
    await page.getByTestId('nav-site-Acme / Pune').click();
    await page.getByTestId('edit-site').click();
    await expect.poll(() => page.getByTestId('site-form-seats').inputValue()).toBe('25');
    await page.keyboard.press('Escape');
  });
});
