import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { approvalInputs, type ApprovalNoteView } from '../../../../contract/approvals';
import { METHOD_LABELS, METHODS, type Method } from '../../../../contract/domain/vocabulary';
import type { Site } from '../../../../contract/models';
import { apiFieldErrors, errorAt, errorMessage, zodErrors, type FieldErrors } from '../../lib/validation';
import { FormError } from '../common/FormError';
import { SignedText } from './SignedText';

interface Props {
  site: Site;
  /** Prefilled when the engineer asks from a denial (the connect flow). */
  method?: Method;
  host?: string;
  ticket?: string;
  reason?: string;
  onDone: () => void;
  onCancel?: () => void;
}

/** The engineer asks for an exception: a request signed by their key, to send to a lead. */
export function ExceptionRequestForm({ site, method: initialMethod, host: initialHost = '', ticket: initialTicket = '', reason: initialReason = '', onDone, onCancel }: Props) {
  const unapproved = METHODS.filter((m) => !site.approvedMethods.includes(m));
  const [method, setMethod] = useState<Method>(initialMethod ?? unapproved[0] ?? 'vnc');
  const [host, setHost] = useState(initialHost);
  const [ticket, setTicket] = useState(initialTicket);
  const [reason, setReason] = useState(initialReason);
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [made, setMade] = useState<ApprovalNoteView | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { siteId: site.id, method, ...(host ? { host } : {}), ticket, reason, validUntil: until ? `${until}T23:59:59Z` : '' };
    const parsed = approvalInputs.request.safeParse(input);
    if (!parsed.success) return setErrors(zodErrors(parsed.error));
    try {
      setMade(await api['approvals.request'](input));
    } catch (error) {
      setErrors(apiFieldErrors(error));
      setFormError(errorMessage(error));
    }
  };

  if (made) {
    return (
      <Stack gap="sm">
        <SignedText text={made.text} fileName={made.fileName} testId="exception-request-text">
          Request signed with your key. Send it to a lead of your team; import what they send back with “Import signed approval”.
        </SignedText>
        <Group justify="flex-end"><Button onClick={onDone} data-testid="exception-request-done">Done</Button></Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="exception-request-form">
      <Stack gap="sm">
        <FormError message={formError} />
        <Text size="sm" c="dimmed">A method the customer has not approved needs a lead's signature. Its provisioning lead time is not part of the ticket SLA.</Text>
        <NativeSelect label="Method" data={unapproved.map((m) => ({ value: m, label: METHOD_LABELS[m] }))} value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)} error={errorAt(errors, 'method')} data-testid="exception-method" />
        <NativeSelect label="Host" data={[{ value: '', label: 'Any trusted host of the site' }, ...site.hosts.map((h) => ({ value: h.name, label: h.name }))]} value={host} onChange={(e) => setHost(e.currentTarget.value)} error={errorAt(errors, 'host')} data-testid="exception-host" />
        <TextInput label="Ticket" withAsterisk placeholder="EXO-48213" value={ticket} onChange={(e) => setTicket(e.currentTarget.value)} error={errorAt(errors, 'ticket')} data-testid="exception-ticket" data-autofocus />
        <TextInput label="Reason" withAsterisk placeholder="DR drill over the weekend" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errorAt(errors, 'reason')} data-testid="exception-reason" />
        <TextInput label="Valid until (end of day, UTC)" type="date" withAsterisk value={until} onChange={(e) => setUntil(e.currentTarget.value)} error={errorAt(errors, 'validUntil') ? 'pick the last day the exception is valid' : undefined} data-testid="exception-until" />
        <Group justify="flex-end">
          {onCancel && <Button variant="default" onClick={onCancel} data-testid="exception-cancel">Cancel</Button>}
          <Button type="submit" leftSection={<IconSend size={16} />} data-testid="exception-request-submit">Make request</Button>
        </Group>
      </Stack>
    </form>
  );
}
