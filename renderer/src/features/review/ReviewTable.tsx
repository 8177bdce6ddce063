import { Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconVideo } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { ReviewSessionView } from '../../../../contract/review';
import { OutcomeBadge, methodLabel } from '../log/LogTable';
import { StateBadge } from './StateBadge';

const shortTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const when = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : shortTime.format(new Date(iso)));
const place = (s: ReviewSessionView) => (s.customer && s.site ? `${s.customer}/${s.site}` : s.site ?? s.customer ?? '—');

/** The queue: one row per imported session, the highlighted one in the detail pane below. */
export function ReviewTable({ sessions, selected, onSelect }: { sessions: ReviewSessionView[]; selected: number; onSelect: (index: number) => void }) {
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    body.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <Table.ScrollContainer minWidth={720} maxHeight="38vh" type="native">
      <Table highlightOnHover stickyHeader verticalSpacing={6} fz="xs" data-testid="review-table" style={{ tableLayout: 'fixed' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="15%">Started</Table.Th>
            <Table.Th w="16%">Engineer</Table.Th>
            <Table.Th w="13%">Ticket</Table.Th>
            <Table.Th w="18%">Customer / site</Table.Th>
            <Table.Th w="10%">Method</Table.Th>
            <Table.Th w="14%">Outcome</Table.Th>
            <Table.Th w="14%">State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody ref={body}>
          {sessions.map((s, i) => (
            <Table.Tr key={s.id} data-index={i} data-testid="review-row" data-session={s.sessionId} aria-selected={i === selected}
              onClick={() => onSelect(i)} style={{ cursor: 'pointer', background: i === selected ? 'var(--mantine-primary-color-light)' : undefined }}>
              <Table.Td><Text size="xs" truncate="end">{when(s.startedAt)}</Text></Table.Td>
              <Table.Td><Text size="xs" truncate="end" title={s.engineer}>{s.engineerName ?? s.engineer}</Text></Table.Td>
              <Table.Td><Text size="xs" className="sb-mono" truncate="end">{s.ticket ?? '—'}</Text></Table.Td>
              <Table.Td><Text size="xs" truncate="end" title={place(s)}>{place(s)}</Text></Table.Td>
              <Table.Td>
                <Text size="xs" truncate="end" span>{methodLabel(s.method)}</Text>
                {s.recordingSha256 && <Tooltip label="Has a recording"><IconVideo size={12} style={{ marginLeft: 4, verticalAlign: 'middle' }} /></Tooltip>}
                {s.exception && <Tooltip label="An exception approval"><IconAlertTriangle size={12} color="orange" style={{ marginLeft: 4, verticalAlign: 'middle' }} /></Tooltip>}
              </Table.Td>
              <Table.Td><OutcomeBadge outcome={s.outcome} /></Table.Td>
              <Table.Td><StateBadge state={s.state} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
