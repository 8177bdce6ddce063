import { Alert, Badge, Button, Card, Group, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconShieldPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import type { MethodApproval, Site } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { EmptyState } from '../common/EmptyState';
import { ApprovalForm } from './ApprovalForm';

export function ApprovalsTab({ site }: { site: Site }) {
  const [approvals, setApprovals] = useState<MethodApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api['approvals.list']({ siteId: site.id }).then(setApprovals, (e: unknown) => setError(errorMessage(e)));
  }, [site.id]);
  useEffect(load, [load]);

  const openForm = () => {
    const modalId = 'record-approval';
    modals.open({ modalId, title: `Exception approval for ${site.customerName} / ${site.name}`, children: <ApprovalForm site={site} onDone={() => { modals.close(modalId); load(); }} /> });
  };

  if (error) return <Alert color="red" data-testid="error-alert">{error}</Alert>;
  const now = Date.now();
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">Approved methods: {site.approvedMethods.map((m) => METHOD_LABELS[m]).join(', ') || 'none'}. Anything else needs a recorded exception.</Text>
        <Button leftSection={<IconShieldPlus size={16} />} onClick={openForm} data-testid="add-approval">Record approval</Button>
      </Group>
      {approvals && approvals.length === 0 && <EmptyState icon={<IconShieldPlus size={28} stroke={1.4} />} title="No exception approvals">Record one when the customer allows a method they have not approved, for a reason and until a date.</EmptyState>}
      {approvals && approvals.length > 0 && (
        <Table verticalSpacing={6} data-testid="approvals-table">
          <Table.Thead><Table.Tr><Table.Th>Method</Table.Th><Table.Th>Approved by</Table.Th><Table.Th>Reason</Table.Th><Table.Th>Valid until</Table.Th><Table.Th>Recorded</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {approvals.map((a) => {
              const valid = new Date(a.validUntil).getTime() > now;
              return (
                <Table.Tr key={a.id}>
                  <Table.Td>{METHOD_LABELS[a.method]}</Table.Td>
                  <Table.Td>{a.approvedBy}</Table.Td>
                  <Table.Td>{a.reason}</Table.Td>
                  <Table.Td><Group gap={6}>{formatDateTime(a.validUntil)}<Badge size="xs" variant="light" color={valid ? 'teal' : 'gray'}>{valid ? 'valid' : 'expired'}</Badge></Group></Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{a.recordedBy}, {formatDateTime(a.recordedAt)}</Text></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
