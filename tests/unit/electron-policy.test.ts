import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirFlag } from '../../main/electron/argv';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAllowedSender,
  isAppUrl,
  LOCKED_DOWN_WEB_PREFERENCES,
  mayOpenExternally,
  rendererFileFor,
  safeExternalUrl,
  senderRejection,
  type SenderFacts,
} from '../../main/electron/policy';

describe('isAppUrl', () => {
  it.each([
    ['app://switchboard/', true],
    ['app://switchboard/index.html', true],
    ['app://switchboard/assets/index-abc.js?v=1#x', true],
    [APP_ENTRY_URL, true],
    ['app://switchboard', true],
    ['app://evil/', false],
    ['app://switchboard.evil/', false],
    ['app://evil.switchboard/', false],
    ['app://switchboard:8080/', false],
    ['app://switchboard@evil/', false],
    ['app://user:pw@switchboard/', false],
    ['app:switchboard/', false],
    ['apps://switchboard/', false],
    ['file:///work/main/out/renderer/index.html', false],
    ['http://switchboard/', false],
    ['https://switchboard/', false],
    ['http://127.0.0.1:5173/', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('senderRejection / isAllowedSender', () => {
  const ok: SenderFacts = { frameUrl: 'app://switchboard/index.html', isMainFrame: true, fromAppWindow: true };
  it.each<[string, Partial<SenderFacts>, RegExp | null]>([
    ['main frame of our window on our origin', {}, null],
    ['a client-side route of our app', { frameUrl: 'app://switchboard/customers/42' }, null],
    ['another window (e.g. a stray webContents)', { fromAppWindow: false }, /Switchboard window/],
    ['a frame that already navigated away or closed', { frameUrl: null }, /gone/],
    ['a subframe, even on our origin', { isMainFrame: false }, /Embedded frames/],
    ['a subframe on a foreign origin', { isMainFrame: false, frameUrl: 'https://evil.example/' }, /Embedded frames/],
    ['file://', { frameUrl: 'file:///work/main/out/renderer/index.html' }, /outside app:\/\/switchboard/],
    ['app://evil', { frameUrl: 'app://evil/index.html' }, /outside/],
    ['app://switchboard.evil', { frameUrl: 'app://switchboard.evil/' }, /outside/],
    ['http://', { frameUrl: 'http://localhost:3000/' }, /outside/],
    ['https://', { frameUrl: 'https://switchboard.example/' }, /outside/],
    ['about:blank', { frameUrl: 'about:blank' }, /outside/],
    ['data:', { frameUrl: 'data:text/html,hi' }, /outside/],
    ['empty url', { frameUrl: '' }, /outside/],
  ])('%s', (_name, facts, expected) => {
    const sender = { ...ok, ...facts };
    const rejection = senderRejection(sender);
    if (expected === null) expect(rejection).toBeNull();
    else expect(rejection).toMatch(expected);
    expect(isAllowedSender(sender)).toBe(expected === null);
  });
});

describe('safeExternalUrl / mayOpenExternally', () => {
  it.each<[string, string | null]>([
    ['https://docs.example.com/switchboard?q=1#top', 'https://docs.example.com/switchboard?q=1#top'],
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['http://example.com/', null],
    ['https://user:secret@example.com/', null],
    ['https://user@example.com/', null],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['smb://server/share', null],
    ['ssh://root@host', null],
    ['mailto:someone@example.com', null],
    ['app://switchboard/', null],
    ['data:text/html,hi', null],
    ['ms-msdt:/id PCWDiagnostic', null],
    ['https:', null],
    ['', null],
    ['not a url', null],
  ])('%s → %s', (url, expected) => {
    expect(safeExternalUrl(url)).toBe(expected);
    expect(mayOpenExternally(url)).toBe(expected !== null);
  });
});

describe('rendererFileFor', () => {
  const root = '/app/out/renderer';
  it.each<[string, string | null]>([
    ['app://switchboard/', '/app/out/renderer/index.html'],
    ['app://switchboard', '/app/out/renderer/index.html'],
    ['app://switchboard/index.html', '/app/out/renderer/index.html'],
    ['app://switchboard/assets/index.js?v=2#x', '/app/out/renderer/assets/index.js'],
    ['app://switchboard/assets/font%20name.woff2', '/app/out/renderer/assets/font name.woff2'],
    ['app://switchboard/customers/42', '/app/out/renderer/customers/42'],
    ['app://switchboard/..foo', '/app/out/renderer/..foo'],
    ['app://switchboard/../../etc/passwd', '/app/out/renderer/etc/passwd'], // URL parsing already collapses dot segments
    ['app://switchboard/%2e%2e/%2e%2e/etc/passwd', '/app/out/renderer/etc/passwd'],
    ['app://switchboard/assets/..%2f..%2f..%2fetc%2fpasswd', null],
    ['app://switchboard/..%2Fmain%2Felectron.cjs', null],
    ['app://switchboard/%2e%2e%2f', null],
    ['app://switchboard/%2Fetc%2Fpasswd', '/app/out/renderer/etc/passwd'],
    ['app://switchboard/a%00.html', null],
    ['app://switchboard/%E0%A4%A', null],
    ['app://evil/index.html', null],
    ['app://switchboard.evil/index.html', null],
    ['file:///app/out/renderer/index.html', null],
    ['https://switchboard/index.html', null],
  ])('%s → %s', (url, expected) => {
    expect(rendererFileFor(root, url, path.posix)).toBe(expected);
  });

  it.each<[string, string | null]>([
    ['app://switchboard/assets/app.css', 'C:\\App\\out\\renderer\\assets\\app.css'],
    ['app://switchboard/..%5C..%5Cmain%5Celectron.cjs', null],
    ['app://switchboard/assets%5C..%5C..%5Csecret', null],
    ['app://switchboard/C:%5CWindows%5Cwin.ini', null],
    ['app://switchboard/D:/secret.txt', null],
    ['app://switchboard/%5C%5Cserver%5Cshare%5Cx', null],
  ])('on Windows: %s → %s', (url, expected) => {
    expect(rendererFileFor('C:\\App\\out\\renderer', url, path.win32)).toBe(expected);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('locks everything down to the app origin', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
    );
  });
});

describe('dataDirFlag', () => {
  it.each<[string[], string | undefined]>([
    [['electron', '.', '--data-dir', '/tmp/sb'], '/tmp/sb'],
    [['electron', '.', '--data-dir=/tmp/sb'], '/tmp/sb'],
    [['Switchboard', '--no-sandbox', '--data-dir', 'rel/dir', '--inspect'], 'rel/dir'],
    [['electron', '.'], undefined],
    [['electron', '.', '--data-dir'], undefined],
    [['electron', '.', '--data-dir', '--inspect=0'], undefined],
    [['electron', '.', '--data-dir='], undefined],
    [['electron', '.', '--', '--data-dir', '/tmp/x'], undefined],
    [['electron', '.', '--data-directory', '/tmp/x'], undefined],
  ])('%j → %s', (argv, expected) => {
    expect(dataDirFlag(argv)).toBe(expected);
  });
});

describe('LOCKED_DOWN_WEB_PREFERENCES (the app window and every console window)', () => {
  it('sandboxes and isolates the renderer and gives it no Node, webviews or mixed content', () => {
    expect(LOCKED_DOWN_WEB_PREFERENCES).toMatchObject({
      sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, nodeIntegrationInWorker: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    });
  });
});
