import { Button, Group, NativeSelect, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ticketInputs } from '../../../../contract/inputs';
import type { InputOf } from '../../../../contract/api';
import type { Site, Ticket } from '../../../../contract/models';
import { SEVERITIES, TICKET_TYPES, type Severity, type TicketComponent, type TicketType } from '../../../../contract/domain/vocabulary';
import { apiFieldErrors, errorAt, errorMessage, toNumber, zodErrors, type FieldErrors } from '../../lib/validation';
import { monoInput } from '../../lib/format';
import { useNavigation } from '../../stores/navigation';
import { useSites } from '../../stores/sites';
import { useTickets } from '../../stores/tickets';
import { FormError } from '../common/FormError';
import { SeverityPreview } from './SeverityPreview';
import { TICKET_COMPONENT_OPTIONS } from './labels';

type Num = number | string;
const opt = (v: Num) => toNumber(v);

export function TicketForm({ site, onSaved, onCancel, submitLabel = 'Open ticket' }: { site?: Site; onSaved: (ticket: Ticket) => void; onCancel?: () => void; submitLabel?: string }) {
  const entries = useNavigation((s) => s.entries);
  const [siteId, setSiteId] = useState<number | null>(site?.id ?? null);
  const loaded = useSites((s) => (siteId ? s.details[siteId] : undefined));
  const [ref, setRef] = useState('');
  const [type, setType] = useState<TicketType>('incident');
  const [component, setComponent] = useState<TicketComponent>('acd');
  const [seats, setSeats] = useState<Num>(site?.seats ?? '');
  const [calls, setCalls] = useState<Num>(site?.peakCalls || '');
  const [cannotTakeCalls, setCannotTakeCalls] = useState<Num>(0);
  const [cannotLogin, setCannotLogin] = useState<Num>(0);
  const [callsRejected, setCallsRejected] = useState<Num>(0);
  const [summary, setSummary] = useState('');
  const [override, setOverride] = useState(false);
  const [overrideSeverity, setOverrideSeverity] = useState<Severity>('major');
  const [overrideReason, setOverrideReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // Picking a site (from the tickets view) loads it so seats and calls prefill from its record.
  useEffect(() => {
    if (site || !siteId) return;
    useSites.getState().loadSite(siteId).then((s) => { setSeats(s.seats); setCalls(s.peakCalls || ''); }, () => undefined);
  }, [site, siteId]);

  const impact = { seats: opt(seats), calls: opt(calls), cannotTakeCalls: opt(cannotTakeCalls), cannotLogin: opt(cannotLogin), callsRejected: opt(callsRejected) };
  const input = {
    siteId: siteId ?? undefined, ref: ref.trim(), type, component, impact: JSON.parse(JSON.stringify(impact)) as typeof impact,
    summary: summary.trim() || undefined,
    severityOverride: override ? { severity: overrideSeverity, reason: overrideReason } : undefined,
  } as InputOf<'tickets.open'>;
  // The preview compares by value (it serializes), so a fresh object each render is fine.
  const classifyInput = typeof impact.seats === 'number' && impact.seats > 0 ? ({ component, impact: input.impact } as InputOf<'tickets.classify'>) : null;

  const validate = (): boolean => {
    const parsed = ticketInputs.ticketOpen.safeParse(input);
    setErrors(parsed.success ? {} : zodErrors(parsed.error));
    return parsed.success;
  };
  // After the first attempt, errors follow the fields as they are corrected.
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    if (!attempted) return;
    const parsed = ticketInputs.ticketOpen.safeParse(JSON.parse(inputKey));
    setErrors(parsed.success ? {} : zodErrors(parsed.error));
  }, [attempted, inputKey]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setAttempted(true);
    if (!validate()) return;
    setFormError(null);
    setSaving(true);
    try {
      onSaved(await useTickets.getState().open(input));
    } catch (error) {
      const fieldErrors = apiFieldErrors(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const siteOptions = entries.filter((e) => e.kind === 'site').map((e) => ({ value: String(e.id), label: e.label }));
  const num = (label: string, value: Num, set: (v: Num) => void, key: string, testId: string, min = 0) => (
    <NumberInput label={label} min={min} allowDecimal={false} value={value} onChange={set} error={errorAt(errors, `impact.${key}`)} data-testid={testId} />
  );

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        {!site && (
          <Select label="Site" withAsterisk searchable placeholder="Customer / site" data={siteOptions} value={siteId ? String(siteId) : null} onChange={(v) => setSiteId(v ? Number(v) : null)} error={errors.siteId ? 'pick the site the ticket is for' : undefined} data-testid="ticket-form-site" />
        )}
        <Group grow align="flex-start">
          <TextInput label="Ticket id" description="The vendor's ticket id" withAsterisk placeholder="EXO-48213" styles={monoInput} value={ref} onChange={(e) => setRef(e.currentTarget.value)} error={errorAt(errors, 'ref')} data-testid="ticket-form-ref" data-autofocus />
          <NativeSelect label="Type" description={type === 'change' ? 'No SLA clock; windows agreed case by case' : 'SLA clocks apply'} data={TICKET_TYPES.map((t) => ({ value: t, label: t === 'incident' ? 'Incident' : 'Change' }))} value={type} onChange={(e) => setType(e.currentTarget.value as TicketType)} data-testid="ticket-form-type" />
          <NativeSelect label="Component" description="The affected functional component" data={TICKET_COMPONENT_OPTIONS} value={component} onChange={(e) => setComponent(e.currentTarget.value as TicketComponent)} error={errorAt(errors, 'component')} data-testid="ticket-form-component" />
        </Group>
        <Text size="sm" fw={500} mt={4}>Measured impact {loaded ? <Text span size="xs" c="dimmed">(seats and calls from {loaded.name})</Text> : null}</Text>
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
          {num('Seats', seats, setSeats, 'seats', 'ticket-form-seats', 1)}
          {num('Calls', calls, setCalls, 'calls', 'ticket-form-calls')}
          {num('Cannot take calls', cannotTakeCalls, setCannotTakeCalls, 'cannotTakeCalls', 'ticket-form-cannot-take-calls')}
          {num('Cannot log in', cannotLogin, setCannotLogin, 'cannotLogin', 'ticket-form-cannot-login')}
          {num('Calls rejected', callsRejected, setCallsRejected, 'callsRejected', 'ticket-form-calls-rejected')}
        </SimpleGrid>
        <SeverityPreview input={classifyInput} />
        <Switch label="Override the computed severity" description="The override and its reason are recorded in the ticket's history." checked={override} onChange={(e) => setOverride(e.currentTarget.checked)} data-testid="ticket-form-override" />
        {override && (
          <Group grow align="flex-start">
            <NativeSelect label="Severity" data={SEVERITIES.map((s) => s)} value={overrideSeverity} onChange={(e) => setOverrideSeverity(e.currentTarget.value as Severity)} style={{ flex: '0 0 140px' }} data-testid="ticket-form-override-severity" />
            <TextInput label="Reason" withAsterisk placeholder="Customer reports revenue impact beyond the measured loss" value={overrideReason} onChange={(e) => setOverrideReason(e.currentTarget.value)} error={errorAt(errors, 'severityOverride.reason')} data-testid="ticket-form-override-reason" />
          </Group>
        )}
        <Textarea label="Summary" placeholder="What the customer reports" autosize minRows={2} maxRows={5} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} error={errorAt(errors, 'summary')} data-testid="ticket-form-summary" />
        <Group justify="flex-end" mt="xs">
          {onCancel && <Button variant="default" onClick={onCancel}>Cancel</Button>}
          <Button type="submit" loading={saving} data-testid="save-ticket">{submitLabel}</Button>
        </Group>
      </Stack>
    </form>
  );
}
