import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { allowListProfile } from '../helpers/fixtures';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * The site form's file-transfer section in Chromium (issue 12 §2): off by default, download only with a
 * folder; a bad folder is refused at its own row and nothing is written; the site page shows the
 * setting, and the change is a policy-change record in words.
 */
describe('browser mode: a site\'s file-transfer setting', () => {
  const session = useE2eSession('light', (dataDir) => {
    const dir = makeTempDir('switchboard-e2e-files-');
    const file = path.join(dir, 'acme.yaml');
    fs.writeFileSync(file, allowListProfile(['10.0.0.0/24']));
    expect(runCli(['sites', 'import', file], { dataDir }).status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const stored = (dataDir: string) => {
    const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
    try {
      return {
        transfer: db.prepare("SELECT file_transfer FROM sites WHERE name = 'Pune'").pluck().get(),
        folders: db.prepare('SELECT folder FROM site_file_folders ORDER BY position').pluck().all(),
        description: db.prepare("SELECT json_extract(detail, '$.description') FROM session_events WHERE kind = 'policy-change' ORDER BY seq DESC LIMIT 1").pluck().get(),
      };
    } finally {
      db.close();
    }
  };

  it('is off on an imported site without the key, and says so on the site page', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Acme / Pune').click();
    await expect(page.getByTestId('site-files').getAttribute('data-transfer')).resolves.toBe('off');
  });

  it('download only in a folder: a bad folder is refused at its row, then the setting is saved and shown', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('edit-site').click();
    await page.getByTestId('site-form-files').getByText('Download only').click();
    await page.getByTestId('site-form-files-add').click();
    await page.getByTestId('site-form-files-folder-0').fill('/var/log/ameyo/');
    await page.getByTestId('site-form-files-add').click();
    await page.getByTestId('site-form-files-folder-1').fill('/var/log/../etc');
    await page.getByTestId('save-site').click();
    await expect.poll(() => page.locator('.mantine-InputWrapper-error').allTextContents()).toContainEqual(expect.stringMatching(/"\/var\/log\/\.\.\/etc" has a "\." or "\.\." part/));
    await screenshot(page, 'site-file-transfer-form');
    expect(stored(dataDir).transfer).toBe('off');

    await page.getByTestId('site-form-files-remove-1').click();
    await page.getByTestId('save-site').click();
    await page.getByTestId('site-form-files').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('site-files').getAttribute('data-transfer')).toBe('download');
    await expect(page.getByTestId('site-files-folders').textContent()).resolves.toBe('/var/log/ameyo');
    await screenshot(page, 'site-file-transfer-facts');
    expect(stored(dataDir)).toEqual({
      transfer: 'download', folders: ['/var/log/ameyo'],
      description: 'site Acme/Pune changed: file transfer: off → download only; folders: + /var/log/ameyo',
    });
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
