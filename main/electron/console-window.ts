/**
 * HTTPS consoles in the desktop app: each in a window of its own, in a non-persistent session
 * partition of its own (`console-<sessionId>`: no cookies, cache or storage shared with the app or
 * another console, gone when the window closes), sandboxed, no preload. Every decision comes from
 * main/core/https/console-window-rules.ts; this file only wires Electron's events to them.
 */
import { app, BrowserWindow, dialog, session, type Session, type WebContents } from 'electron';
import {
  CERT_REJECT, ConsoleActivity, consoleCertificateVerdict, consoleDownload, consoleNavigation, consolePermission, consoleRequest, consoleWindowOpen, downloadDialogOptions,
  type ConsoleEnd, type ConsoleHost, type ConsoleSpec, type RefusedNavigation,
} from '../core';
import { handOverNavigation } from './security';
import { LOCKED_DOWN_WEB_PREFERENCES } from './policy';

/** Tells the engineer, on the console window, what was held back (once per origin and kind). */
function warn(win: BrowserWindow, title: string, message: string, detail: string): void {
  if (win.isDestroyed()) return;
  void dialog.showMessageBox(win, { type: 'warning', title, message, detail, buttons: ['OK'], noLink: true }).catch(() => undefined);
}

function lockDownSession(ses: Session, spec: ConsoleSpec, activity: ConsoleActivity, refuse: (kind: RefusedNavigation['kind'], url: string, reason: string) => void): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(consolePermission(permission).granted));
  ses.setPermissionCheckHandler((_contents, permission) => consolePermission(permission).granted);
  ses.setDevicePermissionHandler(() => false);
  ses.setCertificateVerifyProc((request, callback) => {
    const verdict = consoleCertificateVerdict({
      hostname: request.hostname, certificatePem: request.certificate.data, consoleOrigin: spec.origin, trusted: spec.trustedOrigins, pin: spec.pin,
    });
    if (verdict.result === CERT_REJECT) refuse('request', `https://${request.hostname}/`, `certificate refused: ${verdict.reason}`);
    callback(verdict.result);
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    const check = consoleRequest(details.url, spec.trustedOrigins);
    if (!check.allowed) refuse('request', details.url, check.reason);
    callback({ cancel: !check.allowed });
  });
  ses.on('will-download', (event, item) => {
    const check = consoleDownload(item.getURL(), spec.trustedOrigins);
    if (!check.allowed) {
      event.preventDefault();
      refuse('download', item.getURL(), check.reason);
      return;
    }
    // setSavePath works only synchronously inside this event, so an async dialog.showSaveDialog
    // cannot feed it (showSaveDialogSync would freeze every terminal); Electron's own save dialog,
    // with these options, asks the same question and cancels the download on Cancel.
    item.setSaveDialogOptions(downloadDialogOptions(spec.title, item.getFilename(), app.getPath('downloads')));
    item.once('done', (_done, state) => activity.download(item.getURL(), state === 'completed' ? item.getSavePath() : null, state));
  });
}

function guardContents(contents: WebContents, spec: ConsoleSpec, refuse: (kind: RefusedNavigation['kind'], url: string, reason: string) => void): void {
  handOverNavigation(contents);
  contents.on('will-navigate', (event) => {
    const check = consoleNavigation(event.url, spec.trustedOrigins, { isMainFrame: true });
    if (!check.allowed) {
      event.preventDefault();
      refuse('navigation', event.url, check.reason);
    }
  });
  contents.on('will-frame-navigate', (event) => {
    const check = consoleNavigation(event.url, spec.trustedOrigins, { isMainFrame: event.isMainFrame });
    if (!check.allowed) {
      event.preventDefault();
      refuse('frame', event.url, check.reason);
    }
  });
  contents.on('will-redirect', (event) => {
    const check = consoleNavigation(event.url, spec.trustedOrigins, { isMainFrame: event.isMainFrame });
    if (!check.allowed) {
      event.preventDefault();
      refuse('redirect', event.url, check.reason);
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    const check = consoleWindowOpen(url, spec.trustedOrigins);
    if (check.loadInConsole) void contents.loadURL(url).catch(() => undefined);
    else refuse('window', url, check.reason);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // A page's beforeunload must not keep the engineer from closing the console.
  contents.on('will-prevent-unload', (event) => event.preventDefault());
}

export class ElectronConsoleHost implements ConsoleHost {
  readonly shownIn = 'window';
  private readonly windows = new Map<string, BrowserWindow>();

  async show(spec: ConsoleSpec, onEnd: (end: ConsoleEnd) => void): Promise<void> {
    const ses = session.fromPartition(`console-${spec.sessionId}`, { cache: false });
    const activity = new ConsoleActivity();
    let win: BrowserWindow | null = null;
    let loadError: string | undefined;
    const refuse = (kind: RefusedNavigation['kind'], url: string, reason: string): void => {
      if (activity.refuse(kind, url, reason) && win) warn(win, 'Switchboard held this back', `This console may not open ${url}`, `${reason}.`);
    };
    lockDownSession(ses, spec, activity, refuse);
    win = new BrowserWindow({
      title: spec.title,
      width: 1280,
      height: 860,
      autoHideMenuBar: true,
      // No preload: the console's page gets nothing of Switchboard's.
      webPreferences: { session: ses, ...LOCKED_DOWN_WEB_PREFERENCES, safeDialogs: true },
    });
    const shown = win;
    guardContents(shown.webContents, spec, refuse);
    // The title always says which host, site and ticket this is; a page cannot rename the window.
    shown.on('page-title-updated', (event, title) => {
      event.preventDefault();
      shown.setTitle(`${spec.title} — ${title.slice(0, 120)}`);
    });
    shown.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      // -3 is ERR_ABORTED: a navigation this window refused itself, already reported.
      if (!isMainFrame || code === -3) return;
      loadError = `${url} did not load: ${description} (${code})`;
      const certificate = code <= -200 && code > -300;
      const hint = !certificate ? 'Check that the console is running and reachable.'
        : spec.pin ? 'The server\'s certificate was refused: it no longer matches the pin checked before opening.' : 'The server\'s certificate is not trusted; pin its SHA-256 on the host once the customer confirms it.';
      warn(shown, 'The console did not load', loadError, hint);
    });
    shown.on('closed', () => {
      this.windows.delete(spec.sessionId);
      onEnd(activity.end('closed', loadError));
      void ses.clearStorageData().catch(() => undefined);
    });
    this.windows.set(spec.sessionId, shown);
    // Load failures show on the window (did-fail-load); the session lasts until the window closes.
    void shown.loadURL(spec.url).catch(() => undefined);
  }

  close(sessionId: string): boolean {
    const win = this.windows.get(sessionId);
    if (!win || win.isDestroyed()) return false;
    win.close();
    return true;
  }
}
