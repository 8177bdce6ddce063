/**
 * Profile import errors are read by the person who wrote the file, not by a programmer: where a
 * problem is ("customer 1 (Acme Telecom), site 2 (pune-dr), host 3 (app01), SSH port") and what is
 * wrong with it, in words, never a schema library's own text or a bracketed path.
 */
import type { z } from 'zod';

/** Lists whose entries are named after their `name` (or `title`) in a location. */
const NAMED_ENTRY: Record<string, string> = { customers: 'customer', sites: 'site', hosts: 'host', contacts: 'contact', notes: 'note' };
/** Lists of plain values: an entry is named by its position and its value. */
const VALUE_ENTRY: Record<string, string> = {
  allow: 'allow-list entry', folders: 'folder', holidays: 'holiday', workdays: 'working day', components: 'component', approved_methods: 'approved method',
};
/** Sections whose fields read as one phrase: "SSH port", "VPN gateway". */
const SECTIONS: Record<string, string> = { ssh: 'SSH', https: 'HTTPS', vnc: 'VNC', vpn: 'VPN', retention: 'retention', files: 'file transfer' };
const FIELDS: Record<string, string> = {
  version: 'version', customers: 'customer list', sites: 'site list', hosts: 'host list', contacts: 'contact list', notes: 'note list',
  package: 'support package', timezone: 'time zone', workdays: 'working days', holidays: 'holidays', peak_calls: 'peak calls',
  product_version: 'product version', approved_methods: 'approved methods', components: 'components', ameyodb_days: 'ameyodb days',
  reportsdb_days: 'reportsdb days', allow: 'allow-list', host_key: 'host key', cert_sha256: 'certificate fingerprint', jump: 'jump host',
  transfer: 'setting', view_only: 'view-only setting', clipboard: 'clipboard setting', tls_cert_sha256: 'TLS certificate fingerprint', anydesk: 'AnyDesk ID', teamviewer: 'TeamViewer ID', agent: 'agent setting',
};

const short = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
const fieldWords = (key: string) => FIELDS[key] ?? key.replaceAll('_', ' ');

function child(node: unknown, key: PropertyKey): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as Record<PropertyKey, unknown>)[key];
}

function entryName(entry: unknown): string | null {
  const name = child(entry, 'name') ?? child(entry, 'title');
  return typeof name === 'string' && name.trim() !== '' ? short(name) : null;
}

/** The location of `path` inside the document as it was read (before validation), in words. */
export function locationInWords(document: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node = document;
  let section: string | null = null;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next = path[i + 1];
    const value = child(node, key);
    if (typeof key === 'string' && typeof next === 'number') {
      const entry = child(value, next);
      const named = NAMED_ENTRY[key];
      const listed = VALUE_ENTRY[key];
      if (named) {
        const name = entryName(entry);
        parts.push(`${named} ${next + 1}${name ? ` (${name})` : ''}`);
      } else {
        const shown = typeof entry === 'string' || typeof entry === 'number' ? ` (${short(String(entry))})` : '';
        parts.push(`${section ? `${section} ` : ''}${listed ?? `${fieldWords(key)} entry`} ${next + 1}${shown}`);
      }
      section = null;
      node = entry;
      i++;
      continue;
    }
    if (typeof key === 'string' && SECTIONS[key] && next !== undefined) {
      section = SECTIONS[key];
    } else {
      parts.push(`${section ? `${section} ` : ''}${typeof key === 'string' ? (SECTIONS[key] ?? fieldWords(key)) : `entry ${Number(key) + 1}`}`);
      section = null;
    }
    node = value;
  }
  return parts.join(', ');
}

/** True when the document has nothing at `path` (a required key left out), whatever the field's own wording. */
export function isMissing(document: unknown, path: readonly PropertyKey[]): boolean {
  let node = document;
  for (const key of path) node = child(node, key);
  return node === undefined;
}

/** "Customer 1 (Acme Telecom), site 2 (pune-dr): the time zone …" — a sentence that starts with where. */
export function sentence(location: string, message: string): string {
  const text = location === '' ? message : `${location}: ${message}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function kindOf(input: unknown): string {
  if (input === null) return 'empty';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return `the text "${short(input)}"`;
  if (typeof input === 'number') return `the number ${input}`;
  if (typeof input === 'boolean') return `${input}`;
  if (typeof input === 'object') return 'a mapping of keys and values';
  return 'something else';
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list (lines starting with "- ")', object: 'a mapping of keys and values', string: 'text', number: 'a number',
  int: 'a whole number', boolean: 'true or false', literal: 'a fixed value',
};

export const MISSING = 'is missing, and it is required';

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

/**
 * Words for the schema's own checks that carry no message of their own (a wrong type, an unknown or
 * missing key, a value outside a list). Checks with a message (most field validators) keep theirs.
 */
export const profileErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return MISSING;
      return `should be ${TYPE_WORDS[issue.expected] ?? issue.expected}, but it is ${kindOf(issue.input)}`;
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `${issue.keys.length > 1 ? `${keys} are not fields` : `${keys} is not a field`} Switchboard knows here (check the spelling; docs/profile-format.md lists every field)`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${plural(issue.minimum, 'entry', 'entries')}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${plural(issue.minimum, 'character', 'characters')} long`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return `may have at most ${plural(issue.maximum, 'entry', 'entries')}`;
      if (issue.origin === 'string') return `may be at most ${plural(issue.maximum, 'character', 'characters')} long`;
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return 'is not written in the form this field takes (see docs/profile-format.md)';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'is none of the forms this field takes (see docs/profile-format.md)';
    case 'invalid_key':
    case 'invalid_element':
      return 'has an entry this field does not take';
    default:
      return 'is not accepted here (see docs/profile-format.md)';
  }
};

/** YAML reader errors by their code, in words; the reader's own text is for parser authors. */
const YAML_WORDS: Record<string, string> = {
  DUPLICATE_KEY: 'the same key appears twice in one mapping',
  TAB_AS_INDENT: 'a tab is used to indent; indent with spaces',
  BAD_INDENT: 'the indentation is off: keys of one mapping must line up',
  MISSING_CHAR: 'a quote or bracket is opened but not closed',
  MULTILINE_IMPLICIT_KEY: 'a key runs over more than one line (is a colon or quote missing?)',
  BLOCK_AS_IMPLICIT_KEY: 'a key runs over more than one line (is a colon or quote missing?)',
  BAD_SCALAR_START: 'a value starts with a character that needs quotes around the value',
  UNEXPECTED_TOKEN: 'there is a character here that does not belong (often a missing quote, colon or bracket)',
  BAD_DIRECTIVE: 'a line starts with "%", which YAML reads as a directive',
  BAD_ALIAS: 'an alias ("*name") points nowhere',
  MULTIPLE_DOCS: 'the file holds more than one document ("---"); put everything in one',
};

export function yamlErrorWords(code: string): string {
  return `${YAML_WORDS[code] ?? 'this part cannot be read'} (the file is not valid YAML or JSON)`;
}
