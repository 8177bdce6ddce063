import { Card, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { TeamSyncView } from '../../../../contract/models';
import { api } from '../../api/transport';
import { plural } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useAccountability } from '../../stores/accountability';
import { FormError } from '../common/FormError';
import { TrustLeadStep } from './TrustLeadStep';

export type WaitingRoster = NonNullable<TeamSyncView['rosterWaiting']>;

/**
 * The roster the last team sync found in the store for this data dir, which trusts none yet. Nothing is
 * imported until the person says the signing lead's fingerprint matches the one their lead gave them —
 * the same first trust as a roster file.
 */
export function WaitingRosterCard({ waiting, onImported }: { waiting: WaitingRoster; onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const importRoster = async (trustLead: string) => {
    setBusy(true);
    setFailure(null);
    try {
      const imported = await api['team.importWaitingRoster']({ trustLead });
      notifications.show({ color: 'teal', title: 'Roster imported', message: `${imported.team}: ${plural(imported.members.length, 'member')}, signed by ${imported.signedBy.name}.` });
      for (const warning of imported.warnings) notifications.show({ color: 'yellow', title: 'Check this', message: warning, autoClose: false });
      await useAccountability.getState().load();
      onImported();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg" data-testid="waiting-roster">
      <Stack gap="sm">
        <div>
          <Title order={5}>A roster is waiting in the team store</Title>
          <Text size="sm" c="dimmed">Your team&apos;s lead published it. This data dir has no roster yet, so it trusts none until you confirm who signed it.</Text>
        </div>
        <TrustLeadStep preview={{ team: waiting.team, signers: waiting.signedBy }} busy={busy} onTrust={(fingerprint) => void importRoster(fingerprint)} source="team store" />
        <FormError message={failure} />
      </Stack>
    </Card>
  );
}
