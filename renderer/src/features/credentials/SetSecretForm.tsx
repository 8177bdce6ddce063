import { Alert, Button, Group, PasswordInput, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { inputs } from '../../../../contract/inputs';
import type { CredentialKind } from '../../../../contract/domain/vocabulary';
import { apiFieldErrors, errorAt, errorMessage, zodErrors, type FieldErrors } from '../../lib/validation';
import { refreshAll } from '../../stores/refresh';
import { FormError } from '../common/FormError';

export function SetSecretForm({ name, initialKind, onDone }: { name: string; initialKind?: CredentialKind; onDone: () => void }) {
  const [kind, setKind] = useState<CredentialKind>(initialKind ?? 'password');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { name, kind, secret };
    const parsed = inputs.credentialSet.safeParse(input);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error));
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await api['credentials.set'](input);
      setSecret('');
      await refreshAll();
      notifications.show({ color: 'teal', title: `Secret for ${name} stored`, message: 'It lives in the OS keychain and is never shown again.' });
      onDone();
    } catch (error) {
      const fe = apiFieldErrors(error);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate autoComplete="off">
      <Stack gap="sm">
        <Alert variant="light" color="gray" icon={<IconLock size={16} />}>
          The secret goes straight to the OS keychain. Switchboard never shows it again after saving — to change it, set it anew.
        </Alert>
        <FormError message={formError} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="credential-kind-label">Kind</Text>
          <SegmentedControl
            aria-labelledby="credential-kind-label"
            value={kind}
            onChange={(v) => setKind(v as CredentialKind)}
            data={[{ value: 'password', label: 'Password' }, { value: 'private_key', label: 'Private key' }]}
            data-testid="credential-kind"
          />
        </Stack>
        {kind === 'password' ? (
          <PasswordInput label="Password" withAsterisk value={secret} onChange={(e) => setSecret(e.currentTarget.value)} error={errorAt(errors, 'secret')} data-testid="credential-secret" autoComplete="new-password" data-autofocus />
        ) : (
          <Textarea
            label="Private key (PEM / OpenSSH)"
            withAsterisk
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            autosize
            minRows={6}
            maxRows={14}
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
            error={errorAt(errors, 'secret')}
            data-testid="credential-secret"
            spellCheck={false}
            autoComplete="off"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '0.78rem', WebkitTextSecurity: 'disc' } as Record<string, string> }}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={saving} data-testid="save-credential">Store in keychain</Button>
        </Group>
      </Stack>
    </form>
  );
}
