/** Locks down every web contents and the default session: strict CSP, no popups, no foreign navigation, no permissions. */
import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAppUrl, safeExternalUrl } from './policy';

function openExternally(url: string): void {
  const safe = safeExternalUrl(url);
  if (safe !== null) void shell.openExternal(safe).catch(() => undefined);
}

/** Web contents that install their own navigation rules (the HTTPS console windows). */
const ownNavigationRules = new WeakSet<WebContents>();

/** The caller holds this contents' navigation to its own rules instead of the app window's. */
export function handOverNavigation(contents: WebContents): void {
  ownNavigationRules.add(contents);
}

function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url) || ownNavigationRules.has(contents)) return;
    event.preventDefault();
    // A plain link to documentation should still work, in the user's browser.
    openExternally(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url) && !ownNavigationRules.has(contents)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Call once, after `app` is ready and before the first window. */
export function installSecurity(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    responseHeaders['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}
