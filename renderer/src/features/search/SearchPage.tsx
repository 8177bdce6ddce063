import { Alert, Breadcrumbs, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { hrefFor } from '../../lib/routes';
import { plural } from '../../lib/format';
import { IconSearch } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useNotes } from '../../stores/notes';
import { useUi } from '../../stores/ui';
import { EmptyState } from '../common/EmptyState';
import { Snippet } from './Snippet';
import { openMatch } from './openMatch';

export function SearchPage({ q }: { q: string }) {
  const { results, searching, searchError, search, query } = useNotes();
  const dataVersion = useUi((s) => s.dataVersion);

  useEffect(() => {
    void search(q);
  }, [q, search, dataVersion]);

  const stale = query !== q;
  return (
    <Stack gap="md" data-testid="search-page">
      <div>
        <Title order={3}>Search notes</Title>
        <Text size="sm" c="dimmed">{q ? <>Results for “{q}”</> : 'Type in the search box above; all notes are searched offline.'}</Text>
      </div>
      {searchError && <Alert color="red" data-testid="error-alert">{searchError}</Alert>}
      {q.trim() === '' ? null : (searching && (results === null || stale)) ? (
        <Stack>{[0, 1, 2].map((i) => <Skeleton key={i} h={72} />)}</Stack>
      ) : results && results.length === 0 ? (
        <EmptyState icon={<IconSearch size={20} />} title="No notes match">Try a shorter word, a host name, or part of a command.</EmptyState>
      ) : (
        <Stack gap="xs">
          <Text size="xs" c="dimmed">{plural(results?.length ?? 0, 'note')}</Text>
          {results?.map((m) => (
            <Card key={m.noteId} withBorder padding="sm" component="a" href={hrefFor({ name: 'site', id: m.siteId, tab: 'notes', noteId: m.noteId })} onClick={(e) => { e.preventDefault(); openMatch(m); }} data-testid="search-result" style={{ textAlign: 'left', width: '100%' }}>
              <Group justify="space-between" wrap="nowrap">
                <Breadcrumbs separator="/" separatorMargin={4}>
                  <Text size="xs" c="dimmed">{m.customer}</Text>
                  <Text size="xs" c="dimmed">{m.site}</Text>
                  {m.host && <Text size="xs" c="dimmed" className="sb-mono">{m.host}</Text>}
                </Breadcrumbs>
              </Group>
              <Text fw={600} size="sm" mt={2}>{m.title}</Text>
              <Text size="sm" mt={2} c="dimmed" lineClamp={3}><Snippet parts={m.snippet} /></Text>
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
