import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWebApp, type WebApp } from '../helpers/browser';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { screenshotAt } from '../helpers/e2e-session';
import { EXCEPTION_PROFILE_YAML, EXCEPTION_SITE } from '../helpers/fixtures';
import { usePostgres } from '../helpers/postgres';
import { createIdentity, type TeamMember } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The roster and an exception approval through the team store, in Chromium against a real PostgreSQL: the
 * engineer's window, whose data dir has no roster, shows the roster waiting in the store with the signing
 * lead's fingerprint and imports it once the engineer says it matches; the lead's window shows the
 * engineer's request pulled from the store in its inbox and signs it there; the engineer's next sync
 * (the built CLI) imports the approval and the policy allows the method.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-e2e-team-approvals-');
let lead: TeamMember;
let ravi: TeamMember;
let leadFingerprint = '';
let app: WebApp | undefined;
let browser: Browser;
let page: Page;
const cli = (member: TeamMember, args: string[], input?: string) => runCli(args, { dataDir: member.dataDir, ...(input !== undefined ? { input } : {}) });
const ok = (member: TeamMember, args: string[], input?: string) => {
  const result = cli(member, args, input);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
};
const openWindow = async (member: TeamMember) => {
  await app?.stop();
  app = await startWebApp(member.dataDir);
  await page.goto(app.url);
};
const vncCheck = () => cli(ravi, ['policy', 'check', '--site', EXCEPTION_SITE, '--target', 'pbx1', '--method', 'vnc', '--ticket', 'T-1', '--json']);

beforeAll(async () => {
  await buildNodeBundles();
  const scratch = tempDir();
  lead = { dataDir: tempDir(), name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
  ravi = { dataDir: tempDir(), name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
  const keys = { lead: createIdentity(lead), ravi: createIdentity(ravi) };
  leadFingerprint = keys.lead.fingerprint;
  // Only the lead imports the roster by file; the engineer's data dir gets it from the team store.
  const roster = path.join(scratch, 'roster.yaml');
  fs.writeFileSync(roster, `version: 1\nteam: Premium Support EMEA\nmembers:\n  - { name: Lena Lead, email: lena@example.com, role: lead, public_key: "${keys.lead.public_key}" }\n  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${keys.ravi.public_key}" }\n`);
  ok(lead, ['team', 'roster', 'sign', roster, '--out', `${roster}.signed`]);
  ok(lead, ['team', 'roster', 'import', `${roster}.signed`]);
  const profile = path.join(scratch, 'acme.yaml');
  fs.writeFileSync(profile, EXCEPTION_PROFILE_YAML);
  for (const member of [lead, ravi]) {
    ok(member, ['sites', 'import', profile]);
    ok(member, ['tickets', 'open', '--site', EXCEPTION_SITE, '--id', 'T-1']);
  }
  ok(lead, ['team', 'init', '--db', postgres().superuserUrl]);
  ok(lead, ['team', 'sync']);
  const added = JSON.parse(ok(lead, ['team', 'add-member', '--name', ravi.name, '--email', ravi.email, '--role', 'engineer', '--json'])) as { join_secret: string };
  ok(ravi, ['team', 'join', '--db', `postgresql://127.0.0.1:${postgres().port}/postgres?sslmode=verify-full&sslrootcert=${postgres().caFile}`, '--name', ravi.name], `${added.join_secret}\n`);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the roster and exception approvals through the team store, in the window', () => {
  it('the engineer\'s Team page shows the roster waiting in the store, and imports it once the lead\'s fingerprint is confirmed', async () => {
    await openWindow(ravi);
    await page.getByTestId('nav-team').click();
    const card = page.getByTestId('waiting-roster');
    await card.waitFor();
    expect(await card.innerText()).toMatch(/Premium Support EMEA[\s\S]*Lena Lead[\s\S]*Compare with the fingerprint your lead gives you/);
    expect(await card.getByTestId('trust-lead-fingerprint').getAttribute('data-fingerprint')).toBe(leadFingerprint);
    expect(await page.getByTestId('team-page').innerText()).not.toContain('No team roster yet');
    await screenshotAt(page, 1280, 'team-store-roster-waiting-1280');

    await card.getByTestId('trust-lead-confirm').click();
    await expect.poll(() => page.getByTestId('roster-team').innerText().catch(() => ''), { timeout: 10_000 }).toBe('Premium Support EMEA');
    await card.waitFor({ state: 'detached' });
    expect(JSON.parse(ok(ravi, ['team', 'roster', 'show', '--json']))).toMatchObject({ team: 'Premium Support EMEA', trustAnchor: leadFingerprint });
    expect(JSON.parse(ok(ravi, ['team', 'status', '--json']))).toMatchObject({ rosterWaiting: null });
  });

  it('the lead\'s Approvals tab lists the engineer\'s request from the store, signs it there, and the engineer\'s sync imports it', async () => {
    expect(vncCheck().status).toBe(1);
    await openWindow(lead);
    await page.getByTestId('nav-site-Acme / pune').click();
    await page.getByTestId('tab-approvals').click();
    const inbox = page.getByTestId('approval-inbox');
    await inbox.waitFor();
    await expect.poll(() => inbox.innerText()).toContain('No requests from the team store');

    ok(ravi, ['approvals', 'request', '--site', EXCEPTION_SITE, '--method', 'vnc', '--host', 'pbx1', '--ticket', 'T-1', '--reason', 'DR drill on the PBX', '--until', '2099-12-01', '--out', path.join(ravi.dataDir, 'request.txt')]);
    expect(ok(ravi, ['team', 'sync'])).toMatch(/Sent 1 exception request to the leads/);
    await inbox.getByTestId('approval-inbox-sync').click();
    const row = inbox.getByTestId('inbox-row');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-status')).toBe('waiting');
    expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/ravi@example\.com Acme\/pune VNC pbx1 T-1 ?DR drill on the PBX .*2099.* waiting/);
    await screenshotAt(page, 1280, 'team-store-approvals-inbox-1280');

    await row.getByTestId('inbox-review').click();
    const review = page.getByTestId('sign-request-review');
    await review.waitFor();
    expect(await review.innerText()).toMatch(/Engineer\s+ravi@example\.com[\s\S]*Host\s+pbx1[\s\S]*Reason\s+DR drill on the PBX[\s\S]*Signed by: Ravi Nair \(engineer\)/);
    await screenshotAt(page, 1280, 'team-store-approvals-sign-1280');
    await page.getByTestId('sign-request-confirm').click();
    const signed = page.getByTestId('signed-from-inbox');
    await signed.waitFor();
    expect(await signed.innerText()).toMatch(/goes to ravi@example\.com at the next team sync/);
    await page.getByTestId('sign-request-done').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('signed');
    expect(await row.getByTestId('inbox-review').count()).toBe(0);

    await inbox.getByTestId('approval-inbox-sync').click();
    await expect.poll(() => ok(lead, ['approvals', 'inbox', '--json']), { timeout: 20_000 }).toContain('"status": "signed"');
    const requestId = await row.getAttribute('data-request-id');
    await expect.poll(async () => {
      const admin = await postgres().connect();
      try {
        return (await admin.query('SELECT count(*)::int AS n FROM switchboard.approvals WHERE request_id = $1', [requestId])).rows[0]!.n as number;
      } finally {
        await admin.end();
      }
    }, { timeout: 20_000 }).toBe(1);

    const synced = JSON.parse(ok(ravi, ['team', 'sync', '--json'])) as { approvals: { imported: string[] } };
    expect(synced.approvals.imported).toEqual([requestId]);
    const allowed = vncCheck();
    expect(allowed.status, allowed.stdout).toBe(0);
    expect(ok(ravi, ['approvals', 'list', '--site', EXCEPTION_SITE])).toMatch(/^active\s+vnc\s+pbx1 .*approved by Lena Lead/m);
  });
});
