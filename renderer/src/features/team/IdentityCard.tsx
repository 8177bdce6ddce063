import { Badge, Button, Card, Code, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconCopy, IconUserCheck } from '@tabler/icons-react';
import type { IdentityView } from '../../../../contract/accountability';
import { formatDateTime } from '../../lib/format';
import { Fingerprint } from './Fingerprint';

/** The line a lead pastes into the roster YAML for this person. */
function rosterLine(identity: IdentityView): string {
  return `- { name: ${identity.name}, email: ${identity.email}, role: ${identity.role}, public_key: "${identity.publicKey}" }`;
}

function RoleBadge({ identity }: { identity: IdentityView }) {
  if (identity.rosterRole === null) {
    return (
      <Group gap={6}>
        <Badge variant="light" color="gray" data-testid="identity-role-badge">{identity.role}</Badge>
        <Text size="xs" c="dimmed">as you chose it; you are not in a trusted team roster yet</Text>
      </Group>
    );
  }
  return (
    <Group gap={6}>
      <Badge variant="light" color={identity.rosterRole === 'lead' ? 'grape' : 'blue'} data-testid="identity-role-badge">{identity.rosterRole}</Badge>
      <Text size="xs" c="dimmed">
        as the team roster says{identity.rosterRole !== identity.role ? ` (you chose ${identity.role})` : ''}
      </Text>
    </Group>
  );
}

function CopyLabelled({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button size="compact-xs" variant="default" leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />} onClick={copy} data-testid={testId}>
          {copied ? 'Copied' : label}
        </Button>
      )}
    </CopyButton>
  );
}

export function IdentityCard({ identity }: { identity: IdentityView }) {
  return (
    <Card withBorder padding="lg" data-testid="identity-card">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Group gap="sm" align="flex-start">
            <IconUserCheck size={22} stroke={1.6} style={{ marginTop: 2 }} />
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.05em' }}>Your identity</Text>
              <Title order={4} data-testid="identity-name-shown">{identity.name}</Title>
              <Text size="sm" c="dimmed">{identity.email}</Text>
            </div>
          </Group>
          <Text size="xs" c="dimmed">Created {formatDateTime(identity.createdAt)}</Text>
        </Group>
        <Group gap="sm" align="center">
          <Text size="xs" c="dimmed" fw={600} w={90}>Role</Text>
          <RoleBadge identity={identity} />
        </Group>
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <Text size="xs" c="dimmed" fw={600} w={90} mt={3} style={{ flexShrink: 0 }}>Fingerprint</Text>
          <Stack gap={2}>
            <Fingerprint value={identity.fingerprint} size="md" testId="identity-fingerprint" />
            <Text size="xs" c="dimmed">Read it to your lead, group by group, so they know the key in the roster is yours.</Text>
          </Stack>
        </Group>
        <Stack gap={6}>
          <Group justify="space-between">
            <Text size="xs" c="dimmed" fw={600}>Public key — and the line your lead adds to the roster</Text>
            <Group gap={6}>
              <CopyLabelled value={identity.publicKey} label="Copy key" testId="copy-public-key" />
              <CopyLabelled value={rosterLine(identity)} label="Copy roster line" testId="copy-roster-line" />
            </Group>
          </Group>
          <Code block className="sb-mono" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="identity-roster-line">{rosterLine(identity)}</Code>
          <Text size="xs" c="dimmed">The private key never leaves the OS keychain; Switchboard reads it only to sign.</Text>
        </Stack>
      </Stack>
    </Card>
  );
}
