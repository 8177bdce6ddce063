import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot, sessionRows, useE2eSession } from '../helpers/e2e-session';
import { sshdUnavailable, startSshd, TEST_USER, type TestSshd } from '../helpers/sshd';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();
const credential = `e2e-files-folders-${process.pid}`;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const sha256File = (file: string) => sha256(fs.readFileSync(file));
const id = (flag: '-u' | '-g') => Number(spawnSync('id', [flag, TEST_USER], { encoding: 'utf8' }).stdout.trim());
/** Every file under a folder, relative, with its SHA-256 — two trees compared in one assertion. */
const tree = (root: string): Record<string, string> => Object.fromEntries(
  (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => [path.relative(root, path.join(e.parentPath, e.name)), sha256File(path.join(e.parentPath, e.name))] as const)
    .sort(([a], [b]) => a.localeCompare(b)),
);

/**
 * Folders in the Files panel, in Chromium against the real sshd's internal-sftp (the lab site allows
 * both ways in one temp folder): a folder downloaded whole with its nested files (hashes checked on
 * disk, a link inside skipped and said so), a folder uploaded by the folder picker and by a drop, one
 * that already exists on the server not merged into, a folder cancelled while it runs, New folder by
 * F7 and by the button, a file inside a folder refused by the core (the site's rule narrowed while
 * the panel showed the old one), and the log drawer showing a transfer of a name with an escape
 * character escaped.
 */
describe.skipIf(unavailable).sequential(`browser mode: folders in the Files panel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  const profileDir = makeTempDir('switchboard-e2e-folders-profile-');
  const home = makeTempDir('switchboard-e2e-folders-home-');
  const localDir = makeTempDir('switchboard-e2e-folders-local-');
  const remoteRoot = fs.realpathSync(makeTempDir('switchboard-e2e-folders-remote-'));
  const allowed = path.join(remoteRoot, 'support');
  const outside = path.join(remoteRoot, 'private');
  const downloads = path.join(home, 'Downloads');
  const remoteDir = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.chownSync(dir, id('-u'), id('-g'));
  };
  const remoteFile = (file: string, content: Buffer | string) => {
    remoteDir(path.dirname(file));
    fs.writeFileSync(file, content);
    fs.chownSync(file, id('-u'), id('-g'));
  };

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    fs.mkdirSync(downloads);
    fs.chmodSync(remoteRoot, 0o755);
    for (const dir of [allowed, outside]) remoteDir(dir);
    remoteFile(path.join(allowed, 'bundle', 'acd.log'), randomBytes(3 * 1024 * 1024 + 17));
    remoteFile(path.join(allowed, 'bundle', 'sub', 'ivr.log'), 'ivr line\n'.repeat(1000));
    remoteFile(path.join(allowed, 'bundle', 'sub', 'deeper', 'empty.txt'), '');
    remoteFile(path.join(outside, 'secret.key'), 'not for the ticket\n');
    fs.symlinkSync(path.join(outside, 'secret.key'), path.join(allowed, 'bundle', 'escape.key'));
    fs.lchownSync(path.join(allowed, 'bundle', 'escape.key'), id('-u'), id('-g'));
    // Two big files (sparse: quick to make, slow enough to cancel while they come).
    for (const name of ['one.img', 'two.img']) {
      remoteFile(path.join(allowed, 'big', name), '');
      fs.truncateSync(path.join(allowed, 'big', name), 1024 * 1024 * 1024);
    }
    remoteFile(path.join(allowed, 'pack', 'ok', 'fine.log'), 'fine\n');
    remoteFile(path.join(allowed, 'pack', 'z-outside.log'), 'not in the narrowed folder\n');
    remoteFile(path.join(allowed, 'bad\u001bname.log'), 'a name with an escape in it\n');
    // A folder on this computer to upload.
    fs.mkdirSync(path.join(localDir, 'conf', 'nested', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(localDir, 'conf', 'app.yaml'), 'queue: sales\n');
    fs.writeFileSync(path.join(localDir, 'conf', 'nested', 'x.cfg'), 'x=1\n');
    fs.writeFileSync(path.join(localDir, 'conf', 'nested', 'deep', 'y.bin'), randomBytes(1536 * 1024));
  });

  const session = useE2eSession('light', (dataDir) => {
    const file = path.join(profileDir, 'lab.yaml');
    fs.writeFileSync(file, stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'],
          files: { transfer: 'both', folders: [allowed] },
          hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } }],
        }],
      }],
    }));
    const imported = runCli(['sites', 'import', file], { dataDir });
    expect(imported.status, imported.stderr).toBe(0);
    const set = runCli(['credentials', 'set', credential], { dataDir, input: `${sshd.password}\n` });
    expect(set.status, set.stderr).toBe(0);
    return { ...process.env, HOME: home, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });

  afterAll(async () => {
    const dataDir = session.get()?.dataDir;
    if (dataDir) runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
    for (const dir of [profileDir, home, localDir, remoteRoot]) removeTempDir(dir);
  });

  const row = (page: Page, name: string) => page.locator(`[data-testid="files-row"][data-name="${name}"]`);
  const names = (page: Page) => page.getByTestId('files-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  const job = (page: Page, direction: 'download' | 'upload', name: string) => page.locator(`[data-testid="folder-job"][data-direction="${direction}"][data-name="${name}"]`).first();
  const jobState = (page: Page, direction: 'download' | 'upload', name: string) => job(page, direction, name).getAttribute('data-state');
  const text = async (page: Page, direction: 'download' | 'upload', name: string, part: string) => (await job(page, direction, name).getByTestId(`folder-job-${part}`).textContent()) ?? '';
  /** No tooltip over the panel in a picture: the mouse away, the clicked button not focused. */
  const settleForPicture = async (page: Page) => {
    await page.mouse.move(1, 880);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await expect.poll(() => page.locator('.mantine-Tooltip-tooltip').count()).toBe(0);
  };
  const transfer = (page: Page, direction: 'download' | 'upload', name: string) => page.locator(`[data-testid="transfer-row"][data-direction="${direction}"][data-name="${name}"]`).first();

  it('opens the Files panel on a live terminal in the allowed folder', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Loopback Labs / lab').click();
    await page.getByTestId('connect-lab01-ssh').click();
    await page.getByTestId('connect-new-ticket').click();
    await page.getByTestId('ticket-form-ref').fill('LAB-FOLDERS');
    await page.getByTestId('ticket-form-component').selectOption('other');
    await page.getByTestId('save-ticket').click();
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    await page.getByTestId('connect-go').click();
    await expect.poll(() => page.locator('[data-testid="terminal-pane"][data-shown="true"]').getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    await page.getByTestId('files-toggle').click();
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(allowed);
    await expect.poll(() => names(page)).toEqual(['big', 'bundle', 'pack', 'bad\u001bname.log']);
    expect(await page.getByTestId('files-upload-folder').getAttribute('aria-disabled')).toBeNull();
    expect(await page.getByTestId('files-new-folder').getAttribute('aria-disabled')).toBeNull();
  });

  it('downloads a folder whole: nested files arrive with their hashes, the link inside is skipped and said so', async () => {
    const { page } = session.get();
    await row(page, 'bundle').click();
    await expect.poll(() => page.getByTestId('files-download').getAttribute('data-reason')).toBe('');
    await page.getByTestId('files-download').click();
    await expect.poll(() => jobState(page, 'download', 'bundle'), { timeout: 30_000 }).toBe('complete');
    await expect.poll(() => text(page, 'download', 'bundle', 'counts')).toBe('3 of 3 files · 3.01 MiB of 3.01 MiB');
    expect(await text(page, 'download', 'bundle', 'summary')).toBe('All 3 files downloaded, 1 skipped.');
    expect(await text(page, 'download', 'bundle', 'skipped')).toBe('escape.key — skipped: a symbolic link (not followed)');
    const local = path.join(downloads, 'bundle');
    expect(Object.keys(tree(local))).toEqual(['acd.log', 'sub/deeper/empty.txt', 'sub/ivr.log']);
    expect(tree(local)).toEqual(tree(path.join(allowed, 'bundle')));
    expect(fs.existsSync(path.join(local, 'escape.key'))).toBe(false);
    // Each file is its own transfer with its own hash.
    await expect.poll(() => transfer(page, 'download', 'acd.log').getByTestId('transfer-sha256').textContent()).toBe(sha256File(path.join(allowed, 'bundle', 'acd.log')));
    await settleForPicture(page);
    await screenshot(page, 'files-panel-folder-download');
  });

  it('cancels a folder download while its first file comes: the file is cancelled, the second never begun', async () => {
    const { page } = session.get();
    await row(page, 'big').click();
    await page.getByTestId('files-download').click();
    await expect.poll(async () => Number((await text(page, 'download', 'big', 'counts')).match(/^0 of 2 files · ([\d.]+) MiB/)?.[1] ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await settleForPicture(page);
    await screenshot(page, 'files-panel-folder-running');
    await job(page, 'download', 'big').getByTestId('folder-job-cancel').click();
    await expect.poll(() => jobState(page, 'download', 'big'), { timeout: 15_000 }).toBe('cancelled');
    expect(await text(page, 'download', 'big', 'summary')).toBe('Cancelled: 0 files downloaded.');
    await expect.poll(() => transfer(page, 'download', 'one.img').getAttribute('data-state')).toBe('cancelled');
    expect(await transfer(page, 'download', 'two.img').count()).toBe(0);
    expect(fs.readdirSync(path.join(downloads, 'big'))).toEqual([]);
  });

  it('uploads a folder picked with Upload folder…: folders made, every file hashed on arrival', async () => {
    const { page } = session.get();
    await page.getByTestId('files-upload-folder-input').setInputFiles(path.join(localDir, 'conf'));
    await expect.poll(() => jobState(page, 'upload', 'conf'), { timeout: 30_000 }).toBe('complete');
    expect(await text(page, 'upload', 'conf', 'summary')).toBe('All 3 files uploaded.');
    expect(await text(page, 'upload', 'conf', 'counts')).toBe('3 of 3 files · 1.50 MiB of 1.50 MiB');
    expect(tree(path.join(allowed, 'conf'))).toEqual(tree(path.join(localDir, 'conf')));
    await expect.poll(() => names(page)).toContain('conf');
  });

  it('the same folder again is not merged into the one on the server: refused in words, nothing sent', async () => {
    const { page } = session.get();
    await page.getByTestId('folder-jobs').locator('[data-testid="folder-job-forget"]').first().click();
    fs.writeFileSync(path.join(localDir, 'conf', 'app.yaml'), 'queue: changed\n');
    await page.getByTestId('files-upload-folder-input').setInputFiles(path.join(localDir, 'conf'));
    await expect.poll(() => jobState(page, 'upload', 'conf')).toBe('failed');
    expect(await text(page, 'upload', 'conf', 'reason')).toBe(`${path.join(allowed, 'conf')} already exists on the server; upload the folder somewhere it does not exist yet.`);
    expect(fs.readFileSync(path.join(allowed, 'conf', 'app.yaml'), 'utf8')).toBe('queue: sales\n');
  });

  it('uploads a folder dropped on the panel', async () => {
    const { page } = session.get();
    const content = 'dropped with its folder\n'.repeat(200);
    // A drop's folder entries cannot be made by a script; files that carry their folder in webkitRelativePath are read the same way.
    await page.getByTestId('files-panel').evaluate((panel, body) => {
      const data = new DataTransfer();
      for (const [rel, text] of [['dropped/readme.txt', body], ['dropped/inner/note.txt', 'note\n']] as const) {
        const file = new File([text], rel.split('/').pop()!);
        Object.defineProperty(file, 'webkitRelativePath', { value: rel });
        data.items.add(file);
      }
      panel.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    }, content);
    await expect.poll(() => jobState(page, 'upload', 'dropped'), { timeout: 15_000 }).toBe('complete');
    expect(tree(path.join(allowed, 'dropped'))).toEqual({ 'inner/note.txt': sha256('note\n'), 'readme.txt': sha256(content) });
  });

  it('makes a folder with F7 and with the button; a name already there is caught before it is asked', async () => {
    const { page } = session.get();
    await row(page, 'pack').click();
    await page.getByTestId('files-table').press('F7');
    await page.getByTestId('files-new-folder-name').fill('debug-2026');
    await page.getByTestId('files-new-folder-name').press('Enter');
    await expect.poll(() => names(page)).toContain('debug-2026');
    expect(fs.statSync(path.join(allowed, 'debug-2026')).isDirectory()).toBe(true);
    await expect.poll(() => row(page, 'debug-2026').getAttribute('data-selected')).toBe('true');

    await page.getByTestId('files-new-folder').click();
    await page.getByTestId('files-new-folder-name').fill('pack');
    await expect.poll(() => page.locator('.mantine-InputWrapper-error').textContent()).toBe('pack already exists here.');
    await page.getByTestId('files-new-folder-create').click();
    expect(await page.getByTestId('files-new-folder-error').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('files-new-folder-name').waitFor({ state: 'detached' });
  });

  it('a file inside a folder refused by the core: the site narrowed while the panel showed the old rule', async () => {
    const { page, app } = session.get();
    const other = await page.context().newPage();
    try {
      await other.goto(app.url);
      await other.getByTestId('nav-site-Loopback Labs / lab').click();
      await other.getByTestId('edit-site').click();
      await other.getByTestId('site-form-files-folder-0').fill(path.join(allowed, 'pack', 'ok'));
      await other.getByTestId('save-site').click();
      await other.getByTestId('site-form-files').waitFor({ state: 'detached' });
    } finally {
      await other.close();
    }
    await row(page, 'pack').click();
    await page.getByTestId('files-download').click();
    await expect.poll(() => jobState(page, 'download', 'pack'), { timeout: 15_000 }).toBe('stopped');
    const refusedPath = path.join(allowed, 'pack', 'z-outside.log');
    expect(await text(page, 'download', 'pack', 'summary')).toBe('1 file downloaded; the rest not sent.');
    expect(await text(page, 'download', 'pack', 'reason')).toBe(
      `Stopped at ${refusedPath}, refused: ${refusedPath} is outside the folders allowed for Loopback Labs/lab: ${path.join(allowed, 'pack', 'ok')}.`,
    );
    await expect.poll(() => transfer(page, 'download', 'z-outside.log').getAttribute('data-state')).toBe('refused');
    expect(await transfer(page, 'download', 'z-outside.log').getByTestId('transfer-reason').textContent()).toMatch(/^Refused by the site's rule: /);
    expect(tree(path.join(downloads, 'pack'))).toEqual({ 'ok/fine.log': sha256('fine\n') });
    await settleForPicture(page);
    await screenshot(page, 'files-panel-folder-refused');
  });

  it('the log drawer shows the session\'s transfers in words, a name with an escape character escaped', async () => {
    const { page } = session.get();
    // The site's folder set back, so the file with the escape in its name may come.
    const other = await page.context().newPage();
    try {
      await other.goto(session.get().app.url);
      await other.getByTestId('nav-site-Loopback Labs / lab').click();
      await other.getByTestId('edit-site').click();
      await other.getByTestId('site-form-files-folder-0').fill(allowed);
      await other.getByTestId('save-site').click();
      await other.getByTestId('site-form-files').waitFor({ state: 'detached' });
    } finally {
      await other.close();
    }
    await row(page, 'bad\u001bname.log').dblclick();
    await expect.poll(() => transfer(page, 'download', 'bad_name.log').getAttribute('data-state')).toBe('complete');
    const hash = sha256('a name with an escape in it\n');

    await page.getByTestId('nav-log').click();
    await sessionRows(page).first().click();
    const drawer = page.getByTestId('log-detail');
    const events = drawer.getByTestId('log-events').getByTestId('log-transfer');
    const bad = events.filter({ hasText: 'bad\\ename.log' });
    await expect.poll(() => bad.count()).toBe(1);
    expect(await bad.getByTestId('log-transfer-remote').textContent()).toBe(`${allowed}/bad\\ename.log`);
    expect(await bad.getByTestId('log-transfer-result').textContent()).toBe('complete');
    expect(await bad.getByTestId('log-transfer-size').textContent()).toBe('28 B');
    expect(await bad.getByTestId('log-transfer-sha256').textContent()).toBe(`${hash.slice(0, 10)}…${hash.slice(-6)}`);
    expect(await bad.getByTestId('log-transfer-sha256').getAttribute('title')).toBe(hash);
    // The refused one says why, and no raw control character reaches the drawer anywhere.
    const refused = events.filter({ hasText: 'z-outside.log' });
    expect(await refused.getByTestId('log-transfer-why').textContent()).toMatch(/^Refused: .*z-outside\.log is outside the folders allowed/);
    expect(await drawer.getByTestId('detail-list-transfers').getByTestId('log-transfer').count()).toBeGreaterThanOrEqual(8);
    expect(await drawer.evaluate((el) => /[\u0000-\u0008\u000b-\u001f\u007f]/.test(el.textContent ?? ''))).toBe(false);
    await bad.scrollIntoViewIfNeeded();
    await screenshot(page, 'files-log-drawer-transfers');
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
