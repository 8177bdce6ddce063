import { ApiError } from '../../../contract/errors';

export interface NavigationCheck { allowed: boolean; reason: string }

/** Parses an origin the window may visit; only https, no userinfo, no path, query or fragment. */
export function parseTrustedOrigin(text: string): string {
  const bad = (why: string): never => {
    throw new ApiError('INVALID_INPUT', `"${text}" is not a trusted origin: ${why}.`, [{ path: 'origins', message: why }]);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad('it is not a URL');
  }
  if (url.protocol !== 'https:') bad('only https origins can be trusted');
  if (url.username || url.password) bad('an origin carries no user name or password');
  if (url.pathname !== '/' || url.search || url.hash) bad('an origin has no path, query or fragment');
  if (!canonicalPrefix(text.replace(/\/$/, ''), url)) bad('write it as scheme://host[:port] exactly');
  return url.origin;
}

/**
 * The origins a console window may navigate to: its own origin, plus any extra origins given
 * explicitly (each checked with parseTrustedOrigin). Nothing is inferred from other hosts or names.
 */
export function trustedOrigins(consoleOrigin: string, extra: readonly string[] = []): string[] {
  const out = [parseTrustedOrigin(consoleOrigin)];
  for (const origin of extra) {
    const parsed = parseTrustedOrigin(origin);
    if (!out.includes(parsed)) out.push(parsed);
  }
  return out;
}

/** True when `raw` is written as the canonical `https://host[:port]` that `url` serialises to. */
function canonicalPrefix(raw: string, url: URL): boolean {
  const lower = raw.toLowerCase();
  const forms = [`https://${url.host}`];
  if (url.port === '') forms.push(`https://${url.hostname}:443`);
  return forms.some((form) => lower.startsWith(form) && /^($|[/?#])/.test(lower.slice(form.length)));
}

/**
 * Whether the console window may go to `url` (a navigation or a redirect). Only https, only an exact
 * origin match (scheme, host and port; 443 is the default), no userinfo, and only URLs written the
 * way the parser reads them, so look-alikes (numeric IPs, backslashes, stray whitespace) are refused.
 */
export function isNavigationAllowed(url: string, allowed: readonly string[]): NavigationCheck {
  const refuse = (reason: string): NavigationCheck => ({ allowed: false, reason });
  if (/[\u0000-\u0020\u007f\\]/.test(url)) return refuse('the address contains spaces, control characters or backslashes');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:') return refuse(`${parsed.protocol.replace(/:$/, '')}: addresses are never opened in a console window; only https`);
  if (parsed.username || parsed.password) return refuse('the address carries a user name or password (userinfo), which can disguise the real host');
  if (!canonicalPrefix(url, parsed)) return refuse(`the host is not written in canonical form (it would be read as ${parsed.host})`);
  const origins = new Set<string>();
  for (const entry of allowed) {
    try {
      origins.add(parseTrustedOrigin(entry));
    } catch {
      // An entry that is not a clean https origin trusts nothing.
    }
  }
  if (!origins.has(parsed.origin)) {
    return refuse(`${parsed.origin} is not one of this console's trusted origins (${[...origins].join(', ') || 'none'})`);
  }
  return { allowed: true, reason: `${parsed.origin} is a trusted origin of this console` };
}
