import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconNotes, IconServer, IconServer2, IconUsers } from '@tabler/icons-react';
import type { SiteSummary } from '../../../../contract/models';
import { navigate } from '../../stores/ui';
import { plural } from '../../lib/format';

export function SiteCard({ site }: { site: SiteSummary }) {
  return (
    <Card
      withBorder
      padding="md"
      component="a"
      href={`#/sites/${site.id}`}
      onClick={(e) => {
        e.preventDefault();
        navigate({ name: 'site', id: site.id, tab: 'hosts' });
      }}
      data-testid={`site-card-${site.name}`}
      aria-label={`Open site ${site.name}`}
    >
      <Stack gap={8}>
        <Group gap="xs" wrap="nowrap">
          <IconServer2 size={18} stroke={1.6} color="var(--mantine-primary-color-filled)" />
          <Text fw={600} truncate>{site.name}</Text>
        </Group>
        <Group gap={6}>
          <Badge variant="default" size="sm" leftSection={<IconUsers size={11} />}>{plural(site.seats, 'seat')}</Badge>
          <Badge variant="default" size="sm" leftSection={<IconServer size={11} />}>{plural(site.hostCount, 'host')}</Badge>
          <Badge variant="default" size="sm" leftSection={<IconNotes size={11} />}>{plural(site.noteCount, 'note')}</Badge>
        </Group>
      </Stack>
    </Card>
  );
}
