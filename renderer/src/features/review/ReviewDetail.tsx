import { Alert, Badge, Button, Card, Grid, Group, SimpleGrid, Skeleton, Stack, Text, Textarea, Timeline } from '@mantine/core';
import { IconCheck, IconFlag, IconRotate, IconSignature } from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ReviewDetail as Detail, ReviewState } from '../../../../contract/review';
import { formatDateTime } from '../../lib/format';
import { useReview } from '../../stores/review';
import { Shortcut } from '../common/Shortcut';
import { DetailList } from '../log/DetailList';
import { TransferFactsView } from '../log/TransferFacts';
import { OutcomeBadge, methodLabel } from '../log/LogTable';
import { ReviewRecording } from './ReviewRecording';
import { STATE_LABELS, StateBadge } from './StateBadge';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <Stack gap={0}><Text size="xs" c="dimmed">{label}</Text><Text size="sm" component="div">{children}</Text></Stack>;
}

/** Reviewed / Flag / Sign off / Unreviewed, with the comment a flag needs. `flagSignal` focuses the comment (f). */
function Decide({ detail, flagSignal }: { detail: Detail; flagSignal: number }) {
  const marking = useReview((s) => s.marking);
  const markError = useReview((s) => s.markError);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const seen = useRef(flagSignal);
  useEffect(() => {
    if (flagSignal === seen.current) return;
    seen.current = flagSignal;
    box.current?.focus();
  }, [flagSignal]);
  const mark = async (state: ReviewState) => {
    if (state === 'flagged' && !comment.trim()) {
      setMissing(true);
      box.current?.focus();
      return;
    }
    setMissing(false);
    if (await useReview.getState().mark(state, comment.trim() || undefined)) {
      setComment('');
      box.current?.blur();
    }
  };
  const button = (state: ReviewState, key: string, icon: ReactNode, color: string) => (
    <Button size="xs" variant={detail.session.state === state ? 'filled' : 'light'} color={color} leftSection={icon} loading={marking}
      onClick={() => void mark(state)} data-testid={`review-mark-${state}`} rightSection={<Shortcut keys={key} />}>
      {state === 'flagged' ? 'Flag' : state === 'signed-off' ? 'Sign off' : STATE_LABELS[state]}
    </Button>
  );
  return (
    <Stack gap={6}>
      <Group gap="xs">
        {button('reviewed', 'r', <IconCheck size={14} />, 'blue')}
        {button('flagged', 'f', <IconFlag size={14} />, 'red')}
        {button('signed-off', 's', <IconSignature size={14} />, 'teal')}
        {button('unreviewed', 'u', <IconRotate size={14} />, 'gray')}
      </Group>
      <Textarea ref={box} size="xs" autosize minRows={1} maxRows={4} placeholder="Comment (a flag needs one: what is wrong?) — Enter flags, Esc leaves"
        value={comment} onChange={(e) => { setComment(e.currentTarget.value); setMissing(false); }}
        error={missing ? 'Say why the session is flagged' : undefined}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); void mark('flagged'); }
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
        data-testid="review-comment" aria-label="Review comment" />
      {markError && <Alert color="red" variant="light" data-testid="error-alert">{markError}</Alert>}
    </Stack>
  );
}

function Events({ detail }: { detail: Detail }) {
  return (
    <Timeline bulletSize={14} lineWidth={2} active={detail.events.length - 1} data-testid="review-events">
      {detail.events.map((e) => (
        <Timeline.Item key={e.seq} title={<Group gap={6}><Text size="sm" fw={500}>{e.kind}</Text>{e.outcome && <OutcomeBadge outcome={e.outcome} />}<Badge size="xs" variant="default" className="sb-mono" title={e.hash}>#{e.seq} · {e.hash.slice(0, 12)}</Badge></Group>}>
          <Text size="xs" c="dimmed">{formatDateTime(e.at)}{e.address ? ` · ${e.address}` : ''}</Text>
          {e.reasons.map((r, i) => <Text key={i} size="xs">{r}</Text>)}
          {e.summary && <Text size="xs">{e.summary}</Text>}
          {e.kind === 'transfer' ? <TransferFactsView detail={e.detail} /> : Object.keys(e.detail).length > 0 && <DetailList detail={e.detail} />}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** The highlighted session: what it was, the decision bar, its events as the engineer signed them beside the recording. */
export function ReviewDetail({ playSignal, flagSignal }: { playSignal: number; flagSignal: number }) {
  const detail = useReview((s) => s.detail);
  const error = useReview((s) => s.detailError);
  if (error) return <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>;
  if (!detail) return <Stack><Skeleton h={24} /><Skeleton h={120} /></Stack>;
  const s = detail.session;
  return (
    <Stack gap="sm" data-testid="review-detail" data-session={s.sessionId}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs"><Text fw={600}>{s.engineerName ?? s.engineer}</Text><Text size="sm" c="dimmed">{s.engineer}</Text><StateBadge state={s.state} />{s.exception && <Badge size="sm" color="orange" variant="light">exception</Badge>}</Group>
          <Text size="xs" c="dimmed" className="sb-mono">session {s.sessionId}</Text>
        </Stack>
        {s.decidedBy && <Text size="xs" c="dimmed" data-testid="review-decided">{STATE_LABELS[s.state]} by {s.decidedBy}, {formatDateTime(s.decidedAt ?? undefined)}{s.comment ? ` — “${s.comment}”` : ''}</Text>}
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
        <Fact label="Ticket"><span className="sb-mono">{s.ticket ?? '—'}</span></Fact>
        <Fact label="Customer / site">{s.customer && s.site ? `${s.customer}/${s.site}` : s.site ?? s.customer ?? '—'}</Fact>
        <Fact label="Host · method">{s.host ?? '—'} · {methodLabel(s.method)}</Fact>
        <Fact label="Outcome"><OutcomeBadge outcome={s.outcome} /></Fact>
        <Fact label="Started">{formatDateTime(s.startedAt)}</Fact>
        <Fact label="Ended">{formatDateTime(s.endedAt ?? undefined)}</Fact>
      </SimpleGrid>
      <Decide key={s.id} detail={detail} flagSignal={flagSignal} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder padding="sm">
            <Text size="sm" fw={600} mb={6}>Events, as {s.engineerName ?? s.engineer} signed them</Text>
            <Events detail={detail} />
            {detail.decisions.length > 0 && (
              <Stack gap={2} mt="sm" data-testid="review-history">
                <Text size="sm" fw={600}>Decisions</Text>
                {detail.decisions.map((d) => (
                  <Text key={d.logSeq} size="xs">{formatDateTime(d.decidedAt)} · {STATE_LABELS[d.state]} by {d.decidedBy}{d.comment ? ` — ${d.comment}` : ''} <Text span size="xs" c="dimmed">(record #{d.logSeq})</Text></Text>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder padding="sm">
            <Text size="sm" fw={600} mb={6}>Recording</Text>
            <ReviewRecording key={s.id} session={s} playSignal={playSignal} />
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
