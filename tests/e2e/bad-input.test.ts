import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_PROFILE_YAML, sampleWith, sampleWithVpnFile } from '../helpers/fixtures';
import { countRows, screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

/** Bad input through the window gets a clear error where the person is looking, and writes nothing. */
describe('browser mode: bad input is refused and nothing is written', () => {
  const session = useE2eSession('dark');
  const fileDir = makeTempDir('switchboard-e2e-bad-');

  const importFile = async (name: string, text: string) => {
    const { page } = session.get();
    const file = path.join(fileDir, name);
    fs.writeFileSync(file, text);
    await page.getByTestId('import-file-input').setInputFiles(file);
  };

  const importFailure = async () => {
    const alert = session.get().page.getByTestId('import-issues');
    await alert.waitFor();
    return alert.textContent();
  };

  it('starts from one imported profile', async () => {
    await importFile('good.yaml', sampleWithVpnFile());
    await session.get().page.getByTestId('customer-page').waitFor();
    expect(countRows(session.get().dataDir)).toMatchObject({ customers: 2, sites: 3, hosts: 6, notes: 3 });
  });

  const badFiles: { name: string; text: string; expected: RegExp }[] = [
    { name: 'malformed.yaml', text: 'version: 1\ncustomers:\n  - name: [unclosed\n', expected: /Line \d+, column \d+: .*not valid YAML/ },
    {
      name: 'unknown-key.yaml',
      text: sampleWith((doc) => Object.assign(doc.customers[0]!, { colour: 'blue' })).replace('Acme Telecom', 'Acme Two'),
      expected: /Customer 1 \(Acme Two\): "colour" is not a field/s,
    },
    {
      name: 'half-valid.yaml',
      text: sampleWith((doc) => {
        doc.customers[0]!.name = 'Valid Newco';
        doc.customers[1]!.name = 'Broken Newco';
        doc.customers[1]!.timezone = 'Mars/Olympus';
      }),
      expected: /Customer 2 \(Broken Newco\), time zone: .*IANA/s,
    },
    {
      name: 'obfuscated.yaml',
      text: sampleWith((doc) => {
        doc.customers[0]!.name = 'Sneaky';
        doc.customers[1]!.name = 'Sneaky Two';
        ((doc.customers[0]!.sites as { hosts: { address?: string }[] }[])[0]!.hosts[0]!).address = '2130706433';
      }),
      expected: /Customer 1 \(Sneaky\), site 1 \(mumbai-prod\), host 1 \(bastion\), address: .*canonical dotted-quad/s,
    },
    {
      name: 'wide-allow.yaml',
      text: sampleWith((doc) => {
        doc.customers[0]!.name = 'Wide Open';
        doc.customers[1]!.name = 'Wide Open Two';
        ((doc.customers[0]!.sites as { hosts: { allow?: string[] }[] }[])[0]!.hosts[1]!).allow = ['0.0.0.0/0', '10.20.0.11/32', '169.254.169.254'];
      }),
      expected: /host 2 \(app01\), allow-list entry 1 \(0\.0\.0\.0\/0\): .*every IPv4 address.*allow-list entry 3 \(169\.254\.169\.254\): .*link-local/s,
    },
    { name: 'duplicate.yaml', text: SAMPLE_PROFILE_YAML, expected: /Customer 1 \(Acme Telecom\), name: .*already exists/s },
  ];

  for (const bad of badFiles) {
    it(`refuses ${bad.name} saying where in words, writing nothing`, async () => {
      const before = countRows(session.get().dataDir);
      await importFile(bad.name, bad.text);
      const told = await importFailure();
      expect(told).toMatch(bad.expected);
      expect(told).not.toMatch(/customers\[|Invalid input|Unrecognized key|expected|received/i);
      expect(countRows(session.get().dataDir)).toEqual(before);
      if (bad.name === 'half-valid.yaml') await screenshot(session.get().page, '08-import-error');
    });
  }

  it('refuses a bad CIDR and a duplicate host name in the host form', async () => {
    const { page, dataDir } = session.get();
    const before = countRows(dataDir);
    await page.getByTestId('nav-site-Acme Telecom / mumbai-prod').click();
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-form-name').fill('app02');
    await page.getByTestId('host-form-address').fill('10.20.0.12');
    await page.getByTestId('host-form-allow').fill('10.20.0.12/8');
    await page.getByTestId('save-host').click();
    await expect(page.locator('.mantine-InputWrapper-error').allTextContents()).resolves.toContainEqual(expect.stringMatching(/host bits set; did you mean 10\.0\.0\.0\/8/));
    await screenshot(page, '09-host-form-errors');
    await page.getByTestId('host-form-allow').fill('');
    await page.getByTestId('host-form-name').fill('APP01');
    await page.getByTestId('save-host').click();
    await expect(page.getByRole('dialog').getByTestId('error-alert').textContent()).resolves.toMatch(/already has a host named "APP01"/);
    await page.keyboard.press('Escape');
    expect(countRows(dataDir)).toEqual(before);
  });

  it('names every refused allow-list entry and keeps a port of 99999 as typed, refused', async () => {
    const { page, dataDir } = session.get();
    const before = countRows(dataDir);
    await page.getByTestId('nav-site-Acme Telecom / mumbai-prod').click();
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-form-name').fill('db03');
    await page.getByTestId('host-form-address').fill('db03.acme.example');
    await page.getByTestId('host-form-allow').fill('0.0.0.0/0, 10.20.0.0/28, 169.254.169.254, 127.0.0.1');
    await page.getByTestId('host-form-ssh').click();
    const port = page.getByTestId('host-form-ssh-port');
    await port.fill('99999');
    await page.getByTestId('host-form-name').click();
    await expect(port.inputValue(), 'the port is not clamped to 65535').resolves.toBe('99999');
    await page.getByTestId('save-host').click();
    const errors = page.locator('.mantine-InputWrapper-error');
    await errors.first().waitFor();
    const shown = (await errors.allTextContents()).join('\n');
    expect(shown).toMatch(/entry 1: "0\.0\.0\.0\/0" is every IPv4 address/);
    expect(shown).toMatch(/entry 3: "169\.254\.169\.254" is in the link-local range/);
    expect(shown).toMatch(/entry 4: "127\.0\.0\.1" is in the loopback range/);
    expect(shown).not.toMatch(/entry 2:/);
    expect(shown).toMatch(/a port must be between 1 and 65535/);
    await page.keyboard.press('Escape');
    expect(countRows(dataDir)).toEqual(before);
  });

  it('refuses a duplicate customer name', async () => {
    const { page, dataDir } = session.get();
    const before = countRows(dataDir);
    await page.getByTestId('nav-add-customer').click();
    await page.getByTestId('customer-form-name').fill('acme telecom');
    await page.getByTestId('customer-form-timezone').fill('Asia/Kolkata');
    await page.getByTestId('save-customer').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toMatch(/A customer named "acme telecom" already exists/);
    await page.keyboard.press('Escape');
    expect(countRows(dataDir)).toEqual(before);
  });

  it('refuses an oversize note and keeps the text in the editor', async () => {
    const { page, dataDir } = session.get();
    const before = countRows(dataDir);
    await page.getByTestId('nav-site-Acme Telecom / mumbai-prod').click();
    await page.getByTestId('tab-notes').click();
    await page.getByTestId('add-note').click();
    await page.getByTestId('note-title').fill('Huge log paste');
    const body = 'x'.repeat(300 * 1024);
    await page.getByTestId('note-body').fill(body);
    await page.getByTestId('save-note').click();
    await expect(page.locator('.mantine-InputWrapper-error').allTextContents()).resolves.toContainEqual(expect.stringMatching(/at most 256 KiB/));
    await expect(page.getByTestId('note-body').inputValue()).resolves.toHaveLength(body.length);
    expect(countRows(dataDir)).toEqual(before);
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
