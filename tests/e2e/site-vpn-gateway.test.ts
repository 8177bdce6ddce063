import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRows, screenshot, useE2eSession } from '../helpers/e2e-session';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * The site form in Chromium: a site is created with its VPN gateway in one step (the gateway becomes
 * the site's first trusted host), and a VPN profile with a hook is refused at the profile field,
 * naming the line, with nothing written.
 */
describe('browser mode: a site with its VPN gateway', () => {
  const session = useE2eSession('light');
  const dir = makeTempDir('switchboard-e2e-vpn-');
  const hooked = path.join(dir, 'hooked.ovpn');
  const clean = path.join(dir, 'clean.ovpn');
  fs.writeFileSync(hooked, 'client\nremote vpn.initech.example 1194\nscript-security 2\nup /etc/openvpn/up.sh\n');
  fs.writeFileSync(clean, 'client\nremote vpn.initech.example 1194\n');

  it('refuses a profile with a hook at its field, then creates the site and its gateway host together', async () => {
    const { page, dataDir } = session.get();
    await page.getByTestId('add-customer').first().click();
    await page.getByTestId('customer-form-name').fill('Initech');
    await page.getByTestId('save-customer').click();
    await page.getByTestId('customer-page').waitFor();

    await page.getByTestId('add-site').click();
    await page.getByTestId('site-form-name').fill('austin-hq');
    await page.getByTestId('site-form-vpn').click();
    await page.getByTestId('site-form-vpn-profile').fill(hooked);
    await page.getByTestId('site-form-vpn-gateway').fill('vpn-gw');
    await page.getByTestId('site-form-vpn-gateway-address').fill('203.0.113.7');
    await page.getByTestId('save-site').click();
    await expect.poll(() => page.locator('.mantine-InputWrapper-error').allTextContents()).toContainEqual(expect.stringMatching(/line 3: `script-security 2`/));
    expect(countRows(dataDir)).toMatchObject({ sites: 0, hosts: 0 });

    await page.getByTestId('site-form-vpn-profile').fill(clean);
    await page.getByTestId('save-site').click();
    await page.getByTestId('site-page').waitFor();
    await page.getByTestId('host-row-vpn-gw').waitFor();
    await expect(page.getByTestId('host-row-vpn-gw').textContent()).resolves.toContain('203.0.113.7');
    await expect(page.getByTestId('vpn-profile-copy').textContent()).resolves.toMatch(/checked copy, SHA-256 [0-9a-f]{12}…/);
    await screenshot(page, 'site-vpn-gateway');
    expect(countRows(dataDir)).toMatchObject({ sites: 1, hosts: 1 });
    expect(fs.readdirSync(path.join(dataDir, 'vpn-profiles'))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.ovpn$/)]);
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
