/** Serves the built renderer from `app://switchboard/`, a real origin that CSP 'self' and the IPC check can pin. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, rendererFileFor } from './policy';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

const plain = (status: number, text: string) => new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

export function serveRenderer(rendererRoot: string): void {
  const indexFile = path.join(rendererRoot, 'index.html');
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = rendererFileFor(rendererRoot, request.url);
    if (file === null) return plain(404, 'Not found');
    // Extension-less paths are client-side routes: reloading one must land on the app, not a 404.
    const target = (await isFile(file)) ? file : path.extname(file) === '' ? indexFile : null;
    if (target === null) return plain(404, 'Not found');
    const response = await net.fetch(pathToFileURL(target).toString());
    // webRequest.onHeadersReceived never fires for custom schemes, so the CSP is attached here too.
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });
}
