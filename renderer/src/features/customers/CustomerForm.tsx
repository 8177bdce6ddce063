import { Autocomplete, Button, Checkbox, Group, Select, Stack, TextInput } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { customerFields, type CustomerFields } from '../../../../contract/inputs';
import type { Customer } from '../../../../contract/models';
import { PACKAGES, WEEKDAYS, type Weekday } from '../../../../contract/domain/vocabulary';
import { apiFieldErrors, errorAt, errorMessage, splitList, zodErrors, type FieldErrors } from '../../lib/validation';
import { WEEKDAY_LABELS } from '../../lib/format';
import { refreshAll } from '../../stores/refresh';
import { navigate } from '../../stores/ui';
import { FormError } from '../common/FormError';
import { ContactsEditor, contactsToFields, emptyContact, type ContactDraft } from './ContactsEditor';

const TIMEZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

export function CustomerForm({ customer, onDone }: { customer?: Customer; onDone: () => void }) {
  const [name, setName] = useState(customer?.name ?? '');
  const [pkg, setPkg] = useState<string>(customer?.package ?? 'premium');
  const [timezone, setTimezone] = useState(customer?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [workdays, setWorkdays] = useState<string[]>(customer?.workdays ?? ['mon', 'tue', 'wed', 'thu', 'fri']);
  const [holidays, setHolidays] = useState((customer?.holidays ?? []).join(', '));
  const [contacts, setContacts] = useState<ContactDraft[]>(
    customer?.contacts.map((c) => ({ name: c.name, role: c.role ?? '', phone: c.phone ?? '', email: c.email ?? '' })) ?? [emptyContact()],
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const zones = useMemo(() => TIMEZONES, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields: CustomerFields = {
      name,
      package: pkg as CustomerFields['package'],
      timezone: timezone.trim(),
      workdays: WEEKDAYS.filter((d) => workdays.includes(d)) as Weekday[],
      holidays: splitList(holidays),
      contacts: contactsToFields(contacts.filter((c) => Object.values(c).some((v) => v.trim() !== ''))),
    };
    const parsed = customerFields.safeParse(fields);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setSaving(true);
    try {
      const saved = customer ? await api['customers.update']({ id: customer.id, fields }) : await api['customers.create'](fields);
      await refreshAll();
      onDone();
      navigate({ name: 'customer', id: saved.id });
    } catch (error) {
      const fieldErrors = apiFieldErrors(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <TextInput label="Name" withAsterisk placeholder="Acme Telecom" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errorAt(errors, 'name')} data-testid="customer-form-name" data-autofocus />
        <Group grow align="flex-start">
          <Select label="Support package" data={PACKAGES.map((p) => ({ value: p, label: p === 'premium' ? 'Premium (AMC)' : p }))} value={pkg} onChange={(v) => setPkg(v ?? 'premium')} allowDeselect={false} error={errorAt(errors, 'package')} data-testid="customer-form-package" />
          <Autocomplete label="Time zone" description="IANA zone of the customer's geography" data={zones} limit={30} value={timezone} onChange={setTimezone} error={errorAt(errors, 'timezone')} data-testid="customer-form-timezone" />
        </Group>
        <Checkbox.Group label="Working days" value={workdays} onChange={setWorkdays} error={errorAt(errors, 'workdays')} data-testid="customer-form-workdays">
          <Group gap="md" mt={6}>
            {WEEKDAYS.map((d) => <Checkbox key={d} value={d} label={WEEKDAY_LABELS[d]} />)}
          </Group>
        </Checkbox.Group>
        <TextInput label="Holidays" description="Dates as YYYY-MM-DD, separated by commas" placeholder="2026-12-25, 2027-01-26" value={holidays} onChange={(e) => setHolidays(e.currentTarget.value)} error={errorAt(errors, 'holidays')} data-testid="customer-form-holidays" />
        <ContactsEditor value={contacts} onChange={setContacts} errors={errors} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={saving} data-testid="save-customer">{customer ? 'Save changes' : 'Add customer'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
