/**
 * Links handed to the operating system for TeamViewer, AnyDesk, Webex and Teams. Every builder
 * re-validates its input here, even if the profile parser already did, because these strings leave
 * the process: a partner ID that smuggles "&" or a newline, or a meeting URL whose host only looks
 * like webex.com, must never reach the system opener.
 */
import { ApiError } from '../../../contract/errors';
import { anydeskId, teamviewerId } from '../../../contract/domain/fields';

export const ALLOWED_EXTERNAL_SCHEMES: readonly string[] = Object.freeze(['https:', 'teamviewer10:', 'anydesk:']);

export type MeetingMethod = 'webex' | 'teams';

export const MEETING_DOMAINS: Record<MeetingMethod, readonly string[]> = Object.freeze({
  webex: Object.freeze(['webex.com']),
  teams: Object.freeze(['teams.microsoft.com', 'teams.live.com']),
});

const MAX_URL_LENGTH = 2048;

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** `teamviewer10://control?device=<id>` for a partner ID of exactly 9 or 10 ASCII digits. */
export function teamviewerLink(partnerId: string): string {
  if (typeof partnerId !== 'string' || !teamviewerId.safeParse(partnerId).success || !/^[0-9]{9,10}$/.test(partnerId)) {
    throw new ApiError('INVALID_INPUT', `${show(partnerId)} is not a TeamViewer ID: a TeamViewer ID is 9 or 10 digits (0–9), nothing else`);
  }
  return `teamviewer10://control?device=${partnerId}`;
}

/** `anydesk:<id>` for 9 or 10 ASCII digits, or a lower-case alias ending in "@ad". */
export function anydeskLink(partnerId: string): string {
  const shape = /^([0-9]{9,10}|[a-z0-9][a-z0-9._-]{0,39}@ad)$/;
  if (typeof partnerId !== 'string' || !anydeskId.safeParse(partnerId).success || !shape.test(partnerId)) {
    throw new ApiError(
      'INVALID_INPUT',
      `${show(partnerId)} is not an AnyDesk ID: use 9 or 10 digits, or an alias ending in "@ad" (lower-case letters, digits, ".", "_", "-")`,
    );
  }
  return `anydesk:${partnerId}`;
}

function refuse(method: MeetingMethod, url: unknown, why: string): never {
  const label = method === 'webex' ? 'Webex' : 'Teams';
  throw new ApiError('INVALID_INPUT', `${show(url)} is not a ${label} meeting link: ${why}`);
}

/**
 * The normalised href of a meeting link on an allow-listed domain. Only plain https on the default
 * port; the host must be the domain itself or a subdomain of it at a label boundary. Raw input must
 * be printable ASCII, so look-alike letters, full-width dots, whitespace and control characters are
 * refused before parsing; punycode labels and IP hosts are refused after.
 */
export function meetingLink(method: MeetingMethod, url: string): string {
  const domains = Object.prototype.hasOwnProperty.call(MEETING_DOMAINS, method) ? MEETING_DOMAINS[method] : undefined;
  if (!domains) throw new ApiError('INVALID_INPUT', `${show(method)} is not a meeting method; use webex or teams`);
  if (typeof url !== 'string' || url.length === 0) refuse(method, url, 'a link is required');
  if (url.length > MAX_URL_LENGTH) refuse(method, url, `a link is at most ${MAX_URL_LENGTH} characters`);
  if (!/^[\x21-\x7e]+$/.test(url)) refuse(method, url, 'it contains spaces, control characters or non-ASCII characters');
  if (url.includes('\\')) refuse(method, url, 'it contains a backslash');
  if (!/^https:\/\/[^/]/i.test(url)) refuse(method, url, 'it must start with https://');
  const authority = /^https:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  if (authority.includes('@')) refuse(method, url, 'a user name or password ("@") is not allowed before the host');
  if (authority.includes('%')) refuse(method, url, 'percent escapes are not allowed in the host');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    refuse(method, url, 'it is not a valid URL');
  }
  if (parsed.protocol !== 'https:') refuse(method, url, 'only https links are opened');
  if (parsed.username !== '' || parsed.password !== '') refuse(method, url, 'a user name or password is not allowed');
  if (parsed.port !== '') refuse(method, url, `port ${parsed.port} is not allowed; meeting links use the default https port`);
  const host = parsed.hostname;
  if (host.startsWith('[') || /^[0-9.]+$/.test(host) || /\.[0-9]+$/.test(host)) refuse(method, url, 'an IP address is not a meeting host');
  if (host.endsWith('.')) refuse(method, url, 'the host ends with a dot');
  if (host.split('.').some((label) => label.startsWith('xn--'))) {
    refuse(method, url, 'internationalised (punycode) host names are not allowed; they can imitate the real domain');
  }
  const allowed = domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
  if (!allowed) refuse(method, url, `the host "${host}" is not ${domains.join(' or ')} or a subdomain of it`);
  return parsed.href;
}
