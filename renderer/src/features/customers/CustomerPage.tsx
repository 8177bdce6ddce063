import { Alert, Anchor, Badge, Button, Card, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconBuilding, IconClock, IconEdit, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { WEEKDAYS } from '../../../../contract/domain/vocabulary';
import type { Customer } from '../../../../contract/models';
import { WEEKDAY_LABELS, plural } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useCustomers } from '../../stores/customers';
import { navigate, useUi } from '../../stores/ui';
import { EmptyState } from '../common/EmptyState';
import { confirmDelete, runDelete } from '../common/deleteWithUndo';
import { openSiteForm } from '../sites/openSiteForm';
import { SiteCard } from '../sites/SiteCard';
import { openCustomerForm } from './openCustomerForm';

function Facts({ customer }: { customer: Customer }) {
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>Time zone</Text>
          <Group gap={6}><IconClock size={14} /><Text size="sm">{customer.timezone}</Text></Group>
        </Stack>
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>Working days</Text>
          <Group gap={4}>
            {WEEKDAYS.map((d) => (
              <Badge key={d} size="sm" variant={customer.workdays.includes(d) ? 'light' : 'outline'} color={customer.workdays.includes(d) ? undefined : 'gray'} style={{ opacity: customer.workdays.includes(d) ? 1 : 0.5 }}>
                {WEEKDAY_LABELS[d]}
              </Badge>
            ))}
          </Group>
        </Stack>
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>Holidays</Text>
          {customer.holidays.length === 0 ? <Text size="sm" c="dimmed">None recorded</Text> : (
            <Group gap={4}>{customer.holidays.map((h) => <Badge key={h} size="sm" variant="default" className="sb-mono">{h}</Badge>)}</Group>
          )}
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

function Contacts({ customer }: { customer: Customer }) {
  if (customer.contacts.length === 0) {
    return <EmptyState icon={<IconUsers size={20} />} title="No contacts">Add the customer's IT people you call during an incident.</EmptyState>;
  }
  return (
    <Table striped withTableBorder verticalSpacing={6} data-testid="contacts-table">
      <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Role</Table.Th><Table.Th>Phone</Table.Th><Table.Th>E-mail</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {customer.contacts.map((c, i) => (
          <Table.Tr key={i}>
            <Table.Td fw={500}>{c.name}</Table.Td>
            <Table.Td>{c.role ?? '—'}</Table.Td>
            <Table.Td className="sb-mono">{c.phone ?? '—'}</Table.Td>
            <Table.Td>{c.email ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function CustomerPage({ id }: { id: number }) {
  const customer = useCustomers((s) => s.details[id]);
  const dataVersion = useUi((s) => s.dataVersion);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    useCustomers.getState().loadCustomer(id).then(() => setError(null), (e: unknown) => setError(errorMessage(e)));
  }, [id, dataVersion]);

  if (error && !customer) return <Alert color="red" title="Customer not available" data-testid="error-alert">{error}</Alert>;
  if (!customer) return <Stack><Skeleton h={32} w={300} /><Skeleton h={80} /><Skeleton h={160} /></Stack>;

  const remove = () =>
    confirmDelete({
      title: `Delete ${customer.name}?`,
      body: `This deletes ${customer.name} with its ${plural(customer.sites.length, 'site')}, their hosts and notes. You can undo right after.`,
      onConfirm: () => void runDelete(() => api['customers.delete']({ id }), () => navigate({ name: 'home' }), () => navigate({ name: 'customer', id })),
    });

  return (
    <Stack gap="lg" data-testid="customer-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <IconBuilding size={22} stroke={1.6} />
            <Title order={2}>{customer.name}</Title>
            <Badge variant="light">{customer.package === 'premium' ? 'Premium AMC' : customer.package}</Badge>
          </Group>
          <Text size="sm" c="dimmed" mt={4}>{plural(customer.sites.length, 'site')} · {plural(customer.contacts.length, 'contact')}</Text>
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconEdit size={14} />} onClick={() => openCustomerForm(customer)} data-testid="edit-customer">Edit</Button>
          <Button variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={remove} data-testid="delete-customer">Delete</Button>
        </Group>
      </Group>
      <Facts customer={customer} />
      <Stack gap="xs">
        <Title order={4}>Contacts</Title>
        <Contacts customer={customer} />
      </Stack>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>Sites</Title>
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => openSiteForm({ customerId: customer.id })} data-testid="add-site">Add site</Button>
        </Group>
        {customer.sites.length === 0 ? (
          <Card withBorder>
            <EmptyState icon={<IconBuilding size={20} />} title="No sites yet" action={<Anchor size="sm" onClick={() => openSiteForm({ customerId: customer.id })}>Add the first site</Anchor>}>
              A site is one contact-center deployment: its seats, components, approved access methods and trusted hosts.
            </EmptyState>
          </Card>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
            {customer.sites.map((s) => <SiteCard key={s.id} site={s} />)}
          </SimpleGrid>
        )}
      </Stack>
    </Stack>
  );
}
