/**
 * The Electron shell's security decisions as pure functions (no `electron` import), so they are
 * unit-tested under plain Node. The Electron-facing files only gather facts and obey these answers.
 */
import nodePath from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Every window's renderer: sandboxed, isolated, no Node anywhere (frames and workers included), no webviews. */
export const LOCKED_DOWN_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for `app://switchboard/...`: no port, no credentials, no look-alike host. */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export interface SenderFacts {
  /** URL of the frame that sent the IPC message; null once that frame navigated away or was destroyed. */
  frameUrl: string | null;
  /** The frame has no parent (not an iframe). */
  isMainFrame: boolean;
  /** The message came from the webContents of Switchboard's own window. */
  fromAppWindow: boolean;
}

/** Why an IPC sender is refused, or null when it may call the API. */
export function senderRejection(sender: SenderFacts): string | null {
  if (!sender.fromAppWindow) return 'Only the Switchboard window may call the API.';
  if (sender.frameUrl === null) return 'The calling frame is gone (it navigated away or closed).';
  if (!sender.isMainFrame) return 'Embedded frames may not call the API.';
  if (!isAppUrl(sender.frameUrl)) return `Pages outside ${APP_ORIGIN} may not call the API.`;
  return null;
}

export const isAllowedSender = (sender: SenderFacts): boolean => senderRejection(sender) === null;

/**
 * The URL to hand to the OS browser, re-serialised from the parse, or null when it must not leave
 * the app: only https with a real host and no embedded credentials (no file:, smb:, custom
 * handlers or javascript:, which the OS would happily run).
 */
export function safeExternalUrl(url: string): string | null {
  const parsed = parseUrl(url);
  if (parsed === null || parsed.protocol !== 'https:' || parsed.hostname === '') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

export const mayOpenExternally = (url: string): boolean => safeExternalUrl(url) !== null;

/**
 * The file under `rendererRoot` that an `app://switchboard/...` request names, or null when the
 * request is for another origin or would escape the folder (`..`, encoded separators, drive
 * letters, NUL). `/` means index.html. `pathImpl` is injectable so Windows rules are testable on Linux.
 */
export function rendererFileFor(rendererRoot: string, requestUrl: string, pathImpl: nodePath.PlatformPath = nodePath): string | null {
  if (!isAppUrl(requestUrl)) return null;
  const parsed = new URL(requestUrl);
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = pathname.replace(/^\/+/, '') || 'index.html';
  const root = pathImpl.resolve(rendererRoot);
  const file = pathImpl.resolve(root, relative);
  const fromRoot = pathImpl.relative(root, file);
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${pathImpl.sep}`) || pathImpl.isAbsolute(fromRoot)) return null;
  return file;
}
