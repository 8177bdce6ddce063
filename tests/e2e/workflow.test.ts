import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleWithVpnFile } from '../helpers/fixtures';
import { countRows, screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * The engineer's first day, in Chromium against `npm run web`'s host: create a customer, a site, a
 * host and a note through the UI; search the note; reload; import a profile file and see its sites.
 */
describe('browser mode: create, search, reload, import', () => {
  const session = useE2eSession('light');

  it('shows an empty state that says what to do next', async () => {
    const { page } = session.get();
    await page.getByTestId('empty-state').waitFor();
    await expect(page.getByTestId('empty-state').textContent()).resolves.toMatch(/customer|import/i);
    await screenshot(page, '01-empty-state');
  });

  it('creates a customer, with inline errors for bad fields first', async () => {
    const { page } = session.get();
    await page.getByTestId('add-customer').first().click();
    await page.getByTestId('customer-form-name').fill('Initech');
    await page.getByTestId('customer-form-timezone').fill('Nowhere/Land');
    await page.getByTestId('save-customer').click();
    await expect(page.locator('.mantine-InputWrapper-error').allTextContents()).resolves.toContainEqual(expect.stringMatching(/IANA time zone/));
    await page.getByTestId('customer-form-timezone').fill('America/Chicago');
    await page.getByTestId('save-customer').click();
    await page.getByTestId('customer-page').waitFor();
    await expect(page.getByTestId('customer-page').textContent()).resolves.toContain('America/Chicago');
  });

  it('creates a site and a host, refusing an obfuscated address inline', async () => {
    const { page } = session.get();
    await page.getByTestId('add-site').click();
    await page.getByTestId('site-form-name').fill('austin-hq');
    await page.getByTestId('save-site').click();
    await page.getByTestId('site-page').waitFor();

    await page.getByTestId('add-host').click();
    await page.getByTestId('host-form-name').fill('app01');
    await page.getByTestId('host-form-address').fill('0x7f.1');
    await page.getByTestId('save-host').click();
    await expect(page.locator('.mantine-InputWrapper-error').allTextContents()).resolves.toContainEqual(expect.stringMatching(/canonical dotted-quad/));
    await page.getByTestId('host-form-address').fill('10.1.1.10');
    await page.getByTestId('host-form-allow').fill('10.1.1.0/24');
    await page.getByTestId('host-form-ssh').click();
    await page.getByTestId('host-form-ssh-user').fill('support');
    await page.getByTestId('save-host').click();
    await page.getByTestId('host-row-app01').waitFor();
    await expect(page.getByTestId('host-row-app01').textContent()).resolves.toMatch(/10\.1\.1\.10.*SSH :22/s);
    await screenshot(page, '02-site-hosts');
  });

  it('writes a Markdown note and renders it without script', async () => {
    const { page } = session.get();
    await page.getByTestId('tab-notes').click();
    await page.getByTestId('add-note').click();
    await page.getByTestId('note-title').fill('Access path');
    await page.getByTestId('note-body').fill('# Access\nVPN first, then **ssh app01**. Quokkas guard the dialer.\n\n<script>window.pwned = 1</script>');
    await page.getByTestId('note-body').press('Control+s');
    await page.getByTestId('note-item-Access path').waitFor();
    await page.getByTestId('note-view').waitFor();
    const preview = await page.getByTestId('note-preview').innerHTML();
    expect(preview).toContain('<strong>ssh app01</strong>');
    expect(preview).not.toContain('<script');
    await expect(page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).resolves.toBeUndefined();
    await screenshot(page, '03-note-preview');
  });

  it('finds the note through search, with the match highlighted', async () => {
    const { page } = session.get();
    await page.getByTestId('notes-search').fill('quokka');
    await page.getByTestId('notes-search').press('Enter');
    await page.getByTestId('search-page').waitFor();
    const result = page.getByTestId('search-result').first();
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/Initech.*austin-hq.*Access path/s);
    await expect(result.locator('mark').first().textContent()).resolves.toMatch(/^quokka/i);
    // The snippet is the note's text: no Markdown markers, and its HTML shown as characters, never run.
    const snippet = result.locator('.sb-snippet');
    await expect(snippet.textContent()).resolves.toBe('Access VPN first, then ssh app01. Quokkas guard the dialer. <script>window.pwned = 1</script>');
    await expect(snippet.innerHTML()).resolves.not.toMatch(/<script|<strong|\*\*|# /);
    await screenshot(page, '04-search');
  });

  it('still has everything after a reload', async () => {
    const { page, dataDir } = session.get();
    await page.reload();
    await page.getByTestId('search-page').waitFor();
    await page.getByTestId('search-result').first().waitFor();
    await page.getByTestId('nav-customer-Initech').waitFor();
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('site-page').waitFor();
    await page.getByTestId('tab-hosts').click();
    await page.getByTestId('host-row-app01').waitFor();
    expect(countRows(dataDir)).toMatchObject({ customers: 1, sites: 1, hosts: 1, notes: 1 });
  });

  it('imports a profile file and shows its sites', async () => {
    const { page, dataDir } = session.get();
    const file = path.join(makeTempDir('switchboard-e2e-file-'), 'acme.yaml');
    fs.writeFileSync(file, sampleWithVpnFile());
    await page.getByTestId('import-file-input').setInputFiles(file);
    await page.getByTestId('customer-page').waitFor();
    await page.getByTestId('site-card-mumbai-prod').waitFor();
    await page.getByTestId('site-card-pune-dr').waitFor();
    await screenshot(page, '05-imported-customer');
    await page.getByTestId('site-card-mumbai-prod').click();
    await page.getByTestId('host-row-app01').waitFor();
    await expect(page.getByTestId('host-row-app01').textContent()).resolves.toContain('jump bastion');
    await screenshot(page, '06-imported-site');
    expect(countRows(dataDir)).toMatchObject({ customers: 3, sites: 4 });
  });

  it('jumps anywhere with the command palette (Ctrl+K)', async () => {
    const { page } = session.get();
    await page.keyboard.press('Control+k');
    const search = page.getByRole('textbox', { name: 'Command palette search' });
    await search.waitFor();
    await search.fill('web01');
    await screenshot(page, '07-command-palette');
    await page.keyboard.press('Enter');
    await page.getByTestId('site-page').waitFor();
    await expect(page.getByTestId('site-page').textContent()).resolves.toContain('berlin');
    await page.getByTestId('host-row-web01').waitFor();
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
