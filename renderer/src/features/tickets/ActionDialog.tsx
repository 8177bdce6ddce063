import { Button, Group, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ticketInputs } from '../../../../contract/inputs';
import type { InputOf } from '../../../../contract/api';
import { errorMessage, zodErrors } from '../../lib/validation';
import { useTickets } from '../../stores/tickets';
import { FormError } from '../common/FormError';

export interface ActionSpec {
  title: string;
  confirm: string;
  explain?: ReactNode;
  choice?: { label: string; options: { value: string; label: string }[]; initial: string };
  reason: 'required' | 'optional' | 'none';
  reasonInitial?: string;
  build: (choice: string, reason: string) => InputOf<'tickets.act'>;
  done: string;
  color?: string;
}

function ActionForm({ spec, onDone }: { spec: ActionSpec; onDone: () => void }) {
  const [choice, setChoice] = useState(spec.choice?.initial ?? '');
  const [reason, setReason] = useState(spec.reasonInitial ?? '');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = spec.build(choice, reason.trim());
    const parsed = ticketInputs.ticketAction.safeParse(input);
    if (!parsed.success) {
      setFieldError(zodErrors(parsed.error).reason ?? parsed.error.issues[0]?.message);
      return;
    }
    setBusy(true);
    try {
      const ticket = await useTickets.getState().act(input);
      notifications.show({ color: 'teal', title: `${ticket.ref}: ${spec.done}`, message: 'Recorded in the ticket history.' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <FormError message={error} />
        {spec.explain && <Text size="sm" c="dimmed">{spec.explain}</Text>}
        {spec.choice && (
          <NativeSelect label={spec.choice.label} data={spec.choice.options} value={choice} onChange={(e) => setChoice(e.currentTarget.value)} data-testid="action-choice" />
        )}
        {spec.reason !== 'none' && (
          <Textarea
            label="Reason"
            withAsterisk={spec.reason === 'required'}
            description={spec.reason === 'required' ? 'Recorded with your name in the ticket history' : 'Optional; recorded in the ticket history'}
            autosize minRows={2} maxRows={6}
            value={reason}
            onChange={(e) => { setReason(e.currentTarget.value); setFieldError(undefined); }}
            error={fieldError}
            data-autofocus
            data-testid="action-reason"
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={busy} color={spec.color} data-testid="action-confirm">{spec.confirm}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Acts at once when there is nothing to ask; otherwise asks in a small dialog. */
export function runAction(spec: ActionSpec): void {
  if (spec.reason === 'none' && !spec.choice && !spec.explain) {
    useTickets.getState().act(spec.build('', '')).then(
      (t) => notifications.show({ color: 'teal', title: `${t.ref}: ${spec.done}`, message: 'Recorded in the ticket history.' }),
      (e: unknown) => notifications.show({ color: 'red', title: `Could not record: ${spec.title}`, message: errorMessage(e) }),
    );
    return;
  }
  const modalId = 'ticket-action';
  modals.open({ modalId, title: spec.title, children: <ActionForm spec={spec} onDone={() => modals.close(modalId)} /> });
}
