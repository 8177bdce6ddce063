import { Alert, Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconShieldPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { ticketInputs } from '../../../../contract/inputs';
import { METHOD_LABELS, METHODS, type Method } from '../../../../contract/domain/vocabulary';
import type { MethodApproval, Site } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { apiFieldErrors, errorAt, errorMessage, zodErrors, type FieldErrors } from '../../lib/validation';
import { EmptyState } from '../common/EmptyState';
import { FormError } from '../common/FormError';

/** A method the customer has not approved for the site, allowed by a named person until a date. */
function ApprovalForm({ site, onDone }: { site: Site; onDone: () => void }) {
  const unapproved = METHODS.filter((m) => !site.approvedMethods.includes(m));
  const [method, setMethod] = useState<Method>(unapproved[0] ?? 'ssh');
  const [approvedBy, setApprovedBy] = useState('');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { siteId: site.id, method, approvedBy, reason, validUntil: until ? `${until}T23:59:59Z` : '' };
    const parsed = ticketInputs.approvalRecord.safeParse(input);
    if (!parsed.success) return setErrors(zodErrors(parsed.error));
    try {
      await api['approvals.record'](input);
      notifications.show({ color: 'teal', title: `${METHOD_LABELS[method]} approved until ${until}`, message: `Recorded as approved by ${approvedBy}.` });
      onDone();
    } catch (error) {
      setErrors(apiFieldErrors(error));
      setFormError(errorMessage(error));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <Text size="sm" c="dimmed">The guide requires a separate approval for any method the customer has not approved. Its provisioning lead time is not part of the ticket SLA.</Text>
        <NativeSelect label="Method" data={METHODS.map((m) => ({ value: m, label: `${METHOD_LABELS[m]}${site.approvedMethods.includes(m) ? ' (already approved)' : ''}` }))} value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)} data-testid="approval-method" />
        <TextInput label="Approved by" withAsterisk placeholder="Priya Nair (client IT)" value={approvedBy} onChange={(e) => setApprovedBy(e.currentTarget.value)} error={errorAt(errors, 'approvedBy')} data-testid="approval-by" />
        <TextInput label="Reason" withAsterisk placeholder="DR drill over the weekend" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errorAt(errors, 'reason')} data-testid="approval-reason" />
        <TextInput label="Valid until (end of day, UTC)" type="date" withAsterisk value={until} onChange={(e) => setUntil(e.currentTarget.value)} error={errorAt(errors, 'validUntil') ? 'pick the last day the approval is valid' : undefined} data-testid="approval-until" />
        <Group justify="flex-end"><Button type="submit" data-testid="save-approval">Record approval</Button></Group>
      </Stack>
    </form>
  );
}

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
