import { Button, Code, CopyButton, Group, Modal, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconSignature } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { downloadText } from '../../lib/download';
import { errorMessage } from '../../lib/validation';
import { FormError } from '../common/FormError';
import { Shortcut } from '../common/Shortcut';
import { submitOnModEnter } from './ImportRosterModal';

const TEMPLATE = `version: 1
team: Premium Support EMEA
members:
  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "ed25519:…" }
  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "ed25519:…" }
`;

/** A lead signs the team's roster YAML with their key; the signed text goes to every engineer. */
export function SignRosterModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [yaml, setYaml] = useState('');
  const [signed, setSigned] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const close = () => {
    setYaml('');
    setSigned(null);
    setFailure(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      setSigned((await api['team.signRoster']({ yaml })).signedText);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} size="lg" title={<Text fw={600}>Sign a team roster</Text>} data-testid="sign-roster-modal">
      {signed ? (
        <Stack gap="sm">
          <Text size="sm">Signed. Send this file to each engineer, and give them your fingerprint separately (in person or by phone) so they can check it on import.</Text>
          <ScrollArea.Autosize mah={320}>
            <Code block className="sb-mono" data-testid="signed-roster">{signed}</Code>
          </ScrollArea.Autosize>
          <Group justify="flex-end" gap="xs">
            <CopyButton value={signed}>
              {({ copied, copy }) => <Button variant="default" leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid="signed-roster-copy">{copied ? 'Copied' : 'Copy'}</Button>}
            </CopyButton>
            <Button leftSection={<IconDownload size={14} />} onClick={() => downloadText(signed, 'roster.signed', 'text/plain')} data-testid="signed-roster-download">Download roster.signed</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">Paste the roster YAML: every member with the public key from their Team page. You must be a lead in it, or a lead of the roster trusted here.</Text>
            <Textarea
              value={yaml}
              onChange={(e) => { setYaml(e.currentTarget.value); setFailure(null); }}
              onKeyDown={submitOnModEnter}
              autosize minRows={8} maxRows={16}
              placeholder={TEMPLATE}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '0.8rem' } }}
              aria-label="Roster YAML"
              data-autofocus
              data-testid="roster-sign-text"
            />
            <FormError message={failure} />
            <Group justify="flex-end" gap="xs">
              <Text size="xs" c="dimmed"><Shortcut keys="mod+Enter" /></Text>
              <Button type="submit" loading={busy} disabled={!yaml.trim()} leftSection={<IconSignature size={16} />} data-testid="roster-sign-submit">Sign</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
