import { ActionIcon, Button, Group, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { errorAt, type FieldErrors } from '../../lib/validation';

export interface ContactDraft { name: string; role: string; phone: string; email: string }
export const emptyContact = (): ContactDraft => ({ name: '', role: '', phone: '', email: '' });

const COLUMNS: Array<{ key: keyof ContactDraft; label: string; placeholder: string }> = [
  { key: 'name', label: 'Name', placeholder: 'Priya Nair' },
  { key: 'role', label: 'Role', placeholder: 'client-it' },
  { key: 'phone', label: 'Phone', placeholder: '+91 22 5550 1000' },
  { key: 'email', label: 'E-mail', placeholder: 'it@acme.example' },
];

export function ContactsEditor({ value, onChange, errors }: { value: ContactDraft[]; onChange: (next: ContactDraft[]) => void; errors: FieldErrors }) {
  const update = (index: number, key: keyof ContactDraft, text: string) =>
    onChange(value.map((c, i) => (i === index ? { ...c, [key]: text } : c)));
  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>Contacts</Text>
        <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => onChange([...value, emptyContact()])} data-testid="add-contact">
          Add contact
        </Button>
      </Group>
      {value.length === 0 && <Text size="xs" c="dimmed">No contacts — add the customer's IT people you call during an incident.</Text>}
      {value.map((contact, index) => (
        <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
          {COLUMNS.map((col) => (
            <TextInput
              key={col.key}
              size="xs"
              label={col.label}
              placeholder={col.placeholder}
              value={contact[col.key]}
              onChange={(e) => update(index, col.key, e.currentTarget.value)}
              error={errorAt(errors, `contacts[${index}].${col.key}`)}
              withAsterisk={col.key === 'name'}
              style={{ flex: col.key === 'email' || col.key === 'name' ? 1.3 : 1 }}
              data-testid={`contact-${index}-${col.key}`}
            />
          ))}
          <Tooltip label="Remove contact">
            <ActionIcon variant="subtle" color="gray" mt={22} aria-label={`Remove contact ${index + 1}`} onClick={() => onChange(value.filter((_, i) => i !== index))}>
              <IconTrash size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
    </Stack>
  );
}

export function contactsToFields(drafts: ContactDraft[]) {
  return drafts.map((c) => {
    const out: { name: string; role?: string; phone?: string; email?: string } = { name: c.name.trim() };
    if (c.role.trim()) out.role = c.role.trim();
    if (c.phone.trim()) out.phone = c.phone.trim();
    if (c.email.trim()) out.email = c.email.trim();
    return out;
  });
}
