import { Checkbox, Fieldset, Group, NumberInput, Select, Switch, Text, TextInput } from '@mantine/core';
import { monoInput } from '../../lib/format';
import { errorAt, type FieldErrors } from '../../lib/validation';
import type { VncClipboard } from '../../../../contract/domain/vocabulary';
import type { HostDraft } from './hostDraft';

interface Props {
  draft: HostDraft;
  patch: <K extends 'ssh' | 'https' | 'vnc'>(key: K, value: Partial<HostDraft[K]>) => void;
  errors: FieldErrors;
  otherHosts: string[];
  /** The site's other hosts with an SSH endpoint: the ones a VNC connection can jump through. */
  sshHosts?: string[];
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

const CLIPBOARD_CHOICES: Array<{ value: VncClipboard; label: string }> = [
  { value: 'off', label: 'Off' },
  { value: 'to-engineer', label: 'To the engineer only' },
  { value: 'both', label: 'Both ways' },
];

export function VncSection({ draft, patch, errors, sshHosts = [] }: Props) {
  const v = draft.vnc;
  // A jump that names a host without SSH (or one since removed) still shows, so the error beside it makes sense.
  const jumps = v.jump && !sshHosts.includes(v.jump) ? [...sshHosts, v.jump] : sshHosts;
  return (
    <Fieldset legend={<SectionToggle label="VNC" checked={v.enabled} onChange={(enabled) => patch('vnc', { enabled })} testId="host-form-vnc" />} variant="filled" p="sm">
      {!v.enabled && <Off what="VNC" />}
      {v.enabled && (
        <>
          <Group grow align="flex-end">
            <NumberInput label="Port" min={1} max={65535} clampBehavior="none" allowDecimal={false} value={v.port} onChange={(port) => patch('vnc', { port })} error={errorAt(errors, 'vnc.port')} data-testid="host-form-vnc-port" />
            <TextInput label="Credential (keychain entry name)" placeholder="acme-vnc" value={v.credential} onChange={(e) => patch('vnc', { credential: e.currentTarget.value })} error={errorAt(errors, 'vnc.credential')} data-testid="host-form-vnc-credential" />
            <Checkbox label="View only" checked={v.viewOnly} onChange={(e) => patch('vnc', { viewOnly: e.currentTarget.checked })} mb={8} data-testid="host-form-vnc-viewonly" />
          </Group>
          <Group grow align="flex-start" mt="xs">
            <Select
              label="Jump host" description={sshHosts.length ? 'Reach the VNC port through SSH to this host' : 'No other host of this site has SSH'} placeholder="direct" clearable
              data={jumps} value={v.jump || null} onChange={(value) => patch('vnc', { jump: value ?? '' })} disabled={jumps.length === 0} error={errorAt(errors, 'vnc.jump')} data-testid="host-form-vnc-jump"
            />
            <Select
              label="Clipboard" description="Enforced by Switchboard in each direction" allowDeselect={false}
              data={CLIPBOARD_CHOICES} value={v.clipboard} onChange={(value) => patch('vnc', { clipboard: (value ?? 'off') as VncClipboard })} error={errorAt(errors, 'vnc.clipboard')} data-testid="host-form-vnc-clipboard"
            />
          </Group>
          <TextInput
            mt="xs" label="Pinned TLS certificate (SHA-256)" description="With a pin the server must offer VeNCrypt X.509 and present exactly this certificate" placeholder="AB:CD:…" styles={monoInput}
            value={v.tlsCertSha256} onChange={(e) => patch('vnc', { tlsCertSha256: e.currentTarget.value })} error={errorAt(errors, 'vnc.tlsCertSha256')} data-testid="host-form-vnc-tls"
          />
        </>
      )}
    </Fieldset>
  );
}
