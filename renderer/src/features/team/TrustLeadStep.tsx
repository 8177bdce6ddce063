import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconShieldQuestion } from '@tabler/icons-react';
import type { RosterPreview } from '../../../../contract/accountability';
import { plural } from '../../lib/format';
import { Fingerprint } from './Fingerprint';

/**
 * The first roster of a data dir is trusted because a person compared its lead's key fingerprint with the
 * one the lead gave them — like a new SSH host key. Nothing is imported until they say it matches.
 */
export function TrustLeadStep({ preview, busy, onTrust, onCancel, source = 'file' }: {
  /** `members` is unknown for a roster still in the team store (the sync keeps only who signed it). */
  preview: Pick<RosterPreview, 'team' | 'signers'> & { members?: RosterPreview['members'] };
  busy: boolean; onTrust: (fingerprint: string) => void;
  /** Absent: no cancel button (the step is a card on a page, not a modal). */
  onCancel?: () => void;
  /** Where the roster came from, to say how to compare: a file, or the team store. */
  source?: 'file' | 'team store';
}) {
  return (
    <Stack gap="md" data-testid="trust-lead-step">
      <Alert color="yellow" variant="light" icon={<IconShieldQuestion size={18} />} title="First roster for this data dir">
        From now on this data dir accepts only rosters signed by a lead of this one. Check who signed it before you trust it.
      </Alert>
      <Text size="sm">
        <b>{preview.team}</b>{preview.members ? ` · ${plural(preview.members.length, 'member')}` : ''} · signed by:
      </Text>
      {preview.signers.map((signer) => (
        <Paper key={signer.fingerprint} withBorder p="md" radius="md" data-testid="trust-lead-signer">
          <Stack gap={6}>
            <Text fw={600} data-testid="trust-lead-name">{signer.name} <Text span c="dimmed" fw={400}>&lt;{signer.email}&gt;</Text></Text>
            <Fingerprint value={signer.fingerprint} size="lg" copy={false} testId="trust-lead-fingerprint" />
          </Stack>
        </Paper>
      ))}
      <Text size="sm" fw={500}>
        Compare with the fingerprint your lead gives you — in person or by phone, {source === 'file' ? 'not in the same message as the file' : 'not through the team store'}. Every group must match.
      </Text>
      <Group justify="flex-end" gap="xs">
        {onCancel && <Button variant="default" onClick={onCancel} disabled={busy} data-testid="trust-lead-cancel">Cancel — import nothing</Button>}
        {preview.signers.map((signer) => (
          <Button key={signer.fingerprint} color="teal" loading={busy} onClick={() => onTrust(signer.fingerprint)} data-testid="trust-lead-confirm">
            {preview.signers.length === 1 ? 'It matches — trust and import' : `Trust ${signer.name} and import`}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}
