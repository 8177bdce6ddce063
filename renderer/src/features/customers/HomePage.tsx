import { Alert, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconBuilding, IconFileImport, IconPlus } from '@tabler/icons-react';
import { useCustomers } from '../../stores/customers';
import { navigate } from '../../stores/ui';
import { plural } from '../../lib/format';
import { ImportDropzone } from '../profiles/ImportDropzone';
import { pickProfileFile } from '../profiles/profileActions';
import { Shortcut } from '../common/Shortcut';
import { openCustomerForm } from './openCustomerForm';

function Welcome() {
  return (
    <Stack maw={640} mx="auto" mt={60} gap="lg" data-testid="empty-state">
      <Stack gap={6} ta="center">
        <Title order={2}>Welcome to Switchboard</Title>
        <Text c="dimmed">
          Reach your customers' trusted hosts through approved methods only — every session bound to a ticket, every site's notes at hand, offline.
        </Text>
      </Stack>
      <Group justify="center">
        <Button leftSection={<IconPlus size={16} />} onClick={() => openCustomerForm()} data-testid="add-customer">Add customer</Button>
        <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={pickProfileFile} data-testid="empty-import">Import profile file</Button>
      </Group>
      <ImportDropzone />
    </Stack>
  );
}

export function HomePage() {
  const customers = useCustomers((s) => s.list);
  const listError = useCustomers((s) => s.listError);
  if (customers === null && listError) {
    return <Alert color="red" title="Could not load customers" data-testid="error-alert">{listError}</Alert>;
  }
  if (customers === null) {
    return (
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {[0, 1, 2].map((i) => <Skeleton key={i} h={90} />)}
      </SimpleGrid>
    );
  }
  if (customers.length === 0) return <Welcome />;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={3}>Customers</Title>
          <Text size="sm" c="dimmed">Pick a customer, or press <Shortcut keys="mod+K" /> to jump straight to a site or host.</Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => openCustomerForm()} data-testid="add-customer">Add customer</Button>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
        {customers.map((c) => (
          <Card key={c.id} withBorder padding="md" component="a" href={`#/customers/${c.id}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'customer', id: c.id }); }} data-testid={`customer-card-${c.name}`}>
            <Group gap="sm" wrap="nowrap">
              <IconBuilding size={20} stroke={1.5} color="var(--mantine-color-dimmed)" />
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Text fw={600} truncate>{c.name}</Text>
                <Text size="xs" c="dimmed">{c.timezone} · {plural(c.siteCount, 'site')}</Text>
              </Stack>
              <Badge ml="auto" variant="light" size="sm">{c.package}</Badge>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
