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

/**
 * The record's sentence, e.g. "host Acme/Pune/pbx1 changed: allow 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5".
 * Kept in the record itself, so every reader (window, CLI, an exported copy) shows the same words.
 */
export function describeChange(change: {
  entity: PolicyEntityKind; change: 'added' | 'changed' | 'removed'; path: string; fields: readonly string[]; before: Row | null; after: Row | null;
}): string {
  const head = `${ENTITY_LABEL[change.entity]} ${change.path} ${change.change}`;
  if (change.change !== 'changed') return head;
  const parts = change.fields.map((f) => `${f} ${showValue(change.before?.[f])} → ${showValue(change.after?.[f])}`);
  return `${head}: ${parts.join('; ')}`;
}
