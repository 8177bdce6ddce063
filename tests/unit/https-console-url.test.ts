import { describe, expect, it } from 'vitest';
import type { Host, PolicyDecision } from '../../contract/models';
import { consoleUrl } from '../../main/core/https/console-url';

const host = (https?: Host['https']): Host => ({ id: 1, siteId: 1, name: 'app01', address: 'app01.acme.example', allow: [], ...(https ? { https } : {}) });
const decision = (over: Partial<PolicyDecision> = {}): PolicyDecision => ({
  allowed: true, reasons: ['ok'], address: '10.0.0.5', host: 'app01', target: 'app01', method: 'https', ticketId: 1, site: 'Acme/HQ', ...over,
});

describe('consoleUrl builds the console URL for the approved IP', () => {
  it.each([
    [{ port: 8443 }, '10.0.0.5', 'https://10.0.0.5:8443/', 'https://10.0.0.5:8443', '10.0.0.5:8443'],
    [{ port: 443 }, '10.0.0.5', 'https://10.0.0.5/', 'https://10.0.0.5', '10.0.0.5'],
    [{ port: 8443, path: '/ameyo/admin' }, '10.0.0.5', 'https://10.0.0.5:8443/ameyo/admin', 'https://10.0.0.5:8443', '10.0.0.5:8443'],
    [{ port: 9443, path: '/ui;lang=en/%7Eops' }, '2001:db8::1', 'https://[2001:db8::1]:9443/ui;lang=en/%7Eops', 'https://[2001:db8::1]:9443', '[2001:db8::1]:9443'],
    [{ port: 443, certSha256: 'AB' }, '::1', 'https://[::1]/', 'https://[::1]', '[::1]'],
  ] as const)('%j at %s → %s', (https, address, url, origin, hostHeader) => {
    expect(consoleUrl(host(https), decision({ address }))).toEqual({ url, origin, hostHeader });
  });
});

describe('consoleUrl refuses anything but an allowed HTTPS decision with an IP', () => {
  it.each([
    ['no https endpoint', host(), decision(), /no HTTPS endpoint/],
    ['a denied decision', host({ port: 443 }), decision({ allowed: false, reasons: ['Ticket closed'], address: null }), /did not allow.*Ticket closed/],
    ['an SSH decision', host({ port: 443 }), decision({ method: 'ssh' }), /for ssh, not an HTTPS console/],
    ['another host', host({ port: 443 }), decision({ host: 'db01' }), /for db01, not app01/],
    ['no address', host({ port: 443 }), decision({ address: null }), /no approved address/],
    ['a name, not an IP', host({ port: 443 }), decision({ address: 'app01.acme.example' }), /not an IP/],
    ['a non-canonical IP', host({ port: 443 }), decision({ address: '010.0.0.5' }), /not an IP/],
    ['a bad port', host({ port: 70000 }), decision(), /not a TCP port/],
    ['a path without a slash', host({ port: 443, path: 'admin' }), decision(), /not a plain URL path/],
    ['a scheme-relative path', host({ port: 443, path: '//evil.example/' }), decision(), /not a plain URL path/],
    ['a path with a query', host({ port: 443, path: '/a?next=https://evil.example' }), decision(), /not a plain URL path/],
    ['a path with a backslash', host({ port: 443, path: '/\\evil' }), decision(), /not a plain URL path/],
  ] as const)('%s', (_label, h, d, message) => {
    expect(() => consoleUrl(h, d)).toThrow(message);
    expect(() => consoleUrl(h, d)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
