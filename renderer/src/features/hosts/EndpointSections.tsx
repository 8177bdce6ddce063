import { Checkbox, Fieldset, Group, NumberInput, Select, Switch, Text, TextInput } from '@mantine/core';
import { monoInput } from '../../lib/format';
import { errorAt, type FieldErrors } from '../../lib/validation';
import type { HostDraft } from './hostDraft';

interface Props {
  draft: HostDraft;
  patch: <K extends 'ssh' | 'https' | 'vnc'>(key: K, value: Partial<HostDraft[K]>) => void;
  errors: FieldErrors;
  otherHosts: string[];
}

function SectionToggle({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId: string }) {
  return <Switch size="sm" label={label} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={testId} />;
}

function Off({ what }: { what: string }) {
  return <Text size="xs" c="dimmed">No {what} endpoint on this host. Switch on to add one.</Text>;
}

export function SshSection({ draft, patch, errors, otherHosts }: Props) {
  const s = draft.ssh;
  return (
    <Fieldset legend={<SectionToggle label="SSH" checked={s.enabled} onChange={(enabled) => patch('ssh', { enabled })} testId="host-form-ssh" />} variant="filled" p="sm">
      {!s.enabled && <Off what="SSH" />}
      {s.enabled && (
        <>
          <Group grow align="flex-start">
            <NumberInput label="Port" min={1} max={65535} clampBehavior="none" allowDecimal={false} value={s.port} onChange={(port) => patch('ssh', { port })} error={errorAt(errors, 'ssh.port')} data-testid="host-form-ssh-port" />
            <TextInput label="User" placeholder="support" value={s.user} onChange={(e) => patch('ssh', { user: e.currentTarget.value })} error={errorAt(errors, 'ssh.user')} data-testid="host-form-ssh-user" />
            <Select label="Jump host" placeholder="direct" clearable data={otherHosts} value={s.jump || null} onChange={(v) => patch('ssh', { jump: v ?? '' })} error={errorAt(errors, 'ssh.jump')} data-testid="host-form-ssh-jump" />
          </Group>
          <TextInput mt="xs" label="Pinned host key" description="SHA256 fingerprint as OpenSSH prints it" placeholder="SHA256:…" styles={monoInput} value={s.hostKey} onChange={(e) => patch('ssh', { hostKey: e.currentTarget.value })} error={errorAt(errors, 'ssh.hostKey')} data-testid="host-form-ssh-hostkey" />
          <Group grow align="flex-end" mt="xs">
            <TextInput label="Credential (keychain entry name)" placeholder="acme-support" disabled={s.agent} value={s.credential} onChange={(e) => patch('ssh', { credential: e.currentTarget.value })} error={errorAt(errors, 'ssh.credential')} data-testid="host-form-ssh-credential" />
            <Checkbox label="Use my ssh-agent instead" checked={s.agent} onChange={(e) => patch('ssh', { agent: e.currentTarget.checked })} mb={8} />
          </Group>
        </>
      )}
    </Fieldset>
  );
}

export function HttpsSection({ draft, patch, errors }: Props) {
  const h = draft.https;
  return (
    <Fieldset legend={<SectionToggle label="HTTPS web console" checked={h.enabled} onChange={(enabled) => patch('https', { enabled })} testId="host-form-https" />} variant="filled" p="sm">
      {!h.enabled && <Off what="HTTPS" />}
      {h.enabled && (
        <>
          <Group grow align="flex-start">
            <NumberInput label="Port" min={1} max={65535} clampBehavior="none" allowDecimal={false} value={h.port} onChange={(port) => patch('https', { port })} error={errorAt(errors, 'https.port')} data-testid="host-form-https-port" />
            <TextInput label="Path" placeholder="/ameyo" value={h.path} onChange={(e) => patch('https', { path: e.currentTarget.value })} error={errorAt(errors, 'https.path')} data-testid="host-form-https-path" />
          </Group>
          <TextInput mt="xs" label="Pinned certificate (SHA-256)" placeholder="AB:CD:…" styles={monoInput} value={h.certSha256} onChange={(e) => patch('https', { certSha256: e.currentTarget.value })} error={errorAt(errors, 'https.certSha256')} />
        </>
      )}
    </Fieldset>
  );
}

export function VncSection({ draft, patch, errors }: Props) {
  const v = draft.vnc;
  return (
    <Fieldset legend={<SectionToggle label="VNC" checked={v.enabled} onChange={(enabled) => patch('vnc', { enabled })} testId="host-form-vnc" />} variant="filled" p="sm">
      {!v.enabled && <Off what="VNC" />}
      {v.enabled && (
        <Group grow align="flex-end">
          <NumberInput label="Port" min={1} max={65535} clampBehavior="none" allowDecimal={false} value={v.port} onChange={(port) => patch('vnc', { port })} error={errorAt(errors, 'vnc.port')} data-testid="host-form-vnc-port" />
          <TextInput label="Credential (keychain entry name)" placeholder="acme-vnc" value={v.credential} onChange={(e) => patch('vnc', { credential: e.currentTarget.value })} error={errorAt(errors, 'vnc.credential')} />
          <Checkbox label="View only" checked={v.viewOnly} onChange={(e) => patch('vnc', { viewOnly: e.currentTarget.checked })} mb={8} />
        </Group>
      )}
    </Fieldset>
  );
}
