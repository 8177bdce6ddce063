import { describe, expect, it } from 'vitest';
import { listSessions } from '../helpers/cli';
import { screenshot, sessionRows } from '../helpers/e2e-session';
import { sshdUnavailable } from '../helpers/sshd';
import { useSshLabSession } from '../helpers/e2e-ssh-lab';

const unavailable = sshdUnavailable();

/**
 * An engineer connects to an SSH host from the connect flow: a terminal tab opens, they pin the
 * host key in the dialog, type a command and see its output, disconnect, and replay the recording
 * from the session log. The host is a real OpenSSH sshd; the password is in the real keychain.
 */
describe.skipIf(unavailable).sequential(`browser mode: SSH terminal${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useSshLabSession({ name: 'terminal' });
  const session = lab.session;

  const terminalText = () => session.get().page.locator('[data-testid="terminal"] .xterm-rows').textContent();

  it('opens a ticket and connects: a terminal tab asks about the host key', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Loopback Labs / lab').click();
    await page.getByTestId('connect-lab01-ssh').click();
    await page.getByTestId('connect-new-ticket').click();
    await page.getByTestId('ticket-form-ref').fill('LAB-7');
    await page.getByTestId('ticket-form-component').selectOption('other');
    await page.getByTestId('save-ticket').click();
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    expect(await page.getByTestId('policy-decision').getAttribute('data-allowed')).toBe('true');
    await page.getByTestId('connect-go').click();
    await page.getByTestId('terminal-tab-lab01').waitFor();
    await expect(page.getByTestId('terminal-tab-lab01').textContent()).resolves.toMatch(/lab01.*LAB-7/);
    await expect(page.getByTestId('hostkey-fingerprint').textContent()).resolves.toBe(lab.sshd.hostKeyFingerprint);
  });

  it('pins the key, runs `echo hello` in the terminal and shows the output', async () => {
    const { page } = session.get();
    await page.getByTestId('hostkey-accept').click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent()).toBe('connected');
    await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
    await page.keyboard.type('echo hello');
    await page.keyboard.press('Enter');
    // The echoed command line, then the output on a line of its own.
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/echo hello.*hello/s);
    await screenshot(page, '18-terminal');
  });

  it('disconnects and shows how the session ended', async () => {
    const { page } = session.get();
    await page.getByTestId('terminal-disconnect').click();
    await expect(page.getByTestId('terminal-exit').textContent()).resolves.toMatch(/Session ended.*Recorded \(SHA-256 [0-9a-f]{16}/);
  });

  it('finds the session in the log and replays its recording', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('nav-log').click();
    // Pinning lab01's host key on first use is on the record too, as a policy change: the newest session is the row.
    const row = sessionRows(page).first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/lab01/);
    const [record] = listSessions<{ sessionId: string; outcome: string; detail: Record<string, unknown> }>(dataDir);
    expect(record!.outcome).toBe('disconnected');
    expect(record!.detail.recordingSha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(row.textContent()).resolves.toMatch(/disconnected/i);
    await row.click();
    await page.getByTestId('replay').click();
    await page.getByTestId('replay-done').waitFor({ timeout: 30_000 });
    // xterm paints on the next animation frame after the last write: poll rather than read once.
    await expect.poll(() => page.locator('[data-testid="replay-terminal"] .xterm-rows').textContent()).toMatch(/echo hello.*hello/s);
    await screenshot(page, '19-replay');
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
