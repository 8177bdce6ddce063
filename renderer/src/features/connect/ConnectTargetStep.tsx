import { Alert, Autocomplete, Checkbox, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconPresentation } from '@tabler/icons-react';
import type { Site } from '../../../../contract/models';
import { METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import { monoInput } from '../../lib/format';
import { isMeeting } from './methods';

interface Props {
  site: Site;
  methods: Method[];
  method: Method;
  setMethod: (m: Method) => void;
  target: string;
  setTarget: (t: string) => void;
  presenter: boolean;
  setPresenter: (p: boolean) => void;
  error?: string;
}

/** Step 2: what to reach and how. Hosts are matched against the site's trusted hosts by the policy. */
export function ConnectTargetStep({ site, methods, method, setMethod, target, setTarget, presenter, setPresenter, error }: Props) {
  const meeting = isMeeting(method);
  const notApproved = !site.approvedMethods.includes(method);
  return (
    <Stack gap="sm">
      <Stack gap={4}>
        <Text size="sm" fw={500}>Method</Text>
        <SegmentedControl
          value={method}
          onChange={(v) => setMethod(v as Method)}
          data={methods.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
          data-testid="connect-method"
          fullWidth={methods.length <= 4}
          style={{ flexWrap: 'wrap' }}
        />
        {notApproved && <Text size="xs" c="orange">{METHOD_LABELS[method]} is not approved for this site: it needs an exception signed by a lead.</Text>}
      </Stack>
      {meeting ? (
        <>
          <TextInput
            label={`${METHOD_LABELS[method]} meeting link`}
            description={method === 'webex' ? 'https://<company>.webex.com/…' : 'https://teams.microsoft.com/l/meetup-join/…'}
            withAsterisk
            styles={monoInput}
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            error={error}
            data-testid="meeting-url"
            data-autofocus
          />
          <Alert variant="light" color="blue" icon={<IconPresentation size={16} />} p="sm">
            <Checkbox
              label="The customer is presenting — I confirm"
              description="Meetings are approved only with the customer as presenter. Your confirmation is recorded in the session log."
              checked={presenter}
              onChange={(e) => setPresenter(e.currentTarget.checked)}
              data-testid="presenter-confirm"
            />
          </Alert>
        </>
      ) : (
        <Autocomplete
          label="Target"
          description="A trusted host of this site, by name or address. The policy resolves it and checks the allow-list."
          withAsterisk
          styles={monoInput}
          data={site.hosts.map((h) => h.name)}
          value={target}
          onChange={setTarget}
          error={error}
          data-testid="connect-target"
          data-autofocus
        />
      )}
      <Group gap={6}>
        <Text size="xs" c="dimmed">Site</Text>
        <Text size="xs">{site.customerName} / {site.name}</Text>
      </Group>
    </Stack>
  );
}
