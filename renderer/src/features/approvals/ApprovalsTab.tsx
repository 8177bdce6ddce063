import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconFileImport, IconShieldPlus, IconSignature } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/transport';
import type { ApprovalsOverview, ApprovalStatus, InboxRequestView } from '../../../../contract/approvals';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import type { Site } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { EmptyState } from '../common/EmptyState';
import { ApprovalInbox } from './ApprovalInbox';
import { ExceptionRequestForm } from './ExceptionRequestForm';
import { NoteTextForm } from './NoteTextForm';
import { SignRequest } from './SignRequest';

const STATUS_COLOR: Record<ApprovalStatus, string> = { requested: 'blue', active: 'teal', expired: 'gray', refused: 'red' };

/** The site's exceptions: requests, the lead-signed approvals the policy honours, and what it no longer does. */
export function ApprovalsTab({ site }: { site: Site }) {
  const [overview, setOverview] = useState<ApprovalsOverview | null>(null);
  const [isLead, setIsLead] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [inboxReload, setInboxReload] = useState(0);
  const load = useCallback(() => {
    setInboxReload((n) => n + 1);
    api['approvals.list']({ siteId: site.id }).then(setOverview, (e: unknown) => setError(errorMessage(e)));
    api['identity.get']({}).then(({ identity }) => setIsLead(identity?.rosterRole === 'lead'), () => setIsLead(false));
  }, [site.id]);
  useEffect(load, [load]);

  const open = (modalId: string, title: string, children: (close: () => void) => React.ReactNode) => {
    const close = () => { modals.close(modalId); load(); };
    modals.open({ modalId, size: 'lg', title, children: children(close) });
  };
  const requestForm = () => open('exception-request', `Request an exception for ${site.customerName} / ${site.name}`, (close) => <ExceptionRequestForm site={site} onDone={close} />);
  const importForm = () => open('exception-import', 'Import a signed approval', (close) => (
    <NoteTextForm testId="exception-import" hint="Paste the approval your lead signed, or choose its file. It is accepted only if a lead of your roster signed your own request, unchanged and unexpired."
      submitLabel="Import" submitIcon={<IconFileImport size={16} />}
      onSubmit={async (text) => {
        const imported = await api['approvals.import']({ text });
        notifications.show({ color: 'teal', title: `${METHOD_LABELS[imported.request.method]} approved until ${formatDateTime(imported.request.until)}`, message: `Signed by ${imported.approvedBy?.name ?? 'a lead'}.` });
        close();
      }} />
  ));
  const signForm = () => open('exception-sign', 'Sign an exception request', (close) => <SignRequest onDone={close} />);
  const signFromInbox = (request: InboxRequestView) => open('exception-sign', `Sign ${request.engineer}'s request`, (close) => <SignRequest requestId={request.requestId} onDone={close} />);

  if (error) return <Alert color="red" data-testid="error-alert">{error}</Alert>;
  const approvals = overview?.approvals ?? [];
  const legacy = overview?.legacy ?? [];
  return (
    <Stack gap="md">
      <Card withBorder padding="md">
        <Group justify="space-between" mb="sm" wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed">Approved methods: {site.approvedMethods.map((m) => METHOD_LABELS[m]).join(', ') || 'none'}. Anything else needs an exception signed by a lead of your team.</Text>
          <Group gap="xs" wrap="nowrap">
            {isLead && <Button variant="default" leftSection={<IconSignature size={16} />} onClick={signForm} data-testid="sign-exception">Sign a request</Button>}
            <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={importForm} data-testid="import-approval">Import signed approval</Button>
            <Button leftSection={<IconShieldPlus size={16} />} onClick={requestForm} data-testid="request-exception">Request an exception</Button>
          </Group>
        </Group>
        {overview && approvals.length === 0 && legacy.length === 0 && (
          <EmptyState icon={<IconShieldPlus size={28} stroke={1.4} />} title="No exceptions">Request one when the customer allows a method they have not approved; a lead signs it.</EmptyState>
        )}
        {approvals.length > 0 && (
          <Table verticalSpacing={6} data-testid="approvals-table">
            <Table.Thead><Table.Tr><Table.Th>Method</Table.Th><Table.Th>Host</Table.Th><Table.Th>Ticket · reason</Table.Th><Table.Th>Valid until</Table.Th><Table.Th>Status</Table.Th><Table.Th>Signed by</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {approvals.map((a) => (
                <Table.Tr key={a.request.id} data-testid="approval-row" data-status={a.status}>
                  <Table.Td>{METHOD_LABELS[a.request.method]}</Table.Td>
                  <Table.Td>{a.request.host ?? <Text span size="sm" c="dimmed">any</Text>}</Table.Td>
                  <Table.Td>{a.request.ticket} · {a.request.reason}</Table.Td>
                  <Table.Td>{formatDateTime(a.request.until)}</Table.Td>
                  <Table.Td>
                    <Tooltip label={a.refusal?.message ?? ''} disabled={!a.refusal} multiline w={320}>
                      <Badge size="sm" variant="light" color={STATUS_COLOR[a.status]} data-testid="approval-status">{a.status}</Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{a.approvedBy ? `${a.approvedBy.name} (${a.approvedBy.fingerprint.slice(0, 19)}…)` : '—'}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {legacy.length > 0 && (
          <Stack gap={4} mt="md" data-testid="legacy-approvals">
            <Text size="sm" fw={600}>Not honoured any more</Text>
            <Text size="xs" c="dimmed">Recorded before exceptions were signed by a lead, with a typed “approved by” name. The policy ignores them; request a signed approval instead.</Text>
            {legacy.map((a) => (
              <Text key={a.id} size="xs" c="dimmed">{METHOD_LABELS[a.method]} until {formatDateTime(a.validUntil)} — “{a.approvedBy}” ({a.reason}; recorded by {a.recordedBy})</Text>
            ))}
          </Stack>
        )}
      </Card>
      {isLead && <ApprovalInbox onReview={signFromInbox} reload={inboxReload} />}
    </Stack>
  );
}
