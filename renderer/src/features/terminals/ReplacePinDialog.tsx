import { Alert, Button, Checkbox, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/transport';
import type { ChangedHostKey } from '../../../../contract/terminal-protocol';
import { errorMessage } from '../../lib/validation';

/**
 * The deliberate way past "REMOTE HOST IDENTIFICATION HAS CHANGED": only after the engineer confirmed the
 * new fingerprint with the customer, with a reason, on the terminal's ticket, recorded in the session log.
 */
export function ReplacePinDialog({ changed, siteId, ticket, onClose, onReplaced }: {
  changed: ChangedHostKey | null;
  siteId: number;
  ticket: string;
  onClose(): void;
  onReplaced(sessionId: string): void;
}) {
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => { setReason(''); setConfirmed(false); setError(null); onClose(); };
  const replace = async () => {
    if (!changed) return;
    setBusy(true);
    setError(null);
    try {
      const done = await api['hosts.replaceHostKey']({ siteId, ticket, host: changed.host, previous: changed.pinned, fingerprint: changed.offered, reason: reason.trim() });
      setReason('');
      setConfirmed(false);
      onReplaced(done.sessionId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const ready = confirmed && reason.trim().length >= 10;
  return (
    <Modal opened={changed !== null} onClose={close} title={<Group gap={6}><IconKey size={16} /><Text fw={600}>Replace the pinned host key{changed ? ` of ${changed.host}` : ''}</Text></Group>} size="lg" data-testid="repin-dialog">
      {changed && (
        <Stack gap="sm">
          <Alert color="red" variant="light">
            Only if the customer confirmed the new fingerprint out of band — read to you on the phone, or from their own console.
            If you cannot confirm it, do not replace it: the connection may be intercepted. Report it on the ticket instead.
          </Alert>
          <Code block data-testid="repin-fingerprints">{`Pinned now:          ${changed.pinned}\nOffered by the host: ${changed.offered}`}</Code>
          <TextInput
            label="How was the new fingerprint confirmed?"
            description={`Recorded in the session log on ticket ${ticket}, with both fingerprints and your name.`}
            placeholder="e.g. host reinstalled on 24 Nov; Priya read the fingerprint to me on the phone"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && ready) void replace(); }}
            data-autofocus
            data-testid="repin-reason"
          />
          <Checkbox label="I compared the offered fingerprint with the one the customer gave me, character by character" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} data-testid="repin-confirm" />
          {error && <Alert color="red" variant="light" data-testid="repin-error">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button color="red" onClick={() => void replace()} disabled={!ready} loading={busy} data-testid="repin-submit">Replace the pin</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
