import { Button, Card, Group, SegmentedControl, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { apiFieldErrors, errorMessage, type FieldErrors } from '../../lib/validation';
import { useAccountability } from '../../stores/accountability';
import { FormError } from '../common/FormError';

/** The first step for a person on this data dir: a name, an e-mail, a role, and a key pair made for them. */
export function CreateIdentityForm() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'engineer' | 'lead'>('engineer');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const identity = await api['identity.init']({ name, email, role });
      setErrors({});
      notifications.show({
        color: 'teal', title: 'Identity created',
        message: `You sign as ${identity.name} <${identity.email}>. Send your lead the roster line on this page; records from now on name you instead of the OS user.`,
      });
      await useAccountability.getState().load();
    } catch (error) {
      const fields = apiFieldErrors(error);
      setErrors(fields);
      setFailure(Object.keys(fields).length > 0 ? null : errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg" data-testid="create-identity">
      <form noValidate onSubmit={(event) => void submit(event)}>
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon size={36} radius="xl" variant="light"><IconKey size={18} /></ThemeIcon>
            <div>
              <Title order={4}>Create your identity</Title>
              <Text size="sm" c="dimmed" maw={640}>
                Switchboard makes an Ed25519 key pair for you: the private key stays in the OS keychain and signs your log&apos;s
                checkpoints, and its public half goes to your lead for the team roster.
              </Text>
            </div>
          </Group>
          <Group grow align="flex-start" gap="md">
            <TextInput label="Name" placeholder="Ravi Nair" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} required data-autofocus data-testid="identity-name" />
            <TextInput label="E-mail" placeholder="ravi@example.com" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.email} required data-testid="identity-email" />
          </Group>
          <Stack gap={4}>
            <Text size="sm" fw={500}>Role</Text>
            <Group gap="md" align="center">
              <SegmentedControl value={role} onChange={(v) => setRole(v as 'engineer' | 'lead')} data={[{ value: 'engineer', label: 'Engineer' }, { value: 'lead', label: 'Lead' }]} data-testid="identity-role" />
              <Text size="xs" c="dimmed" maw={420}>What you are on the team; the roster your lead signs is what decides who is a lead.</Text>
            </Group>
          </Stack>
          <FormError message={failure} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} leftSection={<IconKey size={16} />} data-testid="identity-create">Create identity</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
