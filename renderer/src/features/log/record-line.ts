import { LOG_RECORD_LABELS, type LogKind, type LogRecordKind } from '../../../../contract/domain/log-kinds';
import type { SessionRecordView } from '../../../../contract/models';
import { detailLabel } from './detail-format';
import { FILE_TRANSFER_WORDS, type FileTransfer } from '../../../../contract/domain/file-transfer';

/**
 * How a record that is not a session reads in the log: one line for its row and, for a change to the
 * policy, its fields before → after. The core's own sentence (`description`) stays the fallback, so a
 * kind the window does not know still reads.
 */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  allow: 'allow-list', approvedMethods: 'approved methods', hostKeyPin: 'host key pin', ssh: 'SSH', https: 'HTTPS', vnc: 'VNC',
  vpn: 'VPN profile', recordInput: 'input recording', anydeskId: 'AnyDesk ID', teamviewerId: 'TeamViewer ID', deletedAt: 'in trash since',
  siteId: 'site', customerId: 'customer', peakCalls: 'peak calls', productVersion: 'product version', ameyodbDays: 'ameyodb days',
  reportsdbDays: 'reportsdb days', fileTransfer: 'file transfer', fileFolders: 'file-transfer folders', workdaysMask: 'working days', validUntil: 'valid until', approvedBy: 'approved by', recordedBy: 'recorded by',
};

const VIA_LABELS: Readonly<Record<string, string>> = {
  form: 'a form in the window', cli: 'the CLI (sites set)', import: 'a profile import', remove: 'moved to the trash', restore: 'restored from the trash',
  purge: 'the trash emptied', 'pin-first-use': 'a host key pinned on first use', 'pin-replace': 'a host key replaced', approval: 'an exception approval',
  'team-store': 'the team store\'s profile', 'team-store-redo': 'an edit redone after a team store conflict',
  unattributed: 'found at start, made outside Switchboard',
};

/** What a kind filter lists, in words for "No … on the record yet". */
export const LOG_KIND_NOUNS: Readonly<Record<LogKind, string>> = {
  session: 'sessions', 'policy-change': 'changes to the policy', approval: 'exception approval steps', team: 'identities or team rosters',
  review: 'reviews, viewings or bundles',
};

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? detailLabel(field).toLowerCase();
export const viaLabel = (via: unknown): string => (typeof via === 'string' ? VIA_LABELS[via] ?? via : '—');
export const recordKindLabel = (kind: LogRecordKind): string => LOG_RECORD_LABELS[kind] ?? kind;

/** Columns SQLite keeps as 0/1. */
const FLAG_FIELDS: ReadonlySet<string> = new Set(['recordInput', 'agent', 'viewOnly']);

/** A field's value in a line: lists joined, endpoints as key=value, flags as on/off, nothing as "none". */
export function showValue(value: unknown, field = ''): string {
  if (FLAG_FIELDS.has(field) && (value === 0 || value === 1)) return value === 1 ? 'on' : 'off';
  if (field === 'fileTransfer' && typeof value === 'string') return FILE_TRANSFER_WORDS[value as FileTransfer] ?? value;
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => showValue(v, field)).join(', ');
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${showValue(v, k)}`);
    return parts.length === 0 ? 'on' : parts.join(' ');
  }
  return String(value);
}

const asRecord = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** One changed field: its values before and after and, for a list, which items came and went. */
export interface FieldDiff { field: string; label: string; before: unknown; after: unknown; added?: unknown[]; removed?: unknown[] }

export function fieldDiffs(detail: Record<string, unknown>): FieldDiff[] {
  const before = asRecord(detail.before);
  const after = asRecord(detail.after);
  const fields = Array.isArray(detail.fields) ? detail.fields.filter((f): f is string => typeof f === 'string') : [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => {
    const b = before?.[field] ?? null;
    const a = after?.[field] ?? null;
    const diff: FieldDiff = { field, label: fieldLabel(field), before: b, after: a };
    if (Array.isArray(b) || Array.isArray(a)) {
      const was = Array.isArray(b) ? b : [];
      const now = Array.isArray(a) ? a : [];
      const key = (v: unknown) => JSON.stringify(v);
      diff.added = now.filter((v) => !was.some((w) => key(w) === key(v)));
      diff.removed = was.filter((v) => !now.some((w) => key(w) === key(v)));
    }
    return diff;
  });
}

/** What the change is about: "Acme/Pune · host pbx1", "site Acme/Pune", "customer Acme". */
function subject(r: SessionRecordView): string[] {
  const entity = r.detail.entity;
  const path = typeof r.detail.path === 'string' ? r.detail.path : null;
  if (entity === 'customer') return [`customer ${path ?? r.site ?? '?'}`];
  if (entity === 'site') return [`site ${r.site ?? path ?? '?'}`];
  if (entity === 'host') return [r.site ?? '?', `host ${r.host ?? path ?? '?'}`];
  if (entity === 'approval') return [r.site ?? path ?? '?', 'exception approval'];
  return path ? [path] : [];
}

/**
 * The row's line after its badge. A policy change: "Acme/Pune · host pbx1 · allow-list 10.0.0.0/24 →
 * 10.0.0.0/24, 10.0.1.5" (or "… · added"); anything else: its description.
 */
export function recordLine(r: SessionRecordView): string {
  if (r.kind !== 'policy-change') return r.description ?? r.summary ?? '';
  const change = r.detail.change;
  if (change !== 'changed') return [...subject(r), typeof change === 'string' ? change : 'changed'].join(' · ');
  const diffs = fieldDiffs(r.detail);
  if (diffs.length === 0) return r.description ?? [...subject(r), 'changed'].join(' · ');
  return [...subject(r), diffs.map((d) => `${d.label} ${showValue(d.before, d.field)} → ${showValue(d.after, d.field)}`).join('; ')].join(' · ');
}
