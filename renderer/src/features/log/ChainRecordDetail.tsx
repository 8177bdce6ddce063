import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { SessionRecordView } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { DetailList } from './DetailList';
import { PolicyDiff } from './PolicyDiff';
import { RecordKindBadge } from './RecordKindBadge';
import { methodLabel } from './LogTable';
import { recordLine, viaLabel } from './record-line';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <Stack gap={0}><Text size="xs" c="dimmed">{label}</Text><Text size="sm" component="div">{children}</Text></Stack>;
}

// Shown above as facts or as the diff table; the rest of the detail is listed as it is.
const SHOWN_FOR_POLICY = new Set(['before', 'after', 'fields', 'description', 'via']);

/**
 * One record that is not a session, read from the list itself (it is a single event of the chain):
 * what it says, who, when, the ticket, and — for a change to the policy — each field before → after.
 */
export function ChainRecordDetail({ record }: { record: SessionRecordView }) {
  const policy = record.kind === 'policy-change';
  const rest = Object.fromEntries(Object.entries(record.detail).filter(([k]) => !(policy && SHOWN_FOR_POLICY.has(k))));
  return (
    <Stack gap="md" data-testid="log-record-detail" data-kind={record.kind}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <RecordKindBadge kind={record.kind} size="md" />
        <Text size="sm" fw={500} style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }} data-testid="log-record-line">{recordLine(record)}</Text>
      </Group>
      <SimpleGrid cols={3} spacing="sm">
        <Fact label="Who">{record.engineer}</Fact>
        <Fact label="When">{formatDateTime(record.startedAt)}</Fact>
        <Fact label="Ticket"><span className="sb-mono" data-testid="log-record-ticket">{record.ticket ?? 'none given'}</span></Fact>
        <Fact label="Customer / site">{record.site ?? '—'}</Fact>
        <Fact label="Host">{record.host ?? '—'}</Fact>
        {policy ? <Fact label="Via"><span data-testid="log-record-via">{viaLabel(record.detail.via)}</span></Fact> : <Fact label="Method">{methodLabel(record.method)}</Fact>}
      </SimpleGrid>
      {policy && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>Before → after</Text>
          <PolicyDiff detail={record.detail} />
        </Stack>
      )}
      {!policy && record.summary && record.summary !== recordLine(record) && (
        <Stack gap={2}><Text size="sm" fw={600}>Summary</Text><Text size="sm">{record.summary}</Text></Stack>
      )}
      {Object.keys(rest).length > 0 && <Stack gap={4}><Text size="sm" fw={600}>Details</Text><DetailList detail={rest} testId="log-detail-fields" /></Stack>}
      <Group gap={6}>
        <Text size="xs" c="dimmed">On the record as</Text>
        <Badge size="xs" variant="default" className="sb-mono" data-testid="log-record-seq">#{record.seq ?? '?'}</Badge>
        <Text size="xs" c="dimmed" className="sb-mono" style={{ overflowWrap: 'anywhere' }}>{record.sessionId}</Text>
      </Group>
    </Stack>
  );
}
