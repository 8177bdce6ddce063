import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';
import type { RosterView } from '../../../../contract/accountability';
import { formatDateTime, plural } from '../../lib/format';
import { Fingerprint } from './Fingerprint';

/** The roster this data dir trusts: who is on the team, who signed it, and the key trust started from. */
export function RosterCard({ roster, ownFingerprint }: { roster: RosterView; ownFingerprint: string | null }) {
  const anchor = roster.members.find((m) => m.fingerprint === roster.trustAnchor);
  return (
    <Card withBorder padding={0} data-testid="roster-card">
      <Stack gap="xs" p="lg" pb="md">
        <Group gap="sm" align="center">
          <IconUsersGroup size={20} stroke={1.6} />
          <Title order={4} data-testid="roster-team">{roster.team}</Title>
          <Badge variant="light" color="gray">{plural(roster.members.length, 'member')}</Badge>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="sm">
          <Stack gap={2}>
            <Text size="xs" c="dimmed" fw={600}>Signed by · imported {formatDateTime(roster.importedAt)}</Text>
            <Text size="sm" data-testid="roster-signed-by">{roster.signedBy.name}{roster.signedBy.email ? <Text span c="dimmed"> &lt;{roster.signedBy.email}&gt;</Text> : null}</Text>
            <Fingerprint value={roster.signedBy.fingerprint} size="xs" />
          </Stack>
          <Stack gap={2}>
            <Text size="xs" c="dimmed" fw={600}>Trust anchor — the lead key this data dir first confirmed</Text>
            {roster.trustAnchor === roster.signedBy.fingerprint ? (
              <Text size="sm" data-testid="roster-trust-anchor" data-fingerprint={roster.trustAnchor}>{roster.signedBy.name}&apos;s key, the one that signed this roster</Text>
            ) : (
              <>
                <Text size="sm">{anchor ? anchor.name : 'A lead no longer in the roster'}; this roster is trusted because a lead of the one before signed it</Text>
                <Fingerprint value={roster.trustAnchor} size="xs" testId="roster-trust-anchor" />
              </>
            )}
          </Stack>
        </SimpleGrid>
      </Stack>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" horizontalSpacing="lg" striped highlightOnHover data-testid="roster-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Member</Table.Th>
              <Table.Th w={110}>Role</Table.Th>
              <Table.Th>Fingerprint</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {roster.members.map((m) => (
              <Table.Tr key={m.fingerprint} data-testid={`roster-member-${m.email}`}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>{m.name}</Text>
                    {m.fingerprint === ownFingerprint && <Badge size="xs" variant="outline" style={{ flexShrink: 0 }}>you</Badge>}
                  </Group>
                  <Text size="xs" c="dimmed">{m.email}</Text>
                </Table.Td>
                <Table.Td><Badge size="sm" variant="light" color={m.role === 'lead' ? 'grape' : 'blue'} style={{ flexShrink: 0, overflow: 'visible' }}>{m.role}</Badge></Table.Td>
                <Table.Td><Fingerprint value={m.fingerprint} size="xs" /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
