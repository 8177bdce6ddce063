import { Alert, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconFileImport, IconSignature, IconUsersGroup } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { useAccountability } from '../../stores/accountability';
import { EmptyState } from '../common/EmptyState';
import { CreateIdentityForm } from './CreateIdentityForm';
import { IdentityCard } from './IdentityCard';
import { ImportRosterModal } from './ImportRosterModal';
import { ProfileConflictsCard } from './ProfileConflictsCard';
import { RosterCard } from './RosterCard';
import { SignRosterModal } from './SignRosterModal';
import { WaitingRosterCard, type WaitingRoster } from './WaitingRosterCard';

/** Who this data dir signs as, and the signed team roster that says who the engineers and leads are. */
export function TeamPage() {
  const identity = useAccountability((s) => s.identity);
  const roster = useAccountability((s) => s.roster);
  const loadError = useAccountability((s) => s.loadError);
  const [importing, setImporting] = useState(false);
  const [signing, setSigning] = useState(false);
  const [rosterWaiting, setRosterWaiting] = useState<WaitingRoster | null>(null);

  // A roster the last team sync found waiting for this data dir's first trust (none when not linked).
  const loadWaiting = useCallback(() => api['team.status']({}).then((s) => setRosterWaiting(s.rosterWaiting), () => setRosterWaiting(null)), []);
  useEffect(() => {
    void useAccountability.getState().load();
    void loadWaiting();
  }, [loadWaiting]);

  // The core decides who may sign; the button is offered to anyone who is, or says they are, a lead.
  const mayBeLead = identity?.rosterRole === 'lead' || (identity?.role === 'lead' && identity.rosterRole === null);

  return (
    <Stack gap="md" maw={1100} data-testid="team-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Team</Title>
          <Text size="sm" c="dimmed">Your signing identity and the roster your lead signed: it says who is an engineer and who is a lead.</Text>
        </div>
        <Group gap="xs">
          {mayBeLead && <Button variant="default" leftSection={<IconSignature size={16} />} onClick={() => setSigning(true)} data-testid="sign-roster">Sign a roster</Button>}
          <Button variant={roster ? 'default' : 'filled'} leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)} data-testid="import-roster">Import roster</Button>
        </Group>
      </Group>
      {loadError && <Alert color="red" variant="light" data-testid="error-alert">{loadError}</Alert>}
      <ProfileConflictsCard />
      {identity === undefined && <Skeleton h={180} radius="md" />}
      {identity === null && <CreateIdentityForm />}
      {identity && <IdentityCard identity={identity} />}
      {roster === undefined && <Skeleton h={220} radius="md" />}
      {roster === null && rosterWaiting && <WaitingRosterCard waiting={rosterWaiting} onImported={() => void loadWaiting()} />}
      {roster === null && !rosterWaiting && (
        <Card withBorder>
          <EmptyState
            icon={<IconUsersGroup size={20} />}
            title="No team roster yet"
            action={<Button size="xs" variant="light" leftSection={<IconFileImport size={14} />} onClick={() => setImporting(true)}>Import roster</Button>}
          >
            Your lead puts your public key in the team roster and signs it. Import the signed file here: the first time, you confirm the lead&apos;s
            fingerprint; after that only rosters signed by a lead in it are accepted.
          </EmptyState>
        </Card>
      )}
      {roster && <RosterCard roster={roster} ownFingerprint={identity?.fingerprint ?? null} />}
      <ImportRosterModal opened={importing} onClose={() => setImporting(false)} />
      <SignRosterModal opened={signing} onClose={() => setSigning(false)} />
    </Stack>
  );
}
