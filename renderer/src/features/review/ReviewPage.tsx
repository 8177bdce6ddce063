import { Alert, Button, Card, Group, Menu, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChartBar, IconChevronDown, IconFileExport, IconListCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { downloadText } from '../../lib/download';
import { plural } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { reviewQuery, useReview } from '../../stores/review';
import { navigate } from '../../stores/ui';
import { EmptyState } from '../common/EmptyState';
import { Shortcut } from '../common/Shortcut';
import { ImportBundle } from './ImportBundle';
import { ReviewDetail } from './ReviewDetail';
import { ReviewFilters } from './ReviewFilters';
import { reviewKeyAction } from './review-keys';
import { ReviewTable } from './ReviewTable';
import { WeeklyView } from './WeeklyView';

async function exportReport(format: 'csv' | 'json'): Promise<void> {
  try {
    const { text, fileName } = await api['review.export']({ format, filter: reviewQuery(useReview.getState().filters) });
    downloadText(text, fileName, format === 'csv' ? 'text/csv' : 'application/json');
    notifications.show({ color: 'teal', title: 'Review report exported', message: `Saved as ${fileName}${format === 'json' ? ', signed with your key' : ''}.` });
  } catch (error) {
    notifications.show({ color: 'red', title: 'Export failed', message: errorMessage(error) });
  }
}

function KeyLegend() {
  const item = (keys: string, what: string) => <Group gap={4} wrap="nowrap"><Shortcut keys={keys} /><Text size="xs" c="dimmed">{what}</Text></Group>;
  return (
    <Group gap="md" data-testid="review-keys">
      {item('j', 'next')}{item('k', 'previous')}{item('Enter', 'play recording')}{item('r', 'reviewed')}{item('f', 'flag')}{item('s', 'sign off')}{item('u', 'unreviewed')}
    </Group>
  );
}

function Queue() {
  const sessions = useReview((s) => s.sessions);
  const selected = useReview((s) => s.selected);
  const next = useReview((s) => s.next);
  const loading = useReview((s) => s.loading);
  const error = useReview((s) => s.error);
  const filtered = useReview((s) => Object.keys(reviewQuery(s.filters)).length > 0);
  const [playSignal, setPlaySignal] = useState(0);
  const [flagSignal, setFlagSignal] = useState(0);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = reviewKeyAction(event);
      if (!action || !useReview.getState().sessions?.length) return;
      event.preventDefault();
      const review = useReview.getState();
      switch (action) {
        case 'next': return review.move(1);
        case 'previous': return review.move(-1);
        case 'play': return setPlaySignal((n) => n + 1);
        case 'flag': return setFlagSignal((n) => n + 1);
        default: return void review.mark(action);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Stack gap="md">
      <ReviewFilters />
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      <Card withBorder padding={0} style={{ opacity: loading && sessions ? 0.7 : 1 }}>
        {sessions === null && <Stack p="md" gap="xs">{[0, 1, 2].map((i) => <Skeleton key={i} h={28} />)}</Stack>}
        {sessions?.length === 0 && (filtered
          ? <EmptyState icon={<IconListCheck size={20} />} title="No imported session matches">Clear a filter to see more.</EmptyState>
          : (
            <EmptyState icon={<IconListCheck size={20} />} title="Nothing to review yet" action={<ImportBundle />}>
              Sessions appear here once you import an engineer's signed bundle. The engineer makes one with
              {' '}<span className="sb-mono">switchboard log bundle --out FILE</span>; import it with the button below or
              {' '}<span className="sb-mono">switchboard review import FILE</span>. Each bundle is verified against the team roster before anything is kept.
            </EmptyState>
          ))}
        {sessions && sessions.length > 0 && <ReviewTable sessions={sessions} selected={selected} onSelect={(i) => useReview.getState().select(i)} />}
      </Card>
      {sessions && sessions.length > 0 && (
        <Group justify="space-between">
          <KeyLegend />
          <Group gap="xs">
            <Text size="xs" c="dimmed" data-testid="review-count">{plural(sessions.length, 'session')} shown{next ? ', more below' : ''}</Text>
            {next && <Button size="compact-xs" variant="light" loading={loading} onClick={() => void useReview.getState().loadMore()} data-testid="review-more">Load 50 more</Button>}
          </Group>
        </Group>
      )}
      {sessions && sessions.length > 0 && <Card withBorder padding="md"><ReviewDetail playSignal={playSignal} flagSignal={flagSignal} /></Card>}
    </Stack>
  );
}

/** The lead's review: the queue of imported sessions with decisions and recordings, and the week at a glance. */
export function ReviewPage({ tab }: { tab: 'queue' | 'weekly' }) {
  useEffect(() => {
    void useReview.getState().load();
    void useReview.getState().loadFacets();
  }, []);
  return (
    <Stack gap="md" data-testid="review-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Review</Title>
          <Text size="sm" c="dimmed">Engineers' sessions from the team store (live, when this app is linked to one) and from signed bundles. Each decision and each viewing is a signed record in your log.</Text>
        </div>
        <Group gap="xs">
          <ImportBundle />
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button variant="default" leftSection={<IconFileExport size={16} />} rightSection={<IconChevronDown size={14} />} data-testid="review-export">Export report</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => void exportReport('csv')} data-testid="review-export-csv">
                <Text size="sm">CSV</Text><Text size="xs" c="dimmed">one row per session, with its review state</Text>
              </Menu.Item>
              <Menu.Item onClick={() => void exportReport('json')} data-testid="review-export-json">
                <Text size="sm">Signed JSON</Text><Text size="xs" c="dimmed">the same, signed with your lead key</Text>
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <Tabs value={tab} onChange={(v) => navigate({ name: 'review', tab: v === 'weekly' ? 'weekly' : 'queue' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="queue" leftSection={<IconListCheck size={14} />} data-testid="review-tab-queue">Queue</Tabs.Tab>
          <Tabs.Tab value="weekly" leftSection={<IconChartBar size={14} />} data-testid="review-tab-weekly">Weekly</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="queue" pt="md"><Queue /></Tabs.Panel>
        <Tabs.Panel value="weekly" pt="md"><WeeklyView /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
