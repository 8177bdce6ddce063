import { Alert, Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { IconInbox, IconRefresh, IconSignature } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { InboxRequestView } from '../../../../contract/approvals';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { api } from '../../api/transport';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { EmptyState } from '../common/EmptyState';

const STATE_COLOR: Record<InboxRequestView['status'], string> = { waiting: 'blue', signed: 'teal', expired: 'gray' };

/**
 * A lead's inbox: the team's exception requests (every site) the team store passed on at the last sync.
 * "Review and sign" opens the same review-then-sign step as a pasted request; the approval goes back to
 * the engineer through the next sync. Hidden when this data dir is not linked to a team store. `reload` changes when a signing elsewhere should refresh the list.
 */
export function ApprovalInbox({ onReview, reload }: { onReview: (request: InboxRequestView) => void; reload: number }) {
  const [requests, setRequests] = useState<InboxRequestView[] | null>(null);
  const [linked, setLinked] = useState(false);
  const [lastSync, setLastSync] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [inbox, status] = await Promise.all([api['approvals.inbox']({}), api['team.status']({})]);
      setRequests(inbox);
      setLinked(status.linked);
      setLastSync(status.lastSync);
      setError(status.lastError);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load, reload]);

  const syncNow = async () => {
    setSyncing(true);
    try {
      await api['team.syncNow']({});
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSyncing(false);
    }
    await load();
  };

  // A data dir not linked to a team store has no inbox (requests come by file, "Sign a request").
  if (!linked && !requests?.length) return null;
  return (
    <Card withBorder padding="md" data-testid="approval-inbox">
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        <div>
          <Title order={5}>Requests from the team store</Title>
          <Text size="xs" c="dimmed">Your team&apos;s requests for every site, as of the last sync{lastSync ? ` (${formatDateTime(lastSync)})` : ''}.</Text>
        </div>
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={syncing} onClick={() => void syncNow()} data-testid="approval-inbox-sync">Sync now</Button>
      </Group>
      {error && <Alert color="orange" variant="light" mb="xs" data-testid="approval-inbox-error">{error}</Alert>}
      {requests?.length === 0 && (
        <EmptyState icon={<IconInbox size={20} />} title="No requests from the team store">
          When an engineer of your team requests an exception, their next sync sends it here.
        </EmptyState>
      )}
      {requests && requests.length > 0 && (
        <Table verticalSpacing={6} data-testid="approval-inbox-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Engineer</Table.Th><Table.Th>Site</Table.Th><Table.Th>Method</Table.Th><Table.Th>Host</Table.Th><Table.Th>Ticket</Table.Th><Table.Th>Valid until</Table.Th><Table.Th>State</Table.Th><Table.Th /></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {requests.map((r) => (
              <Table.Tr key={r.requestId} data-testid="inbox-row" data-request-id={r.requestId} data-status={r.status}>
                <Table.Td>{r.engineer}</Table.Td>
                <Table.Td>{r.site}</Table.Td>
                <Table.Td>{METHOD_LABELS[r.method]}</Table.Td>
                <Table.Td>{r.host ?? <Text span size="sm" c="dimmed">any</Text>}</Table.Td>
                <Table.Td>{r.ticket}<Text size="xs" c="dimmed">{r.reason}</Text></Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.validUntil)}</Table.Td>
                <Table.Td><Badge size="sm" variant="light" color={STATE_COLOR[r.status]} style={{ minWidth: 'max-content' }} data-testid="inbox-status">{r.status}</Badge></Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {r.status === 'waiting' && (
                    <Button size="xs" variant="light" leftSection={<IconSignature size={14} />} onClick={() => onReview(r)} data-testid="inbox-review">Review and sign</Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
