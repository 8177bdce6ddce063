import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshotAt, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

interface IdentityJson { name: string; email: string; role: string; public_key: string; fingerprint: string }

/** `identity show --json` from the CLI on a data dir: what the window must agree with. */
function cliIdentity(dataDir: string): IdentityJson {
  const shown = runCli(['identity', 'show', '--json'], { dataDir });
  expect(shown.status, shown.stderr).toBe(0);
  return JSON.parse(shown.stdout) as IdentityJson;
}

function cliRoster(dataDir: string): unknown {
  const shown = runCli(['team', 'roster', 'show', '--json'], { dataDir });
  expect(shown.status, shown.stderr).toBe(0);
  return JSON.parse(shown.stdout);
}

function rosterYaml(team: string, members: { name: string; email: string; role: string; key: string }[]): string {
  return `version: 1\nteam: ${team}\nmembers:\n${members.map((m) => `  - { name: ${m.name}, email: ${m.email}, role: ${m.role}, public_key: "${m.key}" }`).join('\n')}\n`;
}

/** Signs a roster YAML with the CLI of `leadDir` and returns the signed file's path. */
function signWithCli(leadDir: string, scratch: string, name: string, yaml: string): string {
  const input = path.join(scratch, `${name}.yaml`);
  const out = path.join(scratch, `${name}.signed`);
  fs.writeFileSync(input, yaml);
  const signed = runCli(['team', 'roster', 'sign', input, '--out', out], { dataDir: leadDir });
  expect(signed.status, signed.stderr).toBe(0);
  return out;
}

/** The fingerprint as a person reads it on screen, groups joined again. */
async function shownFingerprint(page: Page, testId: string): Promise<{ value: string | null; read: string }> {
  const element = page.getByTestId(testId).first();
  const text = (await element.innerText()).replace(/\s+/g, '');
  return { value: await element.getAttribute('data-fingerprint'), read: text.replace(/^SHA256/, 'SHA256:') };
}

async function openImport(page: Page): Promise<void> {
  await page.getByTestId('import-roster').click();
  await page.getByTestId('roster-import-text').waitFor();
}

async function importError(page: Page): Promise<string> {
  const alert = page.getByTestId('import-roster-modal').getByTestId('error-alert');
  await alert.waitFor();
  return alert.innerText();
}

/**
 * The Team page and the log's witness line (issue 9 §1–2, window): an identity made in the window is
 * the one the CLI shows; the first roster is trusted only after the person confirms the lead's
 * fingerprint (cancel imports nothing); a roster not signed by a trusted lead, or altered, is refused
 * in words; the log page says how much no lead has witnessed, signs a checkpoint, and Verify names
 * the checkpoints held and a cut-off tail.
 */
describe('browser mode: Team page, roster trust and the witness line', () => {
  const scratch = makeTempDir('switchboard-e2e-team-');
  const leadDir = path.join(scratch, 'lead');
  const otherLeadDir = path.join(scratch, 'mallory');
  const session = useE2eSession('light');
  afterAll(() => removeTempDir(scratch));

  let lead: IdentityJson;
  let engineer: IdentityJson;

  it('without an identity the log page nudges to create one and cannot sign a checkpoint', async () => {
    for (const [dir, name, email] of [[leadDir, 'Lena Park', 'lena@example.com'], [otherLeadDir, 'Mallory Quinn', 'mallory@example.com']] as const) {
      const made = runCli(['identity', 'init', '--name', name, '--email', email, '--role', 'lead'], { dataDir: dir });
      expect(made.status, made.stderr).toBe(0);
    }
    lead = cliIdentity(leadDir);

    const { page } = session.get();
    await page.getByTestId('nav-log').click();
    await page.getByTestId('witness-line').waitFor();
    expect(await page.getByTestId('witness-headline').innerText()).toBe('No lead has witnessed this log yet — 0 sessions');
    expect(await page.getByTestId('witness-checkpoint').innerText()).toMatch(/^No signed checkpoint yet/);
    await page.getByTestId('identity-nudge').waitFor();
    expect(await page.getByTestId('sign-checkpoint').isDisabled()).toBe(true);
    await screenshotAt(page, 1280, 'team-01-log-without-identity-1280');
  });

  it('creates an identity from the palette and the Enter key; its fingerprint is the one the CLI shows', async () => {
    const { page, dataDir } = session.get();
    await page.keyboard.press('Control+k');
    await page.getByRole('textbox', { name: 'Command palette search' }).fill('team');
    await page.keyboard.press('Enter');
    await page.getByTestId('create-identity').waitFor();
    await screenshotAt(page, 1280, 'team-02-create-identity-1280');

    await page.getByTestId('identity-name').fill('Ravi Nair');
    await page.getByTestId('identity-email').fill('not-an-address');
    await page.getByTestId('identity-email').press('Enter');
    await expect.poll(() => page.getByTestId('create-identity').innerText()).toMatch(/not an e-mail address/i);
    await page.getByTestId('identity-email').fill('ravi@example.com');
    await page.getByTestId('identity-email').press('Enter');
    await page.getByTestId('identity-card').waitFor();

    engineer = cliIdentity(dataDir);
    expect(engineer).toMatchObject({ name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' });
    expect(await shownFingerprint(page, 'identity-fingerprint')).toEqual({ value: engineer.fingerprint, read: engineer.fingerprint });
    expect(await page.getByTestId('identity-roster-line').innerText()).toContain(`public_key: "${engineer.public_key}"`);
    expect(await page.getByTestId('identity-role-badge').innerText()).toMatch(/engineer/i);
    await screenshotAt(page, 1280, 'team-03-identity-1280');
    await screenshotAt(page, 1024, 'team-03-identity-1024');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses an altered roster in words, and asks to confirm the lead before the first roster is trusted; cancel imports nothing', async () => {
    const { page, dataDir } = session.get();
    const yaml = rosterYaml('Premium Support EMEA', [
      { name: 'Lena Park', email: 'lena@example.com', role: 'lead', key: lead.public_key },
      { name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer', key: engineer.public_key },
    ]);
    const signedFile = signWithCli(leadDir, scratch, 'roster', yaml);
    const signed = fs.readFileSync(signedFile, 'utf8');

    await openImport(page);
    await page.getByTestId('roster-import-text').fill(signed.replace('role: engineer', 'role: lead'));
    await page.getByTestId('roster-import-text').press('Control+Enter');
    expect(await importError(page)).toMatch(/changed after signing/);

    await page.getByTestId('roster-import-text').fill(signed);
    await page.getByTestId('roster-import-submit').click();
    await page.getByTestId('trust-lead-step').waitFor();
    expect(await page.getByTestId('trust-lead-name').innerText()).toContain('Lena Park');
    expect(await shownFingerprint(page, 'trust-lead-fingerprint')).toEqual({ value: lead.fingerprint, read: lead.fingerprint });
    expect(await page.getByTestId('trust-lead-step').innerText()).toContain('Compare with the fingerprint your lead gives you');
    await screenshotAt(page, 1280, 'team-04-trust-lead-1280');
    await screenshotAt(page, 1024, 'team-04-trust-lead-1024');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByTestId('trust-lead-cancel').click();
    await page.getByTestId('roster-import-text').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('import-roster-modal').waitFor({ state: 'hidden' });
    expect(cliRoster(dataDir)).toBeNull();
    expect(await page.getByTestId('team-page').innerText()).toContain('No team roster yet');
  });

  it('imports the roster from a file once the lead is confirmed, and shows it with its trust anchor', async () => {
    const { page, dataDir } = session.get();
    await openImport(page);
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('roster-import-file').click();
    await (await chooser).setFiles(path.join(scratch, 'roster.signed'));
    await expect.poll(() => page.getByTestId('roster-import-text').inputValue()).toContain('team: Premium Support EMEA');
    await page.getByTestId('roster-import-submit').click();
    await page.getByTestId('trust-lead-confirm').click();
    await page.getByTestId('roster-card').waitFor();

    expect(cliRoster(dataDir)).toMatchObject({ team: 'Premium Support EMEA', trustAnchor: lead.fingerprint, signedBy: { name: 'Lena Park' } });
    expect(await page.getByTestId('roster-team').innerText()).toBe('Premium Support EMEA');
    expect(await page.getByTestId('roster-signed-by').innerText()).toContain('Lena Park');
    expect((await shownFingerprint(page, 'roster-trust-anchor')).value).toBe(lead.fingerprint);
    expect(await page.getByTestId('roster-member-ravi@example.com').innerText()).toMatch(/Ravi Nair[\s\S]*you[\s\S]*ravi@example.com[\s\S]*engineer/);
    expect(await page.getByTestId('identity-role-badge').innerText()).toMatch(/engineer/i);
    expect(await page.getByTestId('identity-card').innerText()).toContain('as the team roster says');
    await page.getByTestId('import-roster-modal').waitFor({ state: 'hidden' });
    await screenshotAt(page, 1280, 'team-05-roster-1280');
    await screenshotAt(page, 1024, 'team-05-roster-1024');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses a roster signed by a lead this data dir does not trust, naming the trusted leads', async () => {
    const { page, dataDir } = session.get();
    const mallory = cliIdentity(otherLeadDir);
    const signedFile = signWithCli(otherLeadDir, scratch, 'takeover', rosterYaml('Premium Support EMEA', [
      { name: 'Mallory Quinn', email: 'mallory@example.com', role: 'lead', key: mallory.public_key },
      { name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer', key: engineer.public_key },
    ]));
    await openImport(page);
    await page.getByTestId('roster-import-text').fill(fs.readFileSync(signedFile, 'utf8'));
    await page.getByTestId('roster-import-submit').click();
    const error = await importError(page);
    expect(error).toMatch(/not signed by a lead of the roster trusted here/);
    expect(error).toContain(lead.fingerprint);
    expect(await page.getByTestId('trust-lead-step').count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(cliRoster(dataDir)).toMatchObject({ signedBy: { name: 'Lena Park' } });
  });

  it('the log page signs a checkpoint now, and Verify says how many held — then names a cut-off tail', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('nav-log').click();
    await page.getByTestId('witness-line').waitFor();
    expect(await page.getByTestId('identity-nudge').count()).toBe(0);
    await page.getByTestId('sign-checkpoint').click();
    await expect.poll(() => page.getByTestId('witness-checkpoint').innerText()).toMatch(/^Latest signed checkpoint covers all \d+ records · signed /);
    expect(await page.getByTestId('witness-headline').innerText()).toBe('No lead has witnessed this log yet — 0 sessions');

    await page.getByTestId('verify-log').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('verify-checkpoints').innerText()).toMatch(/^\d+ signed checkpoints? held; the latest covers \d+ records, signed .* \(the copy kept in the keychain\)\.$/);
    await screenshotAt(page, 1280, 'team-06-log-witness-1280');
    await screenshotAt(page, 1024, 'team-06-log-witness-1024');
    await page.setViewportSize({ width: 1280, height: 900 });

    // What an engineer would do to hide the newest record: drop the guard and delete it. The chain still
    // links; only the signed checkpoint knows the log was longer.
    const db = new Database(path.join(dataDir, 'switchboard.db'));
    try {
      db.exec('DROP TRIGGER session_events_noDelete');
      db.prepare('DELETE FROM session_events WHERE seq = (SELECT max(seq) FROM session_events)').run();
    } finally {
      db.close();
    }
    await page.getByTestId('verify-log').click();
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    expect(await result.getAttribute('data-problem')).toBe('truncated');
    expect(await result.innerText()).toMatch(/Log tampered: Newest records deleted/);
    await page.getByTestId('nav-team').click();
    await page.getByTestId('nav-log').click();
    await expect.poll(() => page.getByTestId('witness-checkpoint').innerText()).toMatch(/covers \d+ records, but the log now holds \d+: records were deleted/);
    await screenshotAt(page, 1280, 'team-07-log-truncated-1280');
  });
});
