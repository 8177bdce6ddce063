import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateFingerprint, derFromPem } from '../../main/core/https/certificate-pin';
import { MAX_REFUSED_KEPT } from '../../main/core/https/console-host';
import {
  CERT_ACCEPT, CERT_REJECT, CERT_USE_CHROMIUM, ConsoleActivity, consoleCertificateVerdict, consoleDownload, consoleNavigation, consolePermission,
  consoleRequest, consoleWindowOpen, downloadDialogOptions, safeDownloadName,
} from '../../main/core/https/console-window-rules';
import { OTHER_PIN, TEST_CERT_PEM as PEM, TEST_CERT_PIN as PIN } from '../helpers/certificate-fixture';


const ORIGIN = 'https://10.20.0.11:8443';
const TRUSTED = [ORIGIN];

describe('consoleNavigation: will-navigate, will-frame-navigate and will-redirect', () => {
  it.each([
    ['a path on the console', `${ORIGIN}/ameyo/login`, true, true],
    ['a query and fragment on the console', `${ORIGIN}/ameyo?tab=2#x`, true, true],
    ['the same IP on another port', 'https://10.20.0.11:9443/', true, false],
    ['the same IP over http', 'http://10.20.0.11:8443/', true, false],
    ['another host', 'https://evil.example/', true, false],
    ['the host name instead of the approved IP', 'https://app01.acme.example:8443/', true, false],
    ['userinfo disguising the host', `https://10.20.0.11:8443@evil.example/`, true, false],
    ['an obfuscated IPv4 form', 'https://0x0a.20.0.11:8443/', true, false],
    ['javascript:', 'javascript:alert(1)', true, false],
    ['file:', 'file:///etc/passwd', true, false],
    ['about:blank as the main frame', 'about:blank', true, false],
    ['about:blank in a subframe', 'about:blank', false, true],
    ['about:srcdoc in a subframe', 'about:srcdoc', false, true],
    ['a foreign page in a subframe', 'https://ads.example/frame', false, false],
    ['a data: document in a subframe', 'data:text/html,<script>1</script>', false, false],
  ] as const)('%s → %s', (_label, url, isMainFrame, allowed) => {
    const check = consoleNavigation(url, TRUSTED, { isMainFrame });
    expect(check.allowed).toBe(allowed);
    expect(check.reason.length).toBeGreaterThan(10);
  });

  it('names the trusted origin when it refuses', () => {
    expect(consoleNavigation('https://evil.example/x', TRUSTED, { isMainFrame: true }).reason).toBe(`https://evil.example is not one of this console's trusted origins (${ORIGIN})`);
  });
});

describe('consoleWindowOpen: no second window; a trusted URL loads in the console itself', () => {
  it.each([
    [`${ORIGIN}/reports/daily`, true],
    ['https://evil.example/', false],
    ['http://10.20.0.11:8443/', false],
    ['about:blank', false],
  ] as const)('%s → load in console: %s', (url, load) => {
    const decision = consoleWindowOpen(url, TRUSTED);
    expect(decision.loadInConsole).toBe(load);
    expect(decision.allowed).toBe(load);
  });
});

describe('consoleRequest: the partition talks only to its trusted origins', () => {
  it.each([
    [`${ORIGIN}/app.js`, true],
    [`wss://10.20.0.11:8443/live`, true],
    ['wss://10.20.0.11:9000/live', false],
    ['ws://10.20.0.11:8443/live', false],
    ['https://cdn.example/jquery.js', false],
    ['https://telemetry.example/collect', false],
    ['http://10.20.0.11:8443/plain', false],
    ['data:image/png;base64,iVBORw0KGgo=', true],
    [`blob:${ORIGIN}/0d7c7b2e-1b5e-4b8a-9d55-3f0f7b3f3a11`, true],
  ] as const)('%s → %s', (url, allowed) => {
    expect(consoleRequest(url, TRUSTED).allowed).toBe(allowed);
  });
});

describe('consoleCertificateVerdict: the console partition\'s certificate verifier', () => {
  const facts = (over: Partial<Parameters<typeof consoleCertificateVerdict>[0]>) => ({ hostname: '10.20.0.11', certificatePem: PEM, consoleOrigin: ORIGIN, trusted: TRUSTED, pin: PIN, ...over });

  it('the fixture PIN is the SHA-256 of the fixture certificate', () => {
    expect(certificateFingerprint(derFromPem(PEM))).toBe(PIN);
  });

  it.each([
    ['the pinned certificate on the console host (its name is not the IP)', {}, CERT_ACCEPT],
    ['the pin written in lower case', { pin: PIN.toLowerCase() }, CERT_ACCEPT],
    ['a different certificate than pinned — rejected, Chromium is not asked', { pin: OTHER_PIN }, CERT_REJECT],
    ['no pin: Chromium\'s own verdict decides', { pin: null }, CERT_USE_CHROMIUM],
    ['unreadable certificate bytes with a pin', { certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }, CERT_REJECT],
    ['another host, even with the pinned certificate', { hostname: 'evil.example' }, CERT_REJECT],
    ['another host with no pin', { hostname: 'cdn.example', pin: null }, CERT_REJECT],
  ] as const)('%s', (_label, over, result) => {
    expect(consoleCertificateVerdict(facts(over)).result).toBe(result);
  });

  it('compares IPv6 hosts with or without brackets', () => {
    const v6 = { consoleOrigin: 'https://[2001:db8::11]:8443', trusted: ['https://[2001:db8::11]:8443'] };
    expect(consoleCertificateVerdict(facts({ ...v6, hostname: '[2001:db8::11]' })).result).toBe(CERT_ACCEPT);
    expect(consoleCertificateVerdict(facts({ ...v6, hostname: '2001:db8::11' })).result).toBe(CERT_ACCEPT);
    expect(consoleCertificateVerdict(facts({ ...v6, hostname: '2001:db8::12' })).result).toBe(CERT_REJECT);
  });

  it('defers to Chromium for another explicitly trusted origin', () => {
    const verdict = consoleCertificateVerdict(facts({ hostname: 'sso.acme.example', trusted: [ORIGIN, 'https://sso.acme.example'] }));
    expect(verdict.result).toBe(CERT_USE_CHROMIUM);
  });

  it('says why it rejects', () => {
    expect(consoleCertificateVerdict(facts({ pin: OTHER_PIN })).reason).toContain(OTHER_PIN);
  });
});

describe('downloads: asked for, only from the console', () => {
  it.each([
    [`${ORIGIN}/reports/export.csv`, true],
    [`blob:${ORIGIN}/5c4e`, true],
    ['data:text/csv,a,b', true],
    ['https://files.example/malware.exe', false],
    ['http://10.20.0.11:8443/export.csv', false],
  ] as const)('%s → %s', (url, allowed) => {
    expect(consoleDownload(url, TRUSTED).allowed).toBe(allowed);
  });

  it.each([
    ['report.csv', 'report.csv'],
    ['../../.bashrc', 'bashrc'],
    ['..\\..\\Windows\\evil.dll', 'evil.dll'],
    ['/etc/passwd', 'passwd'],
    ['.hidden', 'hidden'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['con:fig?.txt', 'con_fig_.txt'],
    ['', 'download'],
    ['...', 'download'],
  ] as const)('safeDownloadName(%j) → %j', (name, safe) => {
    expect(safeDownloadName(name)).toBe(safe);
  });

  it('proposes the cleaned name in the downloads folder, under a title naming the console', () => {
    expect(downloadDialogOptions('app01 · Acme/mumbai · EXO-1', '../x/report.csv', '/home/eng/Downloads')).toEqual({
      title: 'Save a file from app01 · Acme/mumbai · EXO-1', defaultPath: path.join('/home/eng/Downloads', 'report.csv'), buttonLabel: 'Save',
    });
  });
});

describe('permissions: a console page gets none', () => {
  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'midiSysex', 'display-capture', 'openExternal', 'fileSystem', 'unknown'])('%s → denied', (permission) => {
    expect(consolePermission(permission)).toEqual({ granted: false, reason: `${permission} is never granted to a console page` });
  });
});

describe('ConsoleActivity: what a console held back, for the session log', () => {
  const clock = () => new Date('2026-11-26T10:00:00Z');

  it('tells the engineer once per kind and origin, and keeps every refusal for the log', () => {
    const activity = new ConsoleActivity(clock);
    expect(activity.refuse('navigation', 'https://evil.example/a', 'not trusted')).toBe(true);
    expect(activity.refuse('navigation', 'https://evil.example/b', 'not trusted')).toBe(false);
    expect(activity.refuse('redirect', 'https://evil.example/c', 'not trusted')).toBe(true);
    expect(activity.refuse('request', 'https://cdn.example/x.js', 'not trusted')).toBe(false);
    activity.download(`${ORIGIN}/export.csv`, '/home/eng/Downloads/export.csv', 'completed');
    activity.download(`${ORIGIN}/big.zip`, null, 'cancelled');
    const end = activity.end('closed');
    expect(end.refusedCount).toBe(4);
    expect(end.refused.map((r) => r.url)).toEqual(['https://evil.example/a', 'https://evil.example/b', 'https://evil.example/c', 'https://cdn.example/x.js']);
    expect(end.refused[0]).toEqual({ at: '2026-11-26T10:00:00.000Z', kind: 'navigation', url: 'https://evil.example/a', reason: 'not trusted' });
    expect(end.downloads).toEqual([
      { at: '2026-11-26T10:00:00.000Z', url: `${ORIGIN}/export.csv`, file: '/home/eng/Downloads/export.csv', state: 'completed' },
      { at: '2026-11-26T10:00:00.000Z', url: `${ORIGIN}/big.zip`, file: null, state: 'cancelled' },
    ]);
    expect(end).not.toHaveProperty('error');
  });

  it('keeps the most recent refusals when a page keeps trying, and counts them all', () => {
    const activity = new ConsoleActivity(clock);
    for (let i = 0; i < MAX_REFUSED_KEPT + 25; i += 1) activity.refuse('request', `https://cdn.example/${i}.js`, 'not trusted');
    const end = activity.end('closed', 'https://10.20.0.11:8443/ did not load');
    expect(end.refusedCount).toBe(MAX_REFUSED_KEPT + 25);
    expect(end.refused).toHaveLength(MAX_REFUSED_KEPT);
    expect(end.refused.at(-1)!.url).toBe(`https://cdn.example/${MAX_REFUSED_KEPT + 24}.js`);
    expect(end.error).toBe('https://10.20.0.11:8443/ did not load');
  });
});
