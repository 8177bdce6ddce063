import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';
import { EXCEPTION_PROFILE_YAML } from '../helpers/fixtures';


/**
 * Exception approvals in the window (issue 9 §4): the engineer requests an exception on the site's
 * Approvals tab, a lead signs it (their own data dir, through the CLI), and the engineer imports the
 * signed text by pasting it; the policy then allows the method. A copy altered after signing is refused
 * in words. The engineer's and the lead's identities live in the real Secret Service.
 */
describe('browser mode: request and import a lead-signed exception', () => {
  const files = makeTempDir('switchboard-e2e-approvals-');
  const leadDir = makeTempDir('switchboard-e2e-lead-');
  const cli = (dataDir: string, ...args: string[]) => {
    const result = runCli(args, { dataDir });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };
  const session = useE2eSession('light', (dataDir) => {
    cli(leadDir, 'identity', 'init', '--name', 'Lena Park', '--email', 'lena@example.com', '--role', 'lead');
    cli(dataDir, 'identity', 'init', '--name', 'Ravi Nair', '--email', 'ravi@example.com');
    const show = (dir: string) => JSON.parse(cli(dir, 'identity', 'show', '--json')) as { public_key: string; fingerprint: string };
    fs.writeFileSync(path.join(files, 'roster.yaml'), `version: 1
team: Premium Support EMEA
members:
  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "${show(leadDir).public_key}" }
  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${show(dataDir).public_key}" }
`);
    cli(leadDir, 'team', 'roster', 'sign', path.join(files, 'roster.yaml'), '--out', path.join(files, 'roster.signed'));
    for (const dir of [leadDir, dataDir]) cli(dir, 'team', 'roster', 'import', path.join(files, 'roster.signed'), '--trust-lead', show(leadDir).fingerprint);
    fs.writeFileSync(path.join(files, 'acme.yaml'), EXCEPTION_PROFILE_YAML);
    cli(dataDir, 'sites', 'import', path.join(files, 'acme.yaml'));
    cli(dataDir, 'tickets', 'open', '--site', 'Acme/pune', '--id', 'T-7');
  });
  const vncAllowed = () => runCli(['policy', 'check', '--site', 'Acme/pune', '--target', 'pbx1', '--method', 'vnc', '--ticket', 'T-7'], { dataDir: session.get().dataDir }).status === 0;

  it('requests an exception in the window: a request signed by the engineer, to send to a lead', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Acme / pune').click();
    await page.getByTestId('tab-approvals').click();
    await page.getByTestId('request-exception').click();
    await page.getByTestId('exception-method').selectOption('vnc');
    await page.getByTestId('exception-host').selectOption('pbx1');
    await page.getByTestId('exception-ticket').fill('T-7');
    await page.getByTestId('exception-reason').fill('DR drill on the PBX');
    await page.getByTestId('exception-until').fill('2099-12-31');
    await page.getByTestId('exception-request-submit').click();
    const text = (await page.getByTestId('exception-request-text').textContent())!;
    expect(text).toMatch(/^switchboard exception request v1\nid \S+\nengineer ravi@example.com\n[\s\S]*method vnc\nhost pbx1\nticket T-7\nreason DR drill on the PBX\nuntil 2099-12-31T23:59:59Z\n[\s\S]*— ravi@example.com \S+\n?$/);
    fs.writeFileSync(path.join(files, 'request.txt'), text.endsWith('\n') ? text : `${text}\n`);
    await screenshot(page, '60-exception-request');
    await page.getByTestId('exception-request-done').click();
    await expect.poll(() => page.getByTestId('approval-status').first().textContent()).toBe('requested');
    expect(vncAllowed()).toBe(false);
  });

  it('refuses an approval altered after signing, then imports the signed one; the policy allows VNC to pbx1', async () => {
    const { page } = session.get();
    cli(leadDir, 'approvals', 'sign', path.join(files, 'request.txt'), '--out', path.join(files, 'approval.txt'));
    const signed = fs.readFileSync(path.join(files, 'approval.txt'), 'utf8');

    await page.getByTestId('import-approval').click();
    await page.getByTestId('exception-import-text').fill(signed.replace('until 2099-12-31T23:59:59Z', 'until 2199-12-31T23:59:59Z'));
    await page.getByTestId('exception-import-submit').click();
    // The refusal comes back from the core: wait for it rather than read the form once, right after the click.
    await expect.poll(() => page.getByTestId('exception-import-form').textContent(), { timeout: 10_000 }).toMatch(/altered after the lead signed it/);
    await screenshot(page, '61-exception-import-refused');

    await page.getByTestId('exception-import-text').fill(signed);
    await page.getByTestId('exception-import-submit').click();
    await page.getByTestId('exception-import-form').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('approval-status').first().textContent()).toBe('active');
    await expect(page.getByTestId('approvals-table').textContent()).resolves.toMatch(/VNC.*pbx1.*T-7 · DR drill on the PBX.*active.*Lena Park/s);
    await screenshot(page, '62-exception-active');
    expect(vncAllowed()).toBe(true);
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
