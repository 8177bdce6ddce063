import { ApiError } from '../../../contract/errors';
import type { ExceptionRequestView } from '../../../contract/approvals';
import { METHODS, type Method } from '../../../contract/domain/vocabulary';

/**
 * The text of an exception request, as the engineer's and the lead's signatures cover it: one field per
 * line, in a fixed order, so a person reads it at a glance and a parser has no choices to make.
 *
 *   switchboard exception request v1
 *   id 3f0c…
 *   engineer ravi@example.com
 *   engineer-key SHA256:…
 *   site Acme/Berlin
 *   method vnc
 *   host pbx1                  (only when the exception is for one host)
 *   ticket T-123
 *   reason DR drill over the weekend
 *   until 2026-12-01T23:59:59Z
 *   requested 2026-11-20T10:00:00Z
 */
/** The request's fields, as the contract shows them ("Customer/Site"; `until` UTC, whole seconds). */
export type ExceptionRequest = ExceptionRequestView;

export const REQUEST_HEADER = 'switchboard exception request v1';

const FIELDS = ['id', 'engineer', 'engineer-key', 'site', 'method', 'host', 'ticket', 'reason', 'until', 'requested'] as const;
type Field = (typeof FIELDS)[number];

const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const RULES: Record<Field, { pattern: RegExp; says: string }> = {
  id: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, says: 'a lowercase UUID' },
  engineer: { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, says: 'an e-mail address' },
  'engineer-key': { pattern: /^SHA256:[A-Za-z0-9+/]{43}$/, says: 'a key fingerprint SHA256:…' },
  site: { pattern: /^\S.{0,400}\/.*\S$/, says: '"Customer/Site"' },
  method: { pattern: new RegExp(`^(${METHODS.join('|')})$`), says: `one of ${METHODS.join(', ')}` },
  host: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, says: 'a host name' },
  ticket: { pattern: /^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,63}$/, says: "the vendor's ticket id" },
  reason: { pattern: /^\S(.{0,498}\S)?$/, says: 'one line of at most 500 characters' },
  until: { pattern: UTC_SECONDS, says: 'a UTC time YYYY-MM-DDTHH:MM:SSZ' },
  requested: { pattern: UTC_SECONDS, says: 'a UTC time YYYY-MM-DDTHH:MM:SSZ' },
};

/** The request's text (ending in a newline, ready to sign). Throws INVALID_INPUT for a field that would not parse back. */
export function formatRequest(request: ExceptionRequest): string {
  const lines = [REQUEST_HEADER, ...FIELDS.flatMap((field) => {
    const value = valueOf(request, field);
    if (value === null) return [];
    check(field, value);
    return [`${field} ${value}`];
  })];
  const text = `${lines.join('\n')}\n`;
  parseRequest(text);
  return text;
}

/** Parses a request's text exactly: the header, then each field once, in order (host may be left out). */
export function parseRequest(text: string): ExceptionRequest {
  if (!text.endsWith('\n')) throw bad('it does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== REQUEST_HEADER) throw bad(`its first line is not "${REQUEST_HEADER}"`);
  const values = new Map<Field, string>();
  let next = 0;
  for (const [index, line] of lines.slice(1).entries()) {
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const position = FIELDS.indexOf(key as Field);
    if (position < 0) throw bad(`line ${index + 2} ("${shorten(line)}") is not one of its fields (${FIELDS.join(', ')})`);
    if (position < next) throw bad(`line ${index + 2}: "${key}" is out of order or repeated`);
    for (const skipped of FIELDS.slice(next, position)) if (skipped !== 'host') throw bad(`it has no "${skipped}" line`);
    const value = space < 0 ? '' : line.slice(space + 1);
    check(key as Field, value);
    values.set(key as Field, value);
    next = position + 1;
  }
  for (const missing of FIELDS.slice(next)) if (missing !== 'host') throw bad(`it has no "${missing}" line`);
  const get = (field: Field) => values.get(field)!;
  return {
    id: get('id'), engineer: get('engineer'), engineerKey: get('engineer-key'), site: get('site'), method: get('method') as Method,
    host: values.get('host') ?? null, ticket: get('ticket'), reason: get('reason'), until: get('until'), requested: get('requested'),
  };
}

/** ISO time in the request's form: UTC, whole seconds. */
export function requestTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The fields two requests differ in (empty: the same request). */
export function differingFields(a: ExceptionRequest, b: ExceptionRequest): string[] {
  return FIELDS.filter((field) => valueOf(a, field) !== valueOf(b, field));
}

function valueOf(request: ExceptionRequest, field: Field): string | null {
  switch (field) {
    case 'engineer-key': return request.engineerKey;
    case 'host': return request.host;
    default: return request[field];
  }
}

function check(field: Field, value: string): void {
  const rule = RULES[field];
  if (!rule.pattern.test(value)) throw bad(`its ${field} "${shorten(value)}" is not ${rule.says}`);
  if ((field === 'until' || field === 'requested') && (Number.isNaN(Date.parse(value)) || requestTime(new Date(value)) !== value)) throw bad(`its ${field} "${value}" is not a real date`);
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function bad(reason: string): ApiError {
  return new ApiError('INVALID_INPUT', `This is not an exception request Switchboard can read: ${reason}.`);
}
