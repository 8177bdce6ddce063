/**
 * Field validators shared by the API contract (window → main) and the profile-file parser, so a
 * value is judged the same way wherever it enters. Every message is written for a person.
 */
import { z } from 'zod';
import { checkAddress } from './address';
import { allowRangeProblem, hostAddressProblem, isLoopbackAddress } from './allow-range';
import { parseAllowEntry } from './cidr';
import { COMPONENTS, METHODS, NOTE_BODY_MAX_BYTES, NOTE_TITLE_MAX, PACKAGES, VNC_CLIPBOARD, VPN_CLIENTS, WEEKDAYS } from './vocabulary';

const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

function uniqueList<T extends z.ZodTypeAny>(item: T, what: string, notAList: string) {
  return z.array(item, { error: notAList }).superRefine((items, ctx) => {
    const seen = new Set<unknown>();
    items.forEach((value, index) => {
      if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [index], message: `${what} "${String(value)}" is listed twice` });
      seen.add(value);
    });
  });
}

/** Customer and site names appear in "CUSTOMER/SITE" references, so they may not contain "/". */
export const displayName = z
  .string({ error: 'a name is required' })
  .trim()
  .min(1, 'a name is required')
  .max(100, 'a name may be at most 100 characters')
  .regex(NO_CONTROL_CHARS, 'a name may not contain control characters')
  .refine((s) => !s.includes('/'), 'a name may not contain "/" (it separates customer and site in references)');

export const hostName = z
  .string({ error: 'a host name is required' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a host name is 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const credentialName = z
  .string({ error: 'a credential name is required' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a credential name is 1–64 letters, digits, ".", "_" or "-"');

export const address = z.string({ error: 'an address is required' }).transform((text, ctx) => {
  const result = checkAddress(text);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }
  return result.address.value;
});

export const allowEntry = z.string({ error: 'an allow-list entry must be an IP address or CIDR' }).superRefine((text, ctx) => {
  const result = parseAllowEntry(text);
  if (!result.ok) return void ctx.addIssue({ code: 'custom', message: result.reason });
  // Loopback depends on the host's own address, so refineHostAddresses judges it with the host.
  const problem = allowRangeProblem(result.cidr, true);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * The address rules that need the whole host (form, API and profile file alike): its own IP may not
 * be unspecified, link-local, multicast or broadcast, and loopback entries are for a loopback host only.
 */
export function refineHostAddresses(host: { address?: string; allow: string[] }, ctx: z.RefinementCtx): void {
  const addressProblem = hostAddressProblem(host.address);
  if (addressProblem) ctx.addIssue({ code: 'custom', path: ['address'], message: addressProblem });
  if (isLoopbackAddress(host.address)) return;
  host.allow.forEach((text, index) => {
    const parsed = parseAllowEntry(text);
    if (!parsed.ok || allowRangeProblem(parsed.cidr, true)) return; // already reported by allowEntry
    const problem = allowRangeProblem(parsed.cidr, false);
    if (problem) ctx.addIssue({ code: 'custom', path: ['allow', index], message: problem });
  });
}

export const timezone = z.string({ error: 'a time zone is required' }).refine((zone) => {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}, 'not a known IANA time zone (for example Asia/Kolkata or Europe/Berlin)');

export const isoDate = z.string({ error: 'a date must be written YYYY-MM-DD' }).superRefine((text, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = new Date(`${text}T00:00:00Z`);
  if (!m || Number.isNaN(date.getTime()) || !date.toISOString().startsWith(text)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a real date in the form YYYY-MM-DD` });
  }
});

export const port = z
  .number({ error: 'a port must be a number' })
  .int('a port must be a whole number')
  .min(1, 'a port must be between 1 and 65535')
  .max(65535, 'a port must be between 1 and 65535');

export const sshHostKey = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a host key is its SHA256 fingerprint as OpenSSH prints it: "SHA256:" and 43 base64 characters');

export const certSha256 = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a certificate fingerprint is 32 hex byte pairs separated by ":"'));

export const urlPath = z
  .string()
  .regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/, 'a path starts with "/" and holds only URL path characters');

export const teamviewerId = z.string().regex(/^[0-9]{9,10}$/, 'a TeamViewer ID is 9 or 10 digits');
export const anydeskId = z
  .string()
  .regex(/^([0-9]{9,10}|[a-z0-9][a-z0-9._-]{0,39}@ad)$/, 'an AnyDesk ID is 9 or 10 digits, or an alias ending in "@ad"');

export const method = z.enum(METHODS, { error: `not an access method; use one of ${METHODS.join(', ')}` });
export const methodList = uniqueList(method, 'method', 'approved methods are a list, e.g. [ssh, https]');
export const component = z.enum(COMPONENTS, { error: `not a component; use one of ${COMPONENTS.join(', ')}` });
export const componentList = uniqueList(component, 'component', 'components are a list, e.g. [acd, ivr]');
export const weekday = z.enum(WEEKDAYS, { error: `not a weekday; use one of ${WEEKDAYS.join(', ')}` });
export const weekdayList = uniqueList(weekday, 'weekday', 'working days are a list, e.g. [mon, tue, wed, thu, fri]').min(1, 'at least one working day is required');
export const supportPackage = z.enum(PACKAGES, { error: `the support guide defines only the "premium" package` });
export const vncClipboard = z.enum(VNC_CLIPBOARD, { error: `not a clipboard setting; use one of ${VNC_CLIPBOARD.join(', ')}` });
export const vpnClient = z.enum(VPN_CLIENTS, { error: `not a VPN client; use one of ${VPN_CLIENTS.join(', ')}` });
export const holidayList = uniqueList(isoDate, 'holiday', 'holidays are a list of dates, e.g. [2026-01-26, 2026-12-25]');
export const allowList = uniqueList(allowEntry, 'allow-list entry', 'an allow-list is a list of IP addresses or CIDRs, e.g. [10.20.0.11/32]');

export const seats = z.number({ error: 'seats must be a number' }).int('seats must be a whole number').min(1, 'a site has at least 1 seat').max(100000, 'at most 100000 seats');
export const peakCalls = z.number({ error: 'peak calls must be a number' }).int('peak calls must be a whole number').min(0, 'peak calls cannot be negative').max(1000000, 'at most 1000000 calls');
export const retentionDays = z.number({ error: 'retention must be a number of days' }).int('retention is a whole number of days').min(1, 'retention is at least 1 day').max(3650, 'retention is at most 3650 days');
export const productVersion = z.string().trim().max(50, 'a product version is at most 50 characters').regex(NO_CONTROL_CHARS, 'no control characters');
export const role = z.string().trim().max(50, 'a role is at most 50 characters').regex(NO_CONTROL_CHARS, 'no control characters');

export const contact = z.strictObject({
  name: displayName,
  role: role.optional(),
  phone: z.string().regex(/^\+?[0-9][0-9 ()-]{2,29}$/, 'a phone number holds digits, spaces, "(", ")", "-" and an optional leading "+"').optional(),
  email: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an e-mail address').optional(),
});

export const noteTitle = z.string().trim().min(1, 'a note needs a title').max(NOTE_TITLE_MAX, `a title is at most ${NOTE_TITLE_MAX} characters`);
export const noteBody = z.string().refine(
  (body) => new TextEncoder().encode(body).length <= NOTE_BODY_MAX_BYTES,
  `a note is at most ${NOTE_BODY_MAX_BYTES / 1024} KiB; split it into several notes`,
);
