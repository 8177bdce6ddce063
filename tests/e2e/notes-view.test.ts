import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleWithVpnFile } from '../helpers/fixtures';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

/**
 * A note opens rendered, to be read; Edit (or E) opens the editor. Links in the rendered note open in
 * the system browser through links.open — https only, checked by the core — and never navigate the
 * app window. The system opener is a stand-in `xdg-open` on PATH that records what it was asked to open.
 */
describe('browser mode: notes open rendered, with clickable links', () => {
  const binDir = makeTempDir('switchboard-e2e-note-opener-');
  const opened = path.join(binDir, 'opened.txt');
  fs.writeFileSync(path.join(binDir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
  afterAll(() => removeTempDir(binDir));
  const openedUrls = () => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : '');
  const session = useE2eSession('light', () => ({ ...process.env, PATH: `${binDir}:${process.env.PATH}` }));

  it('opens a note in the rendered view, not the editor', async () => {
    const { page } = session.get();
    const file = path.join(makeTempDir('switchboard-e2e-notes-'), 'acme.yaml');
    fs.writeFileSync(file, sampleWithVpnFile());
    await page.getByTestId('import-file-input').setInputFiles(file);
    await page.getByTestId('nav-site-Acme Telecom / mumbai-prod').click();
    await page.getByTestId('tab-notes').click();
    await page.getByTestId('note-item-DB retention').click();
    await page.getByTestId('note-view').waitFor();
    await expect(page.getByTestId('note-preview').textContent()).resolves.toContain('ameyodb keeps 90 days');
    expect(await page.getByTestId('note-body').count()).toBe(0);
  });

  it('E opens the editor; saving comes back to the rendered view', async () => {
    const { page } = session.get();
    await page.keyboard.press('e');
    const body = page.getByTestId('note-body');
    await body.waitFor();
    await expect(body.inputValue()).resolves.toContain('ameyodb keeps 90 days');
    await body.fill('See the [vendor runbook](https://docs.example.com/runbook?id=7) and the [old wiki](http://wiki.acme.example/db).');
    await body.press('Control+s');
    await page.getByTestId('note-view').waitFor();
    expect(await page.getByTestId('note-body').count()).toBe(0);
    await screenshot(page, '11-note-rendered-links');
  });

  it('the Edit button opens the editor too, and Cancel goes back to the rendered note', async () => {
    const { page } = session.get();
    await page.getByTestId('note-edit').click();
    await page.getByTestId('note-body').waitFor();
    await page.getByTestId('note-cancel').click();
    await page.getByTestId('note-view').waitFor();
  });

  it('a link in the rendered note opens in the system browser, and the window stays where it is', async () => {
    const { page } = session.get();
    const before = page.url();
    const pages = page.context().pages().length;
    await page.getByTestId('note-link').filter({ hasText: 'vendor runbook' }).click();
    await expect.poll(openedUrls).toBe('https://docs.example.com/runbook?id=7\n');
    expect(page.url()).toBe(before);
    expect(page.context().pages()).toHaveLength(pages);
    await page.getByTestId('note-view').waitFor();
  });

  it('a link that is not https is refused with the reason, and nothing is opened', async () => {
    const { page } = session.get();
    const before = page.url();
    await page.getByTestId('note-link').filter({ hasText: 'old wiki' }).click();
    await expect.poll(() => page.getByText(/only https:\/\/ links are opened/).count()).toBeGreaterThan(0);
    expect(openedUrls()).toBe('https://docs.example.com/runbook?id=7\n');
    expect(page.url()).toBe(before);
  });

  it('never threw in the window', () => expect(session.pageErrors).toEqual([]));
});
