/**
 * The HTTPS console window's decisions as pure functions, so they are tested under plain Node. The
 * Electron glue (main/electron/console-window.ts) gathers the facts Electron hands it and obeys.
 */
import path from 'node:path';
import { certificateMatchesPin, derFromPem } from './certificate-pin';
import type { ConsoleDownload, ConsoleEnd, RefusedNavigation } from './console-host';
import { MAX_REFUSED_KEPT } from './console-host';
import { isNavigationAllowed, type NavigationCheck } from './origins';

/** Chromium's answers for Session.setCertificateVerifyProc: accept, reject, or use its own verdict. */
export const CERT_ACCEPT = 0;
export const CERT_REJECT = -2;
export const CERT_USE_CHROMIUM = -3;
export type CertificateVerifyResult = typeof CERT_ACCEPT | typeof CERT_REJECT | typeof CERT_USE_CHROMIUM;

const bare = (hostname: string): string => hostname.replace(/^\[|\]$/g, '').toLowerCase();

function hostOf(origin: string): string | null {
  try {
    return bare(new URL(origin).hostname);
  } catch {
    return null;
  }
}

/**
 * A navigation of the console window or one of its frames (will-navigate, will-frame-navigate,
 * will-redirect): only the trusted origins. A subframe may also be an empty document
 * (about:blank, about:srcdoc), which runs in its parent's origin.
 */
export function consoleNavigation(url: string, trusted: readonly string[], options: { isMainFrame: boolean }): NavigationCheck {
  if (!options.isMainFrame && (url === 'about:blank' || url === 'about:srcdoc')) return { allowed: true, reason: 'an empty frame in the page\'s own origin' };
  return isNavigationAllowed(url, trusted);
}

/**
 * window.open and target=_blank: no second window is ever created (it would escape these rules);
 * a trusted URL is loaded in the console window itself, anything else is refused.
 */
export function consoleWindowOpen(url: string, trusted: readonly string[]): NavigationCheck & { loadInConsole: boolean } {
  const check = isNavigationAllowed(url, trusted);
  return { ...check, loadInConsole: check.allowed };
}

/**
 * Every request the console's partition makes (pages, scripts, XHR, WebSockets): only to its
 * trusted origins, so a console page cannot pull code from or send data to anywhere else.
 * data: and blob: URLs are made by the page itself and leave nothing.
 */
export function consoleRequest(url: string, trusted: readonly string[]): NavigationCheck {
  if (url.startsWith('data:') || url.startsWith('blob:')) return { allowed: true, reason: 'made by the page itself' };
  if (url.startsWith('wss://')) {
    const asHttps = isNavigationAllowed(`https://${url.slice('wss://'.length)}`, trusted);
    return asHttps.allowed ? { allowed: true, reason: 'a WebSocket to a trusted origin' } : asHttps;
  }
  return isNavigationAllowed(url, trusted);
}

export interface CertificateFacts {
  /** The host name Chromium is verifying (for the console: the approved IP). */
  hostname: string;
  /** The certificate the server presented, PEM (as Electron hands it over). */
  certificatePem: string;
  consoleOrigin: string;
  trusted: readonly string[];
  /** The host's pin; null when the console was accepted as CA-trusted without one. */
  pin: string | null;
}

/**
 * The console partition's certificate verifier. For the console's own host: with a pin, the pin
 * alone decides (accept on a match even though the certificate names no IP; reject a mismatch even
 * if a CA vouches for it — that is what pinning is for); without a pin, Chromium's own verdict
 * (the pre-flight already required a CA-trusted certificate). Another trusted origin gets
 * Chromium's verdict. Any other host is rejected: the console has no business there.
 */
export function consoleCertificateVerdict(facts: CertificateFacts): { result: CertificateVerifyResult; reason: string } {
  const hostname = bare(facts.hostname);
  if (hostname === hostOf(facts.consoleOrigin)) {
    if (facts.pin === null) return { result: CERT_USE_CHROMIUM, reason: `no pin for ${hostname}; Chromium's own verification decides` };
    let der: Buffer;
    try {
      der = derFromPem(facts.certificatePem);
    } catch {
      return { result: CERT_REJECT, reason: `the certificate of ${hostname} could not be read` };
    }
    return certificateMatchesPin(der, facts.pin)
      ? { result: CERT_ACCEPT, reason: `the certificate of ${hostname} matches the pin` }
      : { result: CERT_REJECT, reason: `the certificate of ${hostname} does not match the pin ${facts.pin}` };
  }
  if (facts.trusted.some((origin) => hostOf(origin) === hostname)) return { result: CERT_USE_CHROMIUM, reason: `${hostname} is a trusted origin; Chromium's own verification decides` };
  return { result: CERT_REJECT, reason: `${hostname} is not one of this console's trusted origins` };
}

/** A download the console page starts: only from its trusted origins, or made by the page (blob:, data:). */
export function consoleDownload(url: string, trusted: readonly string[]): NavigationCheck {
  if (url.startsWith('blob:') || url.startsWith('data:')) return { allowed: true, reason: 'a file the console page made' };
  return isNavigationAllowed(url, trusted);
}

/** A file name suggested by a remote page, made safe to propose in a save dialog: no folders, no control characters, no hidden files. */
export function safeDownloadName(suggested: string): string {
  const base = path.posix.basename(suggested.replace(/\\/g, '/'));
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+/, '').trim().slice(0, 200);
  return cleaned || 'download';
}

/**
 * The save dialog a console download opens (Electron's own, attached to the console window; its
 * Cancel cancels the download). The proposed name comes from the remote page, so it is cleaned.
 */
export function downloadDialogOptions(consoleTitle: string, suggestedName: string, downloadsDir: string): { title: string; defaultPath: string; buttonLabel: string } {
  return { title: `Save a file from ${consoleTitle}`, defaultPath: path.join(downloadsDir, safeDownloadName(suggestedName)), buttonLabel: 'Save' };
}

/**
 * Permission requests and checks from a console page (camera, microphone, notifications,
 * geolocation, clipboard reading, MIDI, HID…): all denied. A console needs none of them, and a
 * customer's page should not be able to reach the engineer's devices.
 */
export function consolePermission(permission: string): { granted: false; reason: string } {
  return { granted: false, reason: `${permission} is never granted to a console page` };
}

/** Collects what a console window held back and downloaded, for the session log when it closes. */
export class ConsoleActivity {
  private readonly refused: RefusedNavigation[] = [];
  private refusedCount = 0;
  private readonly downloads: ConsoleDownload[] = [];
  private readonly notified = new Set<string>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Records a refusal; true when the engineer should be told (the first time for that origin and kind). */
  refuse(kind: RefusedNavigation['kind'], url: string, reason: string): boolean {
    this.refusedCount += 1;
    this.refused.push({ at: this.now().toISOString(), kind, url: url.slice(0, 500), reason });
    if (this.refused.length > MAX_REFUSED_KEPT) this.refused.shift();
    const key = `${kind} ${originOrText(url)}`;
    if (kind === 'request' || this.notified.has(key)) return false;
    this.notified.add(key);
    return true;
  }

  download(url: string, file: string | null, state: ConsoleDownload['state']): void {
    this.downloads.push({ at: this.now().toISOString(), url: url.slice(0, 500), file, state });
  }

  end(reason: ConsoleEnd['reason'], error?: string): ConsoleEnd {
    return { reason, ...(error ? { error } : {}), refused: [...this.refused], refusedCount: this.refusedCount, downloads: [...this.downloads] };
  }
}

function originOrText(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.slice(0, 100);
  }
}
