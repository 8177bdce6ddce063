import { Alert, Badge, Button, Drawer, Group, List, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Timeline } from '@mantine/core';
import { IconCheck, IconPlayerStop, IconX } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../../api/transport';
import type { SessionEventView, SessionRecordView } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useSessionLog } from '../../stores/session-log';
import { DetailList } from './DetailList';
import { DecisionBadge, OutcomeBadge, duration, methodLabel } from './LogTable';
import { ReplayPanel } from './ReplayPanel';
import { VncReplayPanel } from './VncReplayPanel';
import { ChainRecordDetail } from './ChainRecordDetail';
import { recordKindLabel } from './record-line';
import { TransferFactsView } from './TransferFacts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <Stack gap={0}><Text size="xs" c="dimmed">{label}</Text><Text size="sm" component="div">{children}</Text></Stack>;
}

function Body({ record, events }: { record: SessionRecordView; events: SessionEventView[] }) {
  const running = useSessionLog((s) => s.running.includes(record.sessionId));
  const [error, setError] = useState<string | null>(null);
  const allow = record.decision === 'allow';
  const disconnect = () => api['launches.stop']({ sessionId: record.sessionId }).then(() => useSessionLog.getState().loadRunning(), (e: unknown) => setError(errorMessage(e)));
  return (
    <Stack gap="md">
      <Group gap="xs"><DecisionBadge decision={record.decision} /><OutcomeBadge outcome={record.outcome} />{running && <Button size="compact-xs" color="red" variant="light" leftSection={<IconPlayerStop size={12} />} onClick={() => void disconnect()} data-testid="disconnect">Disconnect</Button>}</Group>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      <SimpleGrid cols={3} spacing="sm">
        <Fact label="Ticket"><span className="sb-mono">{record.ticket ?? '—'}</span></Fact>
        <Fact label="Customer / site">{record.site ?? '—'}</Fact>
        <Fact label="Engineer">{record.engineer}</Fact>
        <Fact label="Target"><span className="sb-mono">{record.target ?? '—'}</span></Fact>
        <Fact label="Host · method">{record.host ?? '—'} · {methodLabel(record.method)}</Fact>
        <Fact label="Resolved address"><span className="sb-mono">{record.address ?? '—'}</span></Fact>
        <Fact label="Started">{formatDateTime(record.startedAt)}</Fact>
        <Fact label="Ended">{formatDateTime(record.endedAt ?? undefined)}</Fact>
        <Fact label="Duration">{duration(record)}</Fact>
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={600}>Policy reasons</Text>
        <List spacing={4} size="sm" center data-testid="log-reasons">
          {record.reasons.map((r, i) => (
            <List.Item key={i} icon={<ThemeIcon size={16} radius="xl" variant="light" color={allow ? 'teal' : 'red'}>{allow ? <IconCheck size={10} /> : <IconX size={10} />}</ThemeIcon>}>{r}</List.Item>
          ))}
        </List>
      </Stack>
      {record.summary && (
        <Stack gap={2} data-testid="log-summary">
          <Text size="sm" fw={600}>Summary <Text span size="xs" c="dimmed" fw={400} data-testid="log-summary-by">by {record.summaryBy ?? record.engineer}</Text></Text>
          <Text size="sm">{record.summary}</Text>
        </Stack>
      )}
      {typeof record.detail.recording === 'string' && (record.detail.recording.endsWith('.vncrec')
        ? <VncReplayPanel key={record.sessionId} sessionId={record.sessionId} />
        : <ReplayPanel key={record.sessionId} sessionId={record.sessionId} />)}
      <Stack gap={4}><Text size="sm" fw={600}>Details</Text><DetailList detail={record.detail} testId="log-detail-fields" /></Stack>
      <Stack gap={6}>
        <Text size="sm" fw={600}>Events</Text>
        <Timeline bulletSize={16} lineWidth={2} active={events.length - 1} data-testid="log-events">
          {events.map((e) => (
            <Timeline.Item key={e.seq} title={<Group gap={6}><Text size="sm" fw={500}>{e.kind}</Text>{e.outcome && <OutcomeBadge outcome={e.outcome} />}<Badge size="xs" variant="default" className="sb-mono" title={e.hash}>#{e.seq} · {e.hash.slice(0, 12)}</Badge></Group>}>
              <Text size="xs" c="dimmed" data-testid="log-event-by">{formatDateTime(e.at)} · {e.engineer}</Text>
              {e.summary && <Text size="xs">{e.summary}</Text>}
              {e.kind === 'transfer' ? <TransferFactsView detail={e.detail} /> : e.kind !== 'attempt' && <DetailList detail={e.detail} />}
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Stack>
  );
}

function SessionDetail({ sessionId }: { sessionId: string }) {
  const [data, setData] = useState<{ record: SessionRecordView; events: SessionEventView[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    setError(null);
    api['log.get']({ sessionId }).then(setData, (e: unknown) => setError(errorMessage(e)));
  }, [sessionId]);
  return (
    <>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {!data && !error && <Stack><Skeleton h={24} /><Skeleton h={120} /><Skeleton h={200} /></Stack>}
      {data && <Body record={data.record} events={data.events} />}
    </>
  );
}

/** A session opens with its events (read from the core); any other record is whole in its row. */
export function LogDetailDrawer({ record, onClose }: { record: SessionRecordView | null; onClose: () => void }) {
  const title = !record ? '' : record.kind === 'session' ? `Session ${record.sessionId.slice(0, 8)}` : `${recordKindLabel(record.kind)} #${record.seq ?? ''}`;
  return (
    <Drawer opened={record !== null} onClose={onClose} position="right" size="xl" title={<Text fw={600}>{title}</Text>} data-testid="log-detail">
      {record?.kind === 'session' && <SessionDetail sessionId={record.sessionId} />}
      {record && record.kind !== 'session' && <ChainRecordDetail record={record} />}
    </Drawer>
  );
}
