import { Alert, Anchor, Button, Card, Group, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconEye, IconEyeOff, IconKey, IconSignature } from '@tabler/icons-react';
import type { WitnessStatus } from '../../../../contract/accountability';
import { formatDateTime, plural } from '../../lib/format';
import { useAccountability } from '../../stores/accountability';
import { navigate } from '../../stores/ui';

function daysText(days: number): string {
  return days === 0 ? 'less than a day' : plural(days, 'day');
}

/** "12 sessions, 3 days since a lead last signed off": how much of the log no lead has cosigned. */
export function witnessHeadline(w: WitnessStatus): string {
  if (!w.witnessed) return `No lead has witnessed this log yet — ${plural(w.unwitnessedSessions, 'session')}`;
  const days = daysText(w.daysSinceWitnessed ?? 0);
  if (w.unwitnessedRecords === 0) return `Witnessed up to now — ${w.witnessed.by} signed off ${days === 'less than a day' ? 'today' : `${days} ago`}`;
  return `${plural(w.unwitnessedSessions, 'session')} not yet witnessed, ${days} since a lead last signed off (${w.witnessed.by})`;
}

function checkpointText(w: WitnessStatus): string {
  if (!w.latestCheckpoint) return 'No signed checkpoint yet: until there is one, deleting the newest records would go unnoticed.';
  if (w.latestCheckpoint.size > w.records) {
    return `The latest signed checkpoint covers ${plural(w.latestCheckpoint.size, 'record')}, but the log now holds ${w.records}: records were deleted. Verify names them.`;
  }
  const covers = w.latestCheckpoint.size === w.records ? `all ${plural(w.records, 'record')}` : `${w.latestCheckpoint.size} of ${plural(w.records, 'record')}`;
  return `Latest signed checkpoint covers ${covers} · signed ${formatDateTime(w.latestCheckpoint.signedAt)}`;
}

async function signNow(): Promise<void> {
  const failure = await useAccountability.getState().signCheckpoint();
  if (failure) notifications.show({ color: 'red', title: 'Checkpoint not signed', message: failure });
  else notifications.show({ color: 'teal', title: 'Checkpoint signed', message: `It covers ${plural(useAccountability.getState().witness?.latestCheckpoint?.size ?? 0, 'record')} and is kept in the database and in the OS keychain.` });
}

/** The log page's line on signed checkpoints and a lead's witness, with the nudges that go with it. */
export function WitnessLine() {
  const witness = useAccountability((s) => s.witness);
  const identity = useAccountability((s) => s.identity);
  const signing = useAccountability((s) => s.signingCheckpoint);
  if (!witness) return null;
  const witnessedAll = witness.witnessed !== null && witness.unwitnessedRecords === 0;
  return (
    <Stack gap="xs">
      <Card withBorder padding="sm" data-testid="witness-line">
        <Group justify="space-between" wrap="nowrap" gap="md">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon size={32} radius="xl" variant="light" color={witnessedAll ? 'teal' : witness.witnessed ? 'blue' : 'orange'}>
              {witness.witnessed ? <IconEye size={17} /> : <IconEyeOff size={17} />}
            </ThemeIcon>
            <div>
              <Text size="sm" fw={600} data-testid="witness-headline">{witnessHeadline(witness)}</Text>
              <Text size="xs" c={witness.latestCheckpoint && witness.latestCheckpoint.size > witness.records ? 'red' : 'dimmed'} fw={witness.latestCheckpoint && witness.latestCheckpoint.size > witness.records ? 600 : undefined} data-testid="witness-checkpoint">{checkpointText(witness)}</Text>
            </div>
          </Group>
          <Tooltip label={identity ? 'Sign the log as it is now with your key' : 'Create your identity first: a checkpoint is signed with your key'} withArrow>
            <Button size="xs" variant="light" leftSection={<IconSignature size={14} />} loading={signing} disabled={!identity} onClick={() => void signNow()} data-testid="sign-checkpoint" style={{ flexShrink: 0 }}>
              Sign checkpoint now
            </Button>
          </Tooltip>
        </Group>
      </Card>
      {identity === null && (
        <Alert color="blue" variant="light" icon={<IconKey size={18} />} title="You have no identity yet" data-testid="identity-nudge">
          Until you create one, log records name the OS user and checkpoints cannot be signed, so a lead cannot tell your log from anyone else&apos;s.{' '}
          <Anchor component="button" size="sm" fw={600} onClick={() => navigate({ name: 'team' })} data-testid="identity-nudge-create">Create your identity</Anchor>
        </Alert>
      )}
      {witness.checkpointFailure && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="The last automatic checkpoint failed" data-testid="checkpoint-failure">
          {witness.checkpointFailure} Sign one now once the cause is fixed.
        </Alert>
      )}
    </Stack>
  );
}
