import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot, screenshotAt, useE2eSession } from '../helpers/e2e-session';
import { sshdUnavailable, startSshd, TEST_USER, type TestSshd } from '../helpers/sshd';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();
const credential = `e2e-files-${process.pid}`;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const sha256File = (file: string) => sha256(fs.readFileSync(file));
const id = (flag: '-u' | '-g') => Number(spawnSync('id', [flag, TEST_USER], { encoding: 'utf8' }).stdout.trim());

/**
 * The Files panel beside an SSH terminal, in Chromium against the real sshd's internal-sftp: the lab
 * site allows both ways, limited to one temp folder. Open a terminal, open Files, browse by mouse and
 * keyboard, sort and filter, download a file (its SHA-256 in the transfers list = the file's on both
 * ends), upload by the button and by a dropped file (arrived with the same hash), and a download
 * through a symlink that leads out of the folder refused by the core with the reason shown.
 */
describe.skipIf(unavailable).sequential(`browser mode: the Files panel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: TestSshd;
  const profileDir = makeTempDir('switchboard-e2e-files-profile-');
  /** The app's home: downloads land in its Downloads folder, not the real one. */
  const home = makeTempDir('switchboard-e2e-files-home-');
  const remoteRoot = fs.realpathSync(makeTempDir('switchboard-e2e-files-remote-'));
  const allowed = path.join(remoteRoot, 'support');
  const outside = path.join(remoteRoot, 'private');
  const logContent = Buffer.from(Array.from({ length: 2 * 1024 * 1024 + 123 }, (_, i) => (i * 131) % 251));
  const remoteFile = (file: string, content: Buffer | string) => {
    fs.writeFileSync(file, content);
    fs.chownSync(file, id('-u'), id('-g'));
  };

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    fs.mkdirSync(path.join(home, 'Downloads'));
    fs.chmodSync(remoteRoot, 0o755);
    for (const dir of [remoteRoot, allowed, path.join(allowed, 'logs'), outside]) {
      fs.mkdirSync(dir, { recursive: true });
      fs.chownSync(dir, id('-u'), id('-g'));
    }
    remoteFile(path.join(allowed, 'logs', 'acd.log'), logContent);
    remoteFile(path.join(allowed, 'logs', 'ivr.log'), 'ivr 1\n');
    remoteFile(path.join(allowed, 'logs', 'bell\u0007name.txt'), 'x');
    remoteFile(path.join(outside, 'secret.key'), 'not for the customer ticket\n');
    fs.symlinkSync(path.join(outside, 'secret.key'), path.join(allowed, 'logs', 'escape.key'));
    fs.lchownSync(path.join(allowed, 'logs', 'escape.key'), id('-u'), id('-g'));
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
        }, {
          name: 'readonly', seats: 10, peak_calls: 10, approved_methods: ['ssh'],
          files: { transfer: 'download', folders: [allowed] },
          hosts: [{ name: 'ro01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } }],
        }, {
          // No files key: file transfer is off.
          name: 'closed', seats: 10, peak_calls: 10, approved_methods: ['ssh'],
          hosts: [{ name: 'off01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } }],
        }],
      }],
    }));
    const imported = runCli(['sites', 'import', file], { dataDir });
    expect(imported.status, imported.stderr).toBe(0);
    const set = runCli(['credentials', 'set', credential], { dataDir, input: `${sshd.password}\n` });
    expect(set.status, set.stderr).toBe(0);
    // An incident that stops calls: its RCA can wait for debug data.
    const ticket = runCli(['tickets', 'open', '--site', 'Loopback Labs/lab', '--id', 'LAB-FILES', '--component', 'acd', '--cannot-take-calls', '8'], { dataDir });
    expect(ticket.status, ticket.stderr).toBe(0);
    return { ...process.env, HOME: home, SWITCHBOARD_ENGINEER: 'e2e-engineer' };
  });

  afterAll(async () => {
    const dataDir = session.get()?.dataDir;
    if (dataDir) runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
    for (const dir of [profileDir, home, remoteRoot]) removeTempDir(dir);
  });

  const names = (page: Page) => page.getByTestId('files-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  const row = (page: Page, name: string) => page.locator(`[data-testid="files-row"][data-name="${name}"]`);
  const transfer = (page: Page, direction: 'download' | 'upload', name: string) => page.locator(`[data-testid="transfer-row"][data-direction="${direction}"][data-name="${name}"]`).first();
  const stateOf = (page: Page, direction: 'download' | 'upload', name: string) => transfer(page, direction, name).getAttribute('data-state');

  /** A terminal through the connect flow, on a new ticket or the one opened beforehand; the tab shown is the new one. */
  const openTerminal = async (page: Page, site: string, host: string, ticket: string, existing = false) => {
    await page.getByTestId(`nav-site-Loopback Labs / ${site}`).click();
    await page.getByTestId(`connect-${host}-ssh`).click();
    if (existing) {
      await page.getByTestId('connect-ticket-select').selectOption(ticket);
    } else {
      await page.getByTestId('connect-new-ticket').click();
      await page.getByTestId('ticket-form-ref').fill(ticket);
      await page.getByTestId('ticket-form-component').selectOption('other');
      await page.getByTestId('save-ticket').click();
    }
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    await page.getByTestId('connect-go').click();
    await expect.poll(() => page.getByTestId(`terminal-tab-${host}`).getAttribute('data-shown'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => shownPane(page).getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
  };
  const shownPane = (page: Page) => page.locator('[data-testid="terminal-pane"][data-shown="true"]');

  it('opens the Files panel from a live terminal, showing the site\'s rule and the allowed folder', async () => {
    const { page } = session.get();
    await openTerminal(page, 'lab', 'lab01', 'LAB-FILES', true);
    // The shortcut, caught before the shell sees Ctrl+L.
    await page.getByTestId('terminal').click();
    await page.keyboard.press('Control+Shift+L');
    await page.getByTestId('files-panel').waitFor();
    await expect.poll(() => page.getByTestId('files-rule').textContent()).toBe(`File transfer: both ways — ${allowed}`);
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(allowed);
    await expect.poll(() => names(page)).toEqual(['logs']);
    expect(await row(page, 'logs').getAttribute('data-type')).toBe('dir');
  });

  it('browses: double-click into a folder, Backspace up, arrows and Enter back in; the breadcrumb and up button', async () => {
    const { page } = session.get();
    await row(page, 'logs').dblclick();
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(path.join(allowed, 'logs'));
    await expect.poll(() => names(page)).toEqual(['acd.log', 'bell\u0007name.txt', 'escape.key', 'ivr.log']);
    // A control character is shown escaped, a link shows its target.
    expect(await row(page, 'bell\u0007name.txt').getByTestId('files-name').textContent()).toBe('bell\\x07name.txt');
    expect(await row(page, 'escape.key').getAttribute('data-type')).toBe('symlink');
    expect(await row(page, 'escape.key').textContent()).toContain(`→ ${path.join(outside, 'secret.key')}`);
    await page.getByTestId('files-table').focus();
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(allowed);
    await page.getByTestId('files-table').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(path.join(allowed, 'logs'));
    await page.getByTestId('files-up').click();
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(allowed);
    // The path bar: type, Enter to go.
    await page.getByTestId('files-path').fill(`${allowed}/logs/`);
    await page.getByTestId('files-path').press('Enter');
    await expect.poll(() => names(page)).toHaveLength(4);
    expect(await page.getByTestId(`files-crumb-${allowed}`).isVisible()).toBe(true);
  });

  it('sorts by size and filters by name', async () => {
    const { page } = session.get();
    await page.getByTestId('files-sort-size').click(); // largest first
    await expect.poll(() => names(page)).toEqual(['acd.log', 'escape.key', 'ivr.log', 'bell\u0007name.txt'].sort((a, b) => {
      const size = (n: string) => fs.lstatSync(path.join(allowed, 'logs', n)).size;
      return size(b) - size(a) || a.localeCompare(b);
    }));
    expect(await row(page, 'acd.log').getByTestId('files-size').textContent()).toBe('2.00 MiB');
    await page.getByTestId('files-sort-name').click();
    await page.getByTestId('files-filter').fill('LOG');
    await expect.poll(() => names(page)).toEqual(['acd.log', 'ivr.log']);
    await page.getByTestId('files-filter').fill('nothing-like-this');
    await expect.poll(() => page.getByTestId('files-empty').textContent()).toContain('matches "nothing-like-this"');
    await page.getByTestId('files-filter').fill('');
  });

  it('downloads a file: the transfers list shows it complete with the SHA-256 of the file on both ends', async () => {
    const { page } = session.get();
    await row(page, 'acd.log').click();
    await page.getByTestId('files-download').click();
    await expect.poll(() => stateOf(page, 'download', 'acd.log'), { timeout: 20_000 }).toBe('complete');
    const shown = await transfer(page, 'download', 'acd.log').getByTestId('transfer-sha256').textContent();
    expect(shown).toBe(sha256(logContent));
    const saved = path.join(home, 'Downloads', 'acd.log');
    expect(sha256File(saved)).toBe(shown);
    expect(await transfer(page, 'download', 'acd.log').getByTestId('transfer-bytes').textContent()).toBe('2.00 MiB of 2.00 MiB');
  });

  it('uploads a file by the Upload button; it arrives with the same hash and the folder shows it', async () => {
    const { page } = session.get();
    const content = Buffer.from(Array.from({ length: 1024 * 1024 + 4099 }, (_, i) => (i * 7) % 256));
    await page.getByTestId('files-upload-input').setInputFiles({ name: 'patch-4711.tar', mimeType: 'application/x-tar', buffer: content });
    await expect.poll(() => stateOf(page, 'upload', 'patch-4711.tar'), { timeout: 20_000 }).toBe('complete');
    const arrived = path.join(allowed, 'logs', 'patch-4711.tar');
    expect(sha256File(arrived)).toBe(sha256(content));
    expect(await transfer(page, 'upload', 'patch-4711.tar').getByTestId('transfer-sha256').textContent()).toBe(sha256(content));
    await expect.poll(() => names(page), { timeout: 5_000 }).toContain('patch-4711.tar');
  });

  it('uploads a file dropped on the panel', async () => {
    const { page } = session.get();
    const text = 'config dropped from the desktop\n'.repeat(500);
    await page.getByTestId('files-panel').evaluate((panel, body) => {
      const data = new DataTransfer();
      data.items.add(new File([body], 'dialer.conf', { type: 'text/plain' }));
      panel.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
      panel.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    }, text);
    await expect.poll(() => stateOf(page, 'upload', 'dialer.conf'), { timeout: 20_000 }).toBe('complete');
    expect(sha256File(path.join(allowed, 'logs', 'dialer.conf'))).toBe(sha256(text));
    await expect.poll(() => names(page), { timeout: 5_000 }).toContain('dialer.conf');
    await expect.poll(() => page.getByTestId('files-drop-overlay').count()).toBe(0);
  });

  it('a download through a link that leads out of the folder is refused by the core, with its reason shown', async () => {
    const { page } = session.get();
    await row(page, 'escape.key').click();
    // The window cannot see where the link really leads; the core asks the server and refuses.
    await page.getByTestId('files-download').click();
    await expect.poll(() => stateOf(page, 'download', 'escape.key'), { timeout: 10_000 }).toBe('refused');
    const reason = await transfer(page, 'download', 'escape.key').getByTestId('transfer-reason').textContent();
    expect(reason).toMatch(/^Refused by the site's rule: .*outside/);
    expect(await page.getByTestId('files-notice').textContent()).toMatch(/Refused: .*recorded in the session log/);
    expect(fs.readdirSync(path.join(home, 'Downloads'))).toEqual(['acd.log']);
  });

  it('downloads several files selected with Ctrl+click; a name already in Downloads is kept and the new one saved beside it', async () => {
    const { page } = session.get();
    await row(page, 'ivr.log').click();
    await row(page, 'acd.log').click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByTestId('files-download').textContent()).toBe('Download 2');
    expect(await page.getByTestId('files-status').textContent()).toContain('2 selected');
    // From the right-click menu, on a row of the selection: the whole selection.
    await row(page, 'ivr.log').click({ button: 'right' });
    expect(await page.getByTestId('files-menu-download').textContent()).toBe('Download 2 files');
    await expect.poll(() => page.getByTestId('files-menu').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity)).toBe('1');
    await screenshot(page, 'files-panel-menu');
    await page.getByTestId('files-menu-download').click();
    await expect.poll(() => stateOf(page, 'download', 'ivr.log'), { timeout: 20_000 }).toBe('complete');
    await expect.poll(() => stateOf(page, 'download', 'acd (1).log'), { timeout: 20_000 }).toBe('complete');
    expect(await transfer(page, 'download', 'acd (1).log').getByTestId('transfer-reason').textContent()).toMatch(/acd\.log already exists in .*; saved as acd \(1\)\.log/);
    expect(fs.readdirSync(path.join(home, 'Downloads')).sort()).toEqual(['acd (1).log', 'acd.log', 'ivr.log']);
    expect(sha256File(path.join(home, 'Downloads', 'acd (1).log'))).toBe(sha256(logContent));
    await screenshotAt(page, 1280, 'files-panel-1280');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotAt(page, 1280, 'files-panel-dark-1280');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('outside the folder, browsing works but the actions are greyed out with the rule as the reason', async () => {
    const { page } = session.get();
    await page.getByTestId('files-path').fill(outside);
    await page.getByTestId('files-path').press('Enter');
    await expect.poll(() => names(page)).toEqual(['secret.key']);
    await row(page, 'secret.key').click();
    const transfersBefore = await page.getByTestId('transfer-row').count();
    expect(await page.getByTestId('files-download').getAttribute('aria-disabled')).toBe('true');
    expect(await page.getByTestId('files-download').getAttribute('data-reason')).toBe(`${path.join(outside, 'secret.key')} is outside the folders this site allows (${allowed}).`);
    expect(await page.getByTestId('files-upload').getAttribute('aria-disabled')).toBe('true');
    // The reason is the tooltip of the greyed-out button.
    await page.getByTestId('files-download').hover();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain('is outside the folders this site allows');
    await page.getByTestId('files-download').click({ force: true });
    expect(await page.getByTestId('transfer-row').count()).toBe(transfersBefore);
    // The right-click menu says the same.
    await row(page, 'secret.key').click({ button: 'right' });
    await page.getByTestId('files-menu').waitFor();
    expect(await page.getByTestId('files-menu-download').isDisabled()).toBe(true);
    expect(await page.getByTestId('files-menu-reason').textContent()).toBe(`${path.join(outside, 'secret.key')} is outside the folders this site allows (${allowed}).`);
    await page.keyboard.press('Escape');
    await page.getByTestId('files-menu').waitFor({ state: 'hidden' });
    await page.mouse.move(0, 0);
    await expect.poll(() => page.getByRole('tooltip').count()).toBe(0);
    await screenshotAt(page, 1024, 'files-panel-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('a download cut off by a disconnect is offered again after Reconnect, and resumes from the kept bytes to the right hash', async () => {
    const { page } = session.get();
    const big = path.join(allowed, 'logs', 'core.dump');
    const block = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => (i * 17 + 3) % 256));
    const fd = fs.openSync(big, 'w');
    const hash = createHash('sha256');
    for (let i = 0; i < 512; i += 1) {
      block.writeUInt32BE(i, 0); // no two blocks alike
      fs.writeSync(fd, block);
      hash.update(block);
    }
    fs.closeSync(fd);
    fs.chownSync(big, id('-u'), id('-g'));
    const expected = hash.digest('hex');
    await page.getByTestId('files-path').fill(path.join(allowed, 'logs'));
    await page.getByTestId('files-path').press('Enter');
    await row(page, 'core.dump').click();
    await page.getByTestId('files-download').click();
    const part = path.join(home, 'Downloads', 'core.dump.part');
    await expect.poll(() => fs.statSync(part, { throwIfNoEntry: false })?.size ?? 0, { interval: 20, timeout: 10_000 }).toBeGreaterThan(8 * 1024 * 1024);
    expect(await stateOf(page, 'download', 'core.dump')).toBe('running');
    expect(await transfer(page, 'download', 'core.dump').getByTestId('transfer-speed').textContent()).toMatch(/\/s$|^—$/);
    await page.getByTestId('terminal-disconnect').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('ended');
    const kept = fs.statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(512 * 1024 * 1024);

    await page.getByTestId('terminal-reconnect').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    // The panel opens again where it was, and offers what the disconnect cut off.
    await page.getByTestId('files-panel').waitFor();
    await expect.poll(() => page.getByTestId('files-path').inputValue()).toBe(path.join(allowed, 'logs'));
    const offered = page.locator('[data-testid="interrupted-row"][data-name="core.dump"]');
    await offered.waitFor();
    await offered.getByTestId('interrupted-resume').click();
    await expect.poll(() => stateOf(page, 'download', 'core.dump'), { timeout: 60_000 }).toBe('complete');
    expect(await transfer(page, 'download', 'core.dump').getByText('resumed').count()).toBe(1);
    expect(await transfer(page, 'download', 'core.dump').getByTestId('transfer-sha256').textContent()).toBe(expected);
    expect(sha256File(path.join(home, 'Downloads', 'core.dump'))).toBe(expected);
    expect(fs.existsSync(part)).toBe(false);
    expect(await page.getByTestId('interrupted-row').count()).toBe(0);
  }, 120_000);

  it('cancels a running download: the list says cancelled and nothing is left in Downloads', async () => {
    const { page } = session.get();
    const before = fs.readdirSync(path.join(home, 'Downloads')).sort();
    await row(page, 'core.dump').click();
    await page.getByTestId('files-download').click();
    const running = page.locator('[data-testid="transfer-row"][data-direction="download"][data-state="running"]');
    await running.getByTestId('transfer-cancel').click();
    await expect.poll(() => page.locator('[data-testid="transfer-row"][data-state="cancelled"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-testid="transfer-row"][data-state="cancelled"]').getByTestId('transfer-reason').textContent()).toBe('Cancelled by the engineer.');
    await expect.poll(() => fs.readdirSync(path.join(home, 'Downloads')).sort()).toEqual(before);
  });

  it('a download to the ticket\'s evidence cut off by a disconnect is offered again after Reconnect, and resumes from the bytes kept in the data dir', async () => {
    const { page, dataDir } = session.get();
    const dump = path.join(allowed, 'logs', 'evidence.dump');
    const block = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => (i * 29 + 7) % 256));
    const fd = fs.openSync(dump, 'w');
    const hash = createHash('sha256');
    for (let i = 0; i < 256; i += 1) {
      block.writeUInt32BE(i, 0);
      fs.writeSync(fd, block);
      hash.update(block);
    }
    fs.closeSync(fd);
    fs.chownSync(dump, id('-u'), id('-g'));
    const expected = hash.digest('hex');
    const evidence = path.join(dataDir, 'evidence');
    const partials = () => (fs.existsSync(evidence) ? fs.readdirSync(evidence) : []).filter((n) => n.startsWith('.partial-') && !n.endsWith('.resume'));
    const kept = () => partials().reduce((sum, n) => sum + fs.statSync(path.join(evidence, n)).size, 0);
    await page.getByTestId('files-path').fill(path.join(allowed, 'logs'));
    await page.getByTestId('files-path').press('Enter');
    await row(page, 'evidence.dump').click();
    await page.getByTestId('files-evidence').click();
    await expect.poll(kept, { interval: 20, timeout: 10_000 }).toBeGreaterThan(8 * 1024 * 1024);
    await page.getByTestId('terminal-disconnect').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('ended');
    expect(kept()).toBeLessThan(256 * 1024 * 1024);

    await page.getByTestId('terminal-reconnect').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    await page.getByTestId('files-panel').waitFor();
    const offered = page.locator('[data-testid="interrupted-row"][data-name="evidence.dump"]');
    await offered.waitFor();
    expect(await offered.textContent()).toContain('to the ticket\'s evidence');
    await offered.getByTestId('interrupted-resume').click();
    await expect.poll(() => stateOf(page, 'download', 'evidence.dump'), { timeout: 60_000 }).toBe('complete');
    expect(await transfer(page, 'download', 'evidence.dump').textContent()).toContain('to the ticket\'s evidence');
    expect(await transfer(page, 'download', 'evidence.dump').getByText('resumed').count()).toBe(1);
    expect(await transfer(page, 'download', 'evidence.dump').getByTestId('transfer-sha256').textContent()).toBe(expected);
    expect(sha256File(path.join(evidence, expected))).toBe(expected);
    expect(partials()).toEqual([]);
    expect(await page.getByTestId('interrupted-row').count()).toBe(0);
    fs.rmSync(dump);
  }, 120_000);

  it('saves a file to the ticket\'s evidence while the ticket waits for debug data, and ends the wait with it', async () => {
    const { page, dataDir } = session.get();
    // The ticket resolved with its cause, its RCA waiting for debug data; the terminal runs on meanwhile.
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('ticket-row-LAB-FILES').click();
    await page.getByTestId('action-cause').waitFor();
    const ticketHash = new URL(page.url()).hash;
    await page.getByTestId('action-cause').click();
    await page.getByTestId('action-choice').selectOption('software');
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('action-resolve').click();
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('action-rca-wait').click();
    await page.getByTestId('action-reason').fill('debug logs enabled on lab01; waiting for recurrence');
    await page.getByTestId('action-confirm').click();
    await page.getByTestId('action-confirm').waitFor({ state: 'detached' });
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('files-panel').waitFor();

    await row(page, 'acd.log').click();
    await page.getByTestId('files-evidence').click();
    await expect.poll(() => transfer(page, 'download', 'acd.log').textContent(), { timeout: 20_000 }).toContain('to the ticket\'s evidence');
    await expect.poll(() => stateOf(page, 'download', 'acd.log'), { timeout: 20_000 }).toBe('complete');
    const shown = await transfer(page, 'download', 'acd.log').getByTestId('transfer-sha256').textContent();
    expect(shown).toBe(sha256(logContent));
    expect(sha256File(path.join(dataDir, 'evidence', shown!))).toBe(shown);
    // The engineer confirms it is the data the RCA waited for; the ticket's history names the file.
    await page.mouse.move(0, 0);
    await expect.poll(() => page.getByRole('tooltip').count()).toBe(0);
    await screenshotAt(page, 1280, 'files-panel-rca-wait-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await transfer(page, 'download', 'acd.log').getByTestId('transfer-end-rca-wait').click();
    await transfer(page, 'download', 'acd.log').getByTestId('transfer-rca-ended').waitFor();
    // Resolved now, so not in the open tickets' list: to its page by its address (a hash change, no reload).
    await page.evaluate((hash) => { window.location.hash = hash; }, ticketHash);
    await expect.poll(() => page.locator('body').textContent()).toContain(`debug data received: acd.log (sha256 ${shown!.slice(0, 12)}`);
    await page.getByTestId('nav-terminals').click();
    await page.getByTestId('files-panel').waitFor();
  });

  it('download only: Upload is greyed out with the reason, and a drop is refused in words', async () => {
    const { page } = session.get();
    await openTerminal(page, 'readonly', 'ro01', 'LAB-FILES-RO');
    const pane = shownPane(page);
    await pane.getByTestId('files-toggle').click();
    await expect.poll(() => pane.getByTestId('files-rule').textContent()).toBe(`File transfer: download only — ${allowed}`);
    await expect.poll(() => pane.getByTestId('files-row').count()).toBe(1);
    expect(await pane.getByTestId('files-upload').getAttribute('aria-disabled')).toBe('true');
    expect(await pane.getByTestId('files-upload').getAttribute('data-reason')).toBe('This site allows downloads only; uploads are refused.');
    await pane.getByTestId('files-panel').evaluate((panel) => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'sneaky.sh'));
      panel.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    });
    await expect.poll(() => pane.getByTestId('files-notice').textContent()).toBe('Not uploaded: This site allows downloads only; uploads are refused.');
    expect(fs.existsSync(path.join(allowed, 'sneaky.sh'))).toBe(false);
  });

  it('file transfer off: the panel says so in words, with nothing to browse', async () => {
    const { page } = session.get();
    await openTerminal(page, 'closed', 'off01', 'LAB-FILES-OFF');
    const pane = shownPane(page);
    await pane.getByTestId('files-toggle').click();
    await expect.poll(() => pane.getByTestId('files-rule').getAttribute('data-transfer')).toBe('off');
    expect(await pane.getByTestId('files-rule').textContent()).toBe('File transfer: off — the customer has not approved file transfer for this site');
    // The core's own words, then what to do about it.
    await expect.poll(() => pane.getByTestId('files-off').textContent()).toMatch(/^File transfer is off for this siteFile transfer is off for Loopback Labs\/closed: the customer has not approved it\. It is set on the site's page/);
    expect(await pane.getByTestId('files-row').count()).toBe(0);
    expect(await pane.getByTestId('files-download').count()).toBe(0);
    await screenshotAt(page, 1280, 'files-panel-off-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
