import { Anchor, Code, List, Stack, Text } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { formatDateTime } from '../../lib/format';
import { formatBytes } from '../../lib/sla';
import { BYTE_KEYS, detailLabel, failureText, fileName, HASH_KEYS, isIsoTime } from './detail-format';
import { TransferFactsView } from './TransferFacts';

const MONO_BREAK: CSSProperties = { wordBreak: 'break-all' };

function Primitive({ name, value }: { name: string; value: string | number | boolean }) {
  if (typeof value === 'boolean') return <Text size="xs">{value ? 'yes' : 'no'}</Text>;
  if (typeof value === 'number') return <Text size="xs" className="sb-mono">{BYTE_KEYS.has(name) ? formatBytes(value) : String(value)}</Text>;
  if (name === 'outputTail') return <Code block style={{ maxHeight: 220, overflow: 'auto', whiteSpace: 'pre-wrap' }}>{value}</Code>;
  if (name === 'url') return <Anchor href={value} target="_blank" rel="noreferrer" size="xs" className="sb-mono" style={MONO_BREAK}>{value}</Anchor>;
  if (name === 'recording') return <Text size="xs" className="sb-mono" title={value} style={MONO_BREAK}>{fileName(value)}</Text>;
  if (name === 'failure') return <Text size="xs">{failureText(value)}</Text>;
  if (name === 'forwardVia') return <Text size="xs">SSH session <span className="sb-mono" title={value}>{value.slice(0, 8)}</span></Text>;
  if (HASH_KEYS.has(name)) return <Text size="xs" className="sb-mono" style={MONO_BREAK}>{value}</Text>;
  if (isIsoTime(value)) return <Text size="xs" title={value}>{formatDateTime(value)}</Text>;
  return <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{value}</Text>;
}

function DetailValue({ name, value, depth }: { name: string; value: unknown; depth: number }): ReactNode {
  if (value === null || value === undefined) return <Text size="xs" c="dimmed">—</Text>;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return <Primitive name={name} value={value} />;
  if (name === 'command' && Array.isArray(value)) return <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{value.join(' ')}</Code>;
  // Files moved within the session: each read as a transfer, its server names escaped, never as raw fields.
  if (name === 'transfers' && Array.isArray(value) && value.length > 0) {
    return (
      <Stack gap={8} data-testid="detail-list-transfers">
        {value.map((item, i) => <TransferFactsView key={i} detail={(item ?? {}) as Record<string, unknown>} showTime />)}
      </Stack>
    );
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <Text size="xs" c="dimmed">none</Text>;
    return (
      <List size="xs" spacing={2} data-testid={`detail-list-${name}`}>
        {value.map((item, i) => <List.Item key={i}><DetailValue name={name} value={item} depth={depth + 1} /></List.Item>)}
      </List>
    );
  }
  if (typeof value === 'object') {
    // Deeper than this a definition list stops helping; the JSON is then the clearest way to read it.
    if (depth >= 3) return <Code block>{JSON.stringify(value, null, 2)}</Code>;
    return <DetailList detail={value as Record<string, unknown>} depth={depth + 1} />;
  }
  return <Text size="xs">{String(value)}</Text>;
}

/**
 * A session event's detail as a definition list: each key as a label in words, lists as lists,
 * nested records as nested lists, known values (recordings, hashes, failures, times) put into words.
 */
export function DetailList({ detail, depth = 0, testId }: { detail: Record<string, unknown>; depth?: number; testId?: string }) {
  const entries = Object.entries(detail).filter(([, v]) => v !== undefined && v !== null);
  if (entries.length === 0) return null;
  return (
    <dl className="sb-detail-list" data-depth={depth} data-testid={testId}>
      {entries.map(([key, value]) => (
        <div key={key} className="sb-detail-row" data-key={key}>
          <dt><Text size="xs" c="dimmed">{detailLabel(key)}</Text></dt>
          <dd><DetailValue name={key} value={value} depth={depth} /></dd>
        </div>
      ))}
    </dl>
  );
}
