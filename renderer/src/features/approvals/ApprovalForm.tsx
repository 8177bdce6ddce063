import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { ticketInputs } from '../../../../contract/inputs';
import { METHOD_LABELS, METHODS, type Method } from '../../../../contract/domain/vocabulary';
import type { MethodApproval, Site } from '../../../../contract/models';
import { apiFieldErrors, errorAt, errorMessage, zodErrors, type FieldErrors } from '../../lib/validation';
import { FormError } from '../common/FormError';

interface Props {
  site: Site;
  /** Prefilled when the engineer asks for an exception from a denial (the connect flow). */
  method?: Method;
  reason?: string;
  onDone: (approval: MethodApproval) => void;
  onCancel?: () => void;
}

/** A method the customer has not approved for the site, allowed by a named person until a date. */
export function ApprovalForm({ site, method: initialMethod, reason: initialReason = '', onDone, onCancel }: Props) {
  const unapproved = METHODS.filter((m) => !site.approvedMethods.includes(m));
  const [method, setMethod] = useState<Method>(initialMethod ?? unapproved[0] ?? 'ssh');
  const [approvedBy, setApprovedBy] = useState('');
  const [reason, setReason] = useState(initialReason);
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { siteId: site.id, method, approvedBy, reason, validUntil: until ? `${until}T23:59:59Z` : '' };
    const parsed = ticketInputs.approvalRecord.safeParse(input);
    if (!parsed.success) return setErrors(zodErrors(parsed.error));
    try {
      const approval = await api['approvals.record'](input);
      notifications.show({ color: 'teal', title: `${METHOD_LABELS[method]} approved until ${until}`, message: `Recorded as approved by ${approvedBy}.` });
      onDone(approval);
    } catch (error) {
      setErrors(apiFieldErrors(error));
      setFormError(errorMessage(error));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="approval-form">
      <Stack gap="sm">
        <FormError message={formError} />
        <Text size="sm" c="dimmed">The guide requires a separate approval for any method the customer has not approved. Its provisioning lead time is not part of the ticket SLA.</Text>
        <NativeSelect label="Method" data={METHODS.map((m) => ({ value: m, label: `${METHOD_LABELS[m]}${site.approvedMethods.includes(m) ? ' (already approved)' : ''}` }))} value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)} data-testid="approval-method" />
        <TextInput label="Approved by" withAsterisk placeholder="Priya Nair (client IT)" value={approvedBy} onChange={(e) => setApprovedBy(e.currentTarget.value)} error={errorAt(errors, 'approvedBy')} data-testid="approval-by" data-autofocus />
        <TextInput label="Reason" withAsterisk placeholder="DR drill over the weekend" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errorAt(errors, 'reason')} data-testid="approval-reason" />
        <TextInput label="Valid until (end of day, UTC)" type="date" withAsterisk value={until} onChange={(e) => setUntil(e.currentTarget.value)} error={errorAt(errors, 'validUntil') ? 'pick the last day the approval is valid' : undefined} data-testid="approval-until" />
        <Group justify="flex-end">
          {onCancel && <Button variant="default" onClick={onCancel} data-testid="approval-cancel">Cancel</Button>}
          <Button type="submit" data-testid="save-approval">Record approval</Button>
        </Group>
      </Stack>
    </form>
  );
}
