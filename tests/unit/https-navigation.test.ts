import { describe, expect, it } from 'vitest';
import { isNavigationAllowed, parseTrustedOrigin, trustedOrigins } from '../../main/core/https/origins';

const ALLOWED = ['https://10.0.0.5:8443', 'https://[2001:db8::1]', 'https://203.0.113.7:443'];

describe('isNavigationAllowed holds the console window to its trusted origins', () => {
  it.each([
    ['https://10.0.0.5:8443/', true, /trusted origin/],
    ['https://10.0.0.5:8443/admin/login?next=%2F#top', true, /trusted origin/],
    ['https://10.0.0.5:8443', true, /trusted origin/],
    ['https://10.0.0.5:8443?x=1', true, /trusted origin/],
    ['HTTPS://10.0.0.5:8443/Upper', true, /trusted origin/],
    ['https://[2001:db8::1]/', true, /trusted origin/],
    ['https://[2001:db8::1]:443/x', true, /trusted origin/],
    ['https://203.0.113.7/', true, /trusted origin/],
    ['https://203.0.113.7:443/', true, /trusted origin/],
    ['http://10.0.0.5:8443/', false, /http: addresses are never opened/],
    ['javascript:alert(1)', false, /javascript: addresses/],
    ['data:text/html,<b>hi</b>', false, /data: addresses/],
    ['file:///etc/passwd', false, /file: addresses/],
    ['blob:https://10.0.0.5:8443/uuid', false, /blob: addresses/],
    ['about:blank', false, /about: addresses/],
    ['wss://10.0.0.5:8443/', false, /wss: addresses/],
    ['https://10.0.0.5:8444/', false, /not one of this console's trusted origins/],
    ['https://10.0.0.5/', false, /not one of this console's trusted origins/],
    ['https://10.0.0.50:8443/', false, /not one of this console's trusted origins/],
    ['https://10.0.0.5.evil.example:8443/', false, /not one of this console's trusted origins/],
    ['https://evil.example/', false, /not one of this console's trusted origins/],
    ['https://evil.example/#https://10.0.0.5:8443/', false, /not one of this console's trusted origins/],
    ['https://10.0.0.5:8443@evil.example/', false, /userinfo/],
    ['https://admin:pw@10.0.0.5:8443/', false, /userinfo/],
    ['https://0x0a.0.0.5:8443/', false, /canonical form/],
    ['https://167772165:8443/', false, /canonical form/],
    ['https://010.0.0.5:8443/', false, /canonical form/],
    ['https://10.0.0.5:08443/', false, /canonical form/],
    ['https://[2001:0db8:0::1]/', false, /canonical form/],
    ['https://%31%30.0.0.5:8443/', false, /canonical form/],
    ['https:\\\\10.0.0.5:8443/', false, /backslashes/],
    ['https://10.0.0.5:8443/\nx', false, /control characters/],
    [' https://10.0.0.5:8443/', false, /spaces/],
    ['https:10.0.0.5:8443/', false, /canonical form/],
    ['//10.0.0.5:8443/', false, /not a URL/],
    ['', false, /not a URL/],
  ] as const)('%j → %s', (url, allowed, reason) => {
    const check = isNavigationAllowed(url, ALLOWED);
    expect(check.allowed).toBe(allowed);
    expect(check.reason).toMatch(reason);
  });

  it('trusts nothing when the list is empty or holds only malformed entries', () => {
    expect(isNavigationAllowed('https://10.0.0.5:8443/', [])).toEqual({ allowed: false, reason: expect.stringMatching(/\(none\)/) });
    expect(isNavigationAllowed('http://10.0.0.5/', ['http://10.0.0.5', 'https://u@10.0.0.5', 'not a url']).allowed).toBe(false);
    expect(isNavigationAllowed('https://10.0.0.5/', ['http://10.0.0.5', 'https://u@10.0.0.5', 'https://10.0.0.5/path']).allowed).toBe(false);
  });
});

describe('trustedOrigins is the console origin plus explicit extras, nothing inferred', () => {
  it('normalises, de-duplicates and keeps the console origin first', () => {
    expect(trustedOrigins('https://10.0.0.5:8443')).toEqual(['https://10.0.0.5:8443']);
    expect(trustedOrigins('https://10.0.0.5:443', ['https://10.0.0.5', 'https://sso.acme.example/', 'https://SSO.acme.example']))
      .toEqual(['https://10.0.0.5', 'https://sso.acme.example']);
  });

  it.each([
    ['http://10.0.0.5', /only https/],
    ['https://u:p@10.0.0.5', /user name or password/],
    ['https://10.0.0.5/console', /no path, query or fragment/],
    ['https://10.0.0.5?x', /no path, query or fragment/],
    ['https://0x0a.0.0.5', /exactly/],
    ['10.0.0.5:8443', /only https|not a URL/],
    ['nonsense', /not a URL/],
  ] as const)('refuses %j as an origin', (origin, reason) => {
    expect(() => parseTrustedOrigin(origin)).toThrow(reason);
    expect(() => trustedOrigins('https://10.0.0.5', [origin])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
