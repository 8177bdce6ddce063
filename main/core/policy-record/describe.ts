import { FILE_TRANSFER_WORDS, type FileTransfer } from '../../../contract/domain/file-transfer';
import type { PolicyEntityKind, Row } from './entities';

const ENTITY_LABEL: Record<PolicyEntityKind, string> = { customer: 'customer', site: 'site', host: 'host', approval: 'exception approval' };

/** How a field's value reads in one line: lists joined, endpoints as key=value, nothing as "none". */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(showValue).join(', ');
  if (typeof value === 'object') {
    const parts = Object.entries(value as Row).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${showValue(v)}`);
    return parts.length === 0 ? 'on' : parts.join(' ');
  }
  return String(value);
}

const transferWords = (value: unknown) => FILE_TRANSFER_WORDS[value as FileTransfer] ?? showValue(value);
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Fields added after the first records were written read in words of their own ("file transfer: off →
 * download only; folders: + /var/log/ameyo"); the older ones keep the wording their records already have.
 */
const FIELD_WORDS: Readonly<Record<string, (before: unknown, after: unknown) => string>> = {
  fileTransfer: (before, after) => `file transfer: ${transferWords(before)} → ${transferWords(after)}`,
  fileFolders: (before, after) => {
    const was = asList(before);
    const now = asList(after);
    const moves = [...now.filter((f) => !was.includes(f)).map((f) => `+ ${showValue(f)}`), ...was.filter((f) => !now.includes(f)).map((f) => `− ${showValue(f)}`)];
    const reordered = moves.length === 0 ? [`${showValue(was)} → ${showValue(now)}`] : [];
    return `folders: ${[...moves, ...reordered].join(', ')}${now.length === 0 ? ' (no folder limit now)' : ''}`;
  },
};

/**
 * The record's sentence, e.g. "host Acme/Pune/pbx1 changed: allow 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5".
 * Kept in the record itself, so every reader (window, CLI, an exported copy) shows the same words.
 */
export function describeChange(change: {
  entity: PolicyEntityKind; change: 'added' | 'changed' | 'removed'; path: string; fields: readonly string[]; before: Row | null; after: Row | null;
}): string {
  const head = `${ENTITY_LABEL[change.entity]} ${change.path} ${change.change}`;
  if (change.change !== 'changed') return head;
  const parts = change.fields.map((f) => FIELD_WORDS[f]?.(change.before?.[f], change.after?.[f]) ?? `${f} ${showValue(change.before?.[f])} → ${showValue(change.after?.[f])}`);
  return `${head}: ${parts.join('; ')}`;
}
