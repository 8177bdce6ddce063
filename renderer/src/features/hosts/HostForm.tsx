import { Button, Fieldset, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { hostFields } from '../../../../contract/inputs';
import type { Host, Site } from '../../../../contract/models';
import { apiFieldErrors, errorAt, errorMessage, zodErrors, type FieldErrors } from '../../lib/validation';
import { refreshAll } from '../../stores/refresh';
import { monoInput } from '../../lib/format';
import { FormError } from '../common/FormError';
import { HttpsSection, SshSection, VncSection } from './EndpointSections';
import { draftFromHost, fieldsFromDraft, type HostDraft } from './hostDraft';

export function HostForm({ site, host, onDone }: { site: Site; host?: Host; onDone: () => void }) {
  const [draft, setDraft] = useState<HostDraft>(() => draftFromHost(host));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = <K extends keyof HostDraft>(key: K, value: HostDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const patch = <K extends 'ssh' | 'https' | 'vnc'>(key: K, value: Partial<HostDraft[K]>) => setDraft((d) => ({ ...d, [key]: { ...d[key], ...value } }));
  const otherHosts = site.hosts.filter((h) => h.id !== host?.id).map((h) => h.name);
  const sshHosts = site.hosts.filter((h) => h.id !== host?.id && h.ssh).map((h) => h.name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = fieldsFromDraft(draft);
    const parsed = hostFields.safeParse(fields);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setSaving(true);
    try {
      if (host) await api['hosts.update']({ id: host.id, fields });
      else await api['hosts.create']({ siteId: site.id, fields });
      await refreshAll();
      onDone();
    } catch (error) {
      const fieldErrors = apiFieldErrors(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const sectionProps = { draft, patch, errors, otherHosts, sshHosts };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <Fieldset legend="Host" p="sm">
          <Group grow align="flex-start">
            <TextInput label="Name" withAsterisk placeholder="app01" value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errorAt(errors, 'name')} data-testid="host-form-name" data-autofocus />
            <TextInput label="Role" placeholder="application" value={draft.role} onChange={(e) => set('role', e.currentTarget.value)} error={errorAt(errors, 'role')} data-testid="host-form-role" />
          </Group>
          <TextInput mt="xs" label="Address" description="DNS name or IP literal in canonical form" placeholder="app01.acme.example" value={draft.address} onChange={(e) => set('address', e.currentTarget.value)} error={errorAt(errors, 'address')} data-testid="host-form-address" styles={monoInput} />
          <TextInput mt="xs" label="Allow-list" description="The IPs or CIDRs the address may resolve to, separated by commas: a /16 (IPv4) or /48 (IPv6) at the widest. It vets what the name resolves to; it does not open the addresses in it." placeholder="10.20.0.11/32" value={draft.allow} onChange={(e) => set('allow', e.currentTarget.value)} error={errorAt(errors, 'allow')} data-testid="host-form-allow" styles={monoInput} />
        </Fieldset>
        <SshSection {...sectionProps} />
        <HttpsSection {...sectionProps} />
        <VncSection {...sectionProps} />
        <Fieldset legend="Remote desktop IDs" p="sm" variant="filled">
          <Group grow align="flex-start">
            <TextInput label="AnyDesk ID" placeholder="123456789" value={draft.anydesk} onChange={(e) => set('anydesk', e.currentTarget.value)} error={errorAt(errors, 'anydesk')} data-testid="host-form-anydesk" />
            <TextInput label="TeamViewer ID" placeholder="987654321" value={draft.teamviewer} onChange={(e) => set('teamviewer', e.currentTarget.value)} error={errorAt(errors, 'teamviewer')} data-testid="host-form-teamviewer" />
          </Group>
        </Fieldset>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={saving} data-testid="save-host">{host ? 'Save changes' : 'Add host'}</Button>
        </Group>
      </Stack>
    </form>
  );
}

