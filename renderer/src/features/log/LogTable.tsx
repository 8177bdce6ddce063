import { Badge, Table, Text, Tooltip } from '@mantine/core';
import type { SessionRecordView } from '../../../../contract/models';
import { METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import { formatBytes, formatDuration } from '../../lib/sla';

const OUTCOME_COLORS: Readonly<Record<string, string>> = {
  allowed: 'teal', launched: 'teal', connected: 'teal', disconnected: 'gray', printed: 'blue', denied: 'red', failed: 'red', interrupted: 'orange',
};

export function DecisionBadge({ decision }: { decision: SessionRecordView['decision'] }) {
  if (!decision) return <Text size="xs" c="dimmed">—</Text>;
  return <Badge size="sm" variant="light" color={decision === 'allow' ? 'teal' : 'red'}>{decision}</Badge>;
}

export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  if (!outcome) return <Text size="xs" c="dimmed">—</Text>;
  return <Badge size="sm" variant="dot" color={OUTCOME_COLORS[outcome] ?? 'gray'}>{outcome}</Badge>;
}

export function duration(r: SessionRecordView): string {
  if (!r.endedAt) return r.outcome === 'connected' ? 'running' : '—';
  return formatDuration(new Date(r.endedAt).getTime() - new Date(r.startedAt).getTime());
}

export const methodLabel = (m: string | null): string => (m ? (METHOD_LABELS[m as Method] ?? m) : '—');

const dim = (v: string | null) => v ?? '—';
const shortTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const when = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : shortTime.format(new Date(iso)));

export function LogTable({ records, onOpen }: { records: SessionRecordView[]; onOpen: (r: SessionRecordView) => void }) {
  return (
    <Table.ScrollContainer minWidth={1180}>
      <Table verticalSpacing={6} horizontalSpacing={8} fz="xs" highlightOnHover data-testid="log-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th><Table.Th>Ticket</Table.Th><Table.Th>Customer / site</Table.Th><Table.Th>Host</Table.Th><Table.Th>Method</Table.Th>
            <Table.Th>Target</Table.Th><Table.Th>Address</Table.Th><Table.Th>Decision</Table.Th><Table.Th>Outcome</Table.Th><Table.Th>Duration</Table.Th>
            <Table.Th>Bytes ↓/↑</Table.Th><Table.Th>Summary</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((r, i) => (
            <Table.Tr key={r.sessionId} onClick={() => onOpen(r)} style={{ cursor: 'pointer' }} data-testid={`log-row-${i}`} data-session={r.sessionId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }} title={r.startedAt}>{when(r.startedAt)}</Table.Td>
              <Table.Td className="sb-mono">{dim(r.ticket)}</Table.Td>
              <Table.Td><Text size="xs" truncate maw={170} title={r.site ?? undefined}>{dim(r.site)}</Text></Table.Td>
              <Table.Td>{dim(r.host)}</Table.Td>
              <Table.Td>{methodLabel(r.method)}</Table.Td>
              <Table.Td><Text size="xs" className="sb-mono" truncate maw={150} title={r.target ?? undefined}>{dim(r.target)}</Text></Table.Td>
              <Table.Td className="sb-mono">{dim(r.address)}</Table.Td>
              <Table.Td><DecisionBadge decision={r.decision} /></Table.Td>
              <Table.Td><OutcomeBadge outcome={r.outcome} /></Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{duration(r)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.bytesIn === null && r.bytesOut === null ? '—' : `${formatBytes(r.bytesIn)} / ${formatBytes(r.bytesOut)}`}</Table.Td>
              <Table.Td>
                {r.summary ? <Tooltip label={r.summary} multiline w={320}><Text size="xs" truncate maw={160}>{r.summary}</Text></Tooltip> : <Text size="xs" c="dimmed">—</Text>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
