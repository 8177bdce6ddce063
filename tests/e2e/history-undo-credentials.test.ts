import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { ScopedSecretStore } from '../../main/core/keychain/scoped-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import { sampleWithVpnFile } from '../helpers/fixtures';
import { countRows, screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

/** The keychain account a data dir keeps a credential under (ScopedSecretStore: `<store id>/credential/<name>`). */
function credentialAccount(dataDir: string, name: string): string {
  const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
  try {
    return ScopedSecretStore.account(storeId(db), 'credential', name);
  } finally {
    db.close();
  }
}

/** The safety nets a person relies on: note history with diff and restore, undo after delete, and secrets that go only to the keychain. */
describe('browser mode: note history, undo, credentials', () => {
  const session = useE2eSession('light');
  const siteNav = 'nav-site-Acme Telecom / mumbai-prod';

  it('imports the sample and opens the site', async () => {
    const { page } = session.get();
    const file = path.join(makeTempDir('switchboard-e2e-history-'), 'acme.yaml');
    fs.writeFileSync(file, sampleWithVpnFile());
    await page.getByTestId('import-file-input').setInputFiles(file);
    await page.getByTestId(siteNav).click();
    await page.getByTestId('site-page').waitFor();
  });

  it('keeps every saved version of a note, shows the diff and restores an old one', async () => {
    const { page } = session.get();
    await page.getByTestId('tab-notes').click();
    await page.getByTestId('note-item-DB retention').click();
    await page.getByTestId('note-edit').click();
    const body = page.getByTestId('note-body');
    await body.fill('ameyodb keeps 60 days now; reportsdb 180 days.');
    await body.press('Control+s');
    await page.getByTestId('note-view').waitFor();
    await page.getByTestId('note-history').click();
    await page.getByTestId('revision-drawer').waitFor();
    await page.getByTestId('revision-1').click();
    const diff = page.getByTestId('revision-diff');
    await expect(diff.textContent()).resolves.toMatch(/90 days[\s\S]*60 days|60 days[\s\S]*90 days/);
    await screenshot(page, '10-note-history');
    await page.getByTestId('restore-revision').click();
    await expect.poll(() => page.getByTestId('note-preview').textContent()).toContain('ameyodb keeps 90 days');
    expect(countRows(session.get().dataDir).note_revisions).toBe(3 + 2);
    await page.keyboard.press('Escape');
  });

  it('deletes a host and brings it back with Undo', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('tab-hosts').click();
    await page.getByTestId('delete-host-agent-pc-07').click();
    const confirm = page.getByTestId('confirm-delete');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await page.getByTestId('host-row-agent-pc-07').waitFor({ state: 'detached' });
    await page.getByTestId('undo-delete').first().click();
    await page.getByTestId('host-row-agent-pc-07').waitFor();
    expect(countRows(dataDir).hosts).toBe(6);
  });

  it('refuses to delete a host another host jumps through', async () => {
    const { page } = session.get();
    await page.getByTestId('delete-host-bastion').click();
    const confirm = page.getByTestId('confirm-delete');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await expect(page.getByText(/app01 uses it as its SSH jump host/).first().textContent()).resolves.toBeTruthy();
    await page.getByTestId('host-row-bastion').waitFor();
  });

  it('saves a secret to the OS keychain and never shows it again', async () => {
    const { page, dataDir } = session.get();
    const secret = `e2e-secret-${Date.now()}`;
    await page.getByTestId('tab-credentials').click();
    await page.getByTestId('set-secret-acme-support').click();
    await page.getByTestId('credential-secret').fill(secret);
    await page.getByTestId('save-credential').click();
    await page.getByTestId('credential-secret').waitFor({ state: 'detached' });
    await page.getByTestId('test-credential-acme-support').click();
    await expect(page.getByTestId('credential-test-result-acme-support').textContent()).resolves.toMatch(/readable/);
    await screenshot(page, '11-credentials');
    expect(await page.content()).not.toContain(secret);
    const keytar = await import('keytar');
    // The keychain entry is this data dir's own: named after its store id, not the bare credential name.
    const account = credentialAccount(dataDir, 'acme-support');
    await expect(keytar.getPassword(KEYCHAIN_SERVICE, account)).resolves.toBe(secret);
    for (const file of ['switchboard.db', 'switchboard.db-wal']) {
      const bytes = fs.existsSync(path.join(dataDir, file)) ? fs.readFileSync(path.join(dataDir, file)) : Buffer.alloc(0);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    await keytar.deletePassword(KEYCHAIN_SERVICE, account);
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
