/**
 * Hands a link to the operating system (TeamViewer, AnyDesk, meeting links). The opener never sees
 * a shell: the link is one argv element of xdg-open / open / rundll32, and only the schemes in
 * ALLOWED_EXTERNAL_SCHEMES, in the exact form the deep-link builders produce, are passed on.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkIpLiteral } from '../../../contract/domain/address';
import { ApiError } from '../../../contract/errors';
import { findExecutable } from '../system/find-executable';
import { OPENER_ENV_ALLOW_LIST, pickEnv } from './child-env';
import { ALLOWED_EXTERNAL_SCHEMES } from './deep-links';

/** `link`: a deep link or plain https link; `console`: an HTTPS console URL the core built (checkConsoleUrl). */
export type OpenKind = 'link' | 'console';

export interface ExternalOpener {
  open(url: string, kind?: OpenKind): Promise<void>;
}

export interface SystemExternalOpenerOptions {
  platform?: NodeJS.Platform;
  /** Source of PATH and the allow-listed variables; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the opener to report a failure (non-zero exit) before assuming success. */
  settleMs?: number;
}

const SCHEME_SHAPES: Record<string, RegExp> = {
  'teamviewer10:': /^teamviewer10:\/\/control\?device=[0-9]{9,10}$/,
  'anydesk:': /^anydesk:([0-9]{9,10}|[a-z0-9][a-z0-9._-]{0,39}@ad)$/,
};

/** What every link handed to the system must be: 1–2048 printable ASCII characters, a URL. */
function parseLink(url: string, refuse: (why: string) => never): URL {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return refuse('a link of 1–2048 characters is required');
  if (!/^[\x21-\x7e]+$/.test(url) || url.includes('\\')) return refuse('it contains spaces, control, non-ASCII or backslash characters');
  try {
    return new URL(url);
  } catch {
    return refuse('it is not a valid URL');
  }
}

/** Returns the URL if it may be handed to the system; throws INVALID_INPUT otherwise. */
export function checkExternalUrl(url: string): string {
  const refuse = (why: string): never => {
    throw new ApiError('INVALID_INPUT', `refusing to open ${JSON.stringify(String(url).slice(0, 80))}: ${why}`);
  };
  const parsed = parseLink(url, refuse);
  if (!ALLOWED_EXTERNAL_SCHEMES.includes(parsed.protocol)) {
    return refuse(`only ${ALLOWED_EXTERNAL_SCHEMES.join(' ')} links are opened, not ${parsed.protocol}`);
  }
  if (parsed.href !== url) return refuse(`it is not in normalised form (${parsed.href})`);
  const shape = SCHEME_SHAPES[parsed.protocol];
  if (shape && !shape.test(url)) return refuse(`it is not a ${parsed.protocol} link as Switchboard builds them`);
  if (parsed.protocol === 'https:' && (parsed.username || parsed.password || parsed.port)) {
    return refuse('https links may not carry a user name, password or port');
  }
  return url;
}

/**
 * An HTTPS console URL as consoleUrl() builds it for an allowed session: https to an IP literal
 * (the approved address), any port, a plain path, nothing else. Only the core's console host
 * passes `console` to the opener; links from the window always take the stricter checkExternalUrl.
 */
export function checkConsoleUrl(url: string): string {
  const refuse = (why: string): never => {
    throw new ApiError('INVALID_INPUT', `refusing to open the console address ${JSON.stringify(String(url).slice(0, 80))}: ${why}`);
  };
  const parsed = parseLink(url, refuse);
  if (parsed.protocol !== 'https:') return refuse(`a console is opened over https only, not ${parsed.protocol}`);
  if (parsed.href !== url) return refuse(`it is not in normalised form (${parsed.href})`);
  if (parsed.username || parsed.password) return refuse('it carries a user name or password');
  if (parsed.search || parsed.hash) return refuse('a console address has no query or fragment');
  if (!checkIpLiteral(parsed.hostname.replace(/^\[|\]$/g, '')).ok) return refuse('a console is opened at the IP address the policy approved, not a name');
  return url;
}

interface OpenerCommand {
  name: string;
  file: string | null;
  args: string[];
  missing: string;
}

function openerCommand(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, url: string): OpenerCommand {
  if (platform === 'win32') {
    const file = path.win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32', 'rundll32.exe');
    return { name: 'rundll32', file, args: ['url.dll,FileProtocolHandler', url], missing: `${file} was not found` };
  }
  if (platform === 'darwin') {
    const file = findExecutable('open', env.PATH ?? '') ?? (fs.existsSync('/usr/bin/open') ? '/usr/bin/open' : null);
    return { name: 'open', file, args: [url], missing: 'the macOS "open" command (/usr/bin/open) was not found' };
  }
  return {
    name: 'xdg-open',
    file: findExecutable('xdg-open', env.PATH ?? ''),
    args: [url],
    missing: 'xdg-open is not installed; install xdg-utils (apt-get install xdg-utils)',
  };
}

export class SystemExternalOpener implements ExternalOpener {
  private readonly platform: NodeJS.Platform;
  private readonly env: NodeJS.ProcessEnv;
  private readonly settleMs: number;

  constructor(options: SystemExternalOpenerOptions = {}) {
    this.platform = options.platform ?? process.platform;
    this.env = options.env ?? process.env;
    this.settleMs = options.settleMs ?? 1500;
  }

  async open(url: string, kind: OpenKind = 'link'): Promise<void> {
    const link = kind === 'console' ? checkConsoleUrl(url) : checkExternalUrl(url);
    const command = openerCommand(this.platform, this.env, link);
    if (!command.file) throw new ApiError('LAUNCHER_UNAVAILABLE', command.missing);
    const file = command.file;
    const scheme = link.slice(0, link.indexOf(':') + 1);
    const child = spawn(file, command.args, {
      shell: false,
      detached: this.platform !== 'win32',
      stdio: 'ignore',
      windowsHide: true,
      env: pickEnv(this.env, OPENER_ENV_ALLOW_LIST),
    });
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (error?: ApiError) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        child.unref();
        if (error) reject(error);
        else resolve();
      };
      child.on('error', (error: NodeJS.ErrnoException) => {
        const message = error.code === 'ENOENT' ? command.missing : `could not run ${command.name} to open the ${scheme} link: ${error.message}`;
        finish(new ApiError('LAUNCHER_UNAVAILABLE', message));
      });
      child.once('spawn', () => {
        timer = setTimeout(() => finish(), this.settleMs);
      });
      child.once('exit', (code, signal) => {
        if (code === 0) return finish();
        const how = code === null ? `was stopped by ${signal ?? 'a signal'}` : `exited with code ${code}`;
        finish(new ApiError('LAUNCHER_UNAVAILABLE', `the system could not open the ${scheme} link (${command.name} ${how}); is the application for it installed?`));
      });
    });
  }
}
