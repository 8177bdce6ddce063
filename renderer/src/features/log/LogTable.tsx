import { Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import type { SessionRecordView } from '../../../../contract/models';
import { METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import { formatBytes, formatDuration } from '../../lib/sla';
import { RecordKindBadge } from './RecordKindBadge';
import { recordLine } from './record-line';

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
const bytes = (r: SessionRecordView) => (r.bytesIn === null && r.bytesOut === null ? '—' : `${formatBytes(r.bytesIn)} / ${formatBytes(r.bytesOut)}`);

/** Below this width the table folds pairs of columns into one cell rather than cutting columns off. */
const COMPACT_BELOW_PX = 1100;

/** One line that ends in … when it does not fit; the whole text on hover. */
function Cut({ text, mono, dimmed }: { text: string | null; mono?: boolean; dimmed?: boolean }) {
  return <Text size="xs" truncate="end" className={mono ? 'sb-mono' : undefined} c={dimmed ? 'dimmed' : undefined} title={text ?? undefined}>{dim(text)}</Text>;
}

function SummaryCell({ summary }: { summary: string | null }) {
  if (!summary) return <Text size="xs" c="dimmed">—</Text>;
  return <Tooltip label={summary} multiline w={320}><Text size="xs" truncate="end">{summary}</Text></Tooltip>;
}

// Headers may wrap onto a second line rather than spill into the next column.
const th = (label: string, width?: string) => <Table.Th key={label} style={{ width, overflow: 'hidden', textOverflow: 'ellipsis' }} title={label}>{label}</Table.Th>;

function WideRow({ r }: { r: SessionRecordView }) {
  return (
    <>
      <Table.Td style={{ whiteSpace: 'nowrap' }} title={r.startedAt}>{when(r.startedAt)}</Table.Td>
      <Table.Td data-testid="log-cell-engineer"><Cut text={r.engineer} /></Table.Td>
      <Table.Td><Cut text={r.ticket} mono /></Table.Td>
      <Table.Td><Cut text={r.site} /></Table.Td>
      <Table.Td><Cut text={r.host} /></Table.Td>
      <Table.Td><Cut text={methodLabel(r.method)} /></Table.Td>
      <Table.Td><Cut text={r.target} mono /></Table.Td>
      <Table.Td><Cut text={r.address} mono /></Table.Td>
      <Table.Td><DecisionBadge decision={r.decision} /></Table.Td>
      <Table.Td><OutcomeBadge outcome={r.outcome} /></Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{duration(r)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{bytes(r)}</Table.Td>
      <Table.Td><SummaryCell summary={r.summary} /></Table.Td>
    </>
  );
}

/** The same facts, two to a cell: started over duration and bytes, site over host, method over address. */
function CompactRow({ r }: { r: SessionRecordView }) {
  return (
    <>
      <Table.Td title={r.startedAt}><Text size="xs" style={{ whiteSpace: 'nowrap' }}>{when(r.startedAt)}</Text><Cut text={`${duration(r)} · ${bytes(r)}`} dimmed /></Table.Td>
      <Table.Td data-testid="log-cell-engineer"><Cut text={r.engineer} /></Table.Td>
      <Table.Td><Cut text={r.ticket} mono /></Table.Td>
      <Table.Td><Cut text={r.site} /><Cut text={r.host} dimmed /></Table.Td>
      <Table.Td title={r.target ?? undefined}><Cut text={methodLabel(r.method)} /><Cut text={r.address ?? r.target} mono dimmed /></Table.Td>
      <Table.Td><Stack gap={2} align="flex-start"><DecisionBadge decision={r.decision} /><OutcomeBadge outcome={r.outcome} /></Stack></Table.Td>
      <Table.Td><SummaryCell summary={r.summary} /></Table.Td>
    </>
  );
}

/**
 * A record that is not a session (a policy change, an approval step, a roster …) has no method, address,
 * decision or bytes: after who, when and the ticket, one cell across the rest says what it is.
 */
function ChainRow({ r, span }: { r: SessionRecordView; span: number }) {
  const line = recordLine(r);
  return (
    <>
      <Table.Td style={{ whiteSpace: 'nowrap' }} title={r.startedAt}>{when(r.startedAt)}</Table.Td>
      <Table.Td data-testid="log-cell-engineer"><Cut text={r.engineer} /></Table.Td>
      <Table.Td><Cut text={r.ticket} mono /></Table.Td>
      <Table.Td colSpan={span} data-testid="log-cell-record">
        <Group gap={8} wrap="nowrap">
          <RecordKindBadge kind={r.kind} />
          <Text size="xs" truncate="end" title={r.description ?? line} style={{ minWidth: 0 }}>{line}</Text>
        </Group>
      </Table.Td>
    </>
  );
}

// Shares of the table's width, adding up to 100 %: with fixed pixel columns beside percentages the
// columns could add up to more than the table and leave Summary with no width at all.
const WIDE_HEADERS = [
  th('Time', '10%'), th('Engineer', '8%'), th('Ticket', '6%'), th('Customer / site', '9%'), th('Host', '6%'), th('Method', '5%'), th('Target', '7%'),
  th('Address', '8%'), th('Decision', '7%'), th('Outcome', '10%'), th('Duration', '7%'), th('Bytes ↓/↑', '9%'), th('Summary', '8%'),
];
const COMPACT_HEADERS = [
  th('Time · duration', '16%'), th('Engineer', '12%'), th('Ticket', '10%'), th('Site · host', '16%'), th('Method · address', '15%'), th('Result', '15%'), th('Summary'),
];

/**
 * The session log, one row per session and one per record that is not a session. It reads its own width: wide, a column per fact; narrow
 * (a 1024-px window beside the sidebar), the same facts folded two to a cell so every column stays
 * in view. Cells cut long text with … and show it whole on hover; scrolling sideways is the last resort.
 */
export function LogTable({ records, onOpen }: { records: SessionRecordView[]; onOpen: (r: SessionRecordView) => void }) {
  const { ref, width } = useElementSize();
  const compact = width > 0 && width < COMPACT_BELOW_PX;
  return (
    <div ref={ref}>
      <Table.ScrollContainer minWidth={compact ? 600 : 1100} type="native">
        <Table verticalSpacing={6} horizontalSpacing={8} fz="xs" highlightOnHover layout="fixed" data-testid="log-table" data-layout={compact ? 'compact' : 'wide'}>
          <Table.Thead>
            <Table.Tr>{compact ? COMPACT_HEADERS : WIDE_HEADERS}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.map((r, i) => (
              <Table.Tr key={r.kind === 'session' ? r.sessionId : `#${r.seq ?? r.sessionId}`} onClick={() => onOpen(r)} style={{ cursor: 'pointer' }}
                data-testid={`log-row-${i}`} data-session={r.sessionId} data-engineer={r.engineer} data-kind={r.kind}>
                {r.kind !== 'session' ? <ChainRow r={r} span={(compact ? COMPACT_HEADERS : WIDE_HEADERS).length - 3} /> : compact ? <CompactRow r={r} /> : <WideRow r={r} />}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}
