import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Site } from '../../../../contract/models';
import { COMPONENT_LABELS, METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { FILE_TRANSFER_WORDS } from '../../../../contract/domain/file-transfer';
import { formatDateTime } from '../../lib/format';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>{label}</Text>
      {children}
    </Stack>
  );
}

const none = <Text size="sm" c="dimmed">—</Text>;

/** Whether keystrokes are recorded, and who last turned it on or off (a team lead checks this). */
function RecordInputFact({ site }: { site: Site }) {
  const [last, ...earlier] = site.recordInputChanges;
  const history = site.recordInputChanges.map((c) => `${c.on ? 'on' : 'off'} by ${c.by}, ${formatDateTime(c.at)}`).join('\n');
  return (
    <Stack gap={2} align="flex-start" data-testid="site-record-input" data-on={site.recordInput}>
      {site.recordInput
        ? <Badge size="sm" variant="light" color="orange" title="Keystrokes are recorded, including passwords typed at remote prompts">Keystrokes recorded</Badge>
        : <Text size="sm">Output only</Text>}
      {last && (
        <Text size="xs" c="dimmed" title={history} data-testid="site-record-input-change">
          turned {last.on ? 'on' : 'off'} by {last.by}, {formatDateTime(last.at)}{earlier.length ? ` (+${earlier.length} earlier)` : ''}
        </Text>
      )}
    </Stack>
  );
}

/** Whether files may move over SFTP, which way, and where (the policy decides every transfer by it). */
function FileTransferFact({ site }: { site: Site }) {
  const { transfer, folders } = site.files;
  return (
    <Stack gap={2} align="flex-start" data-testid="site-files" data-transfer={transfer}>
      {transfer === 'off'
        ? <Text size="sm">Off — not approved</Text>
        : <Badge size="sm" variant="light" color={transfer === 'both' ? 'orange' : 'teal'}>{FILE_TRANSFER_WORDS[transfer]}</Badge>}
      {transfer !== 'off' && (folders.length
        ? <Text size="xs" className="sb-mono" data-testid="site-files-folders">{folders.join(', ')}</Text>
        : <Text size="xs" c="dimmed">any folder the login may {transfer === 'both' ? 'read and write' : 'read'}</Text>)}
    </Stack>
  );
}

export function SiteFacts({ site }: { site: Site }) {
  return (
    <Paper withBorder p="md" data-testid="site-facts">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="md">
        <Fact label="Seats"><Text size="sm" fw={500}>{site.seats}</Text></Fact>
        <Fact label="Peak calls"><Text size="sm" fw={500}>{site.peakCalls}</Text></Fact>
        <Fact label="Product version">{site.productVersion ? <Text size="sm" className="sb-mono">{site.productVersion}</Text> : none}</Fact>
        <Fact label="Retention">
          {site.retention ? (
            <Text size="sm">ameyodb {site.retention.ameyodbDays} d · reportsdb {site.retention.reportsdbDays} d</Text>
          ) : none}
        </Fact>
        <Fact label="Components">
          {site.components.length ? (
            <Group gap={4}>{site.components.map((c) => <Badge key={c} size="sm" variant="default">{COMPONENT_LABELS[c]}</Badge>)}</Group>
          ) : none}
        </Fact>
        <Fact label="Approved methods">
          {site.approvedMethods.length ? (
            <Group gap={4} data-testid="approved-methods">{site.approvedMethods.map((m) => <Badge key={m} size="sm" variant="light" color="teal">{METHOD_LABELS[m]}</Badge>)}</Group>
          ) : <Text size="sm" c="dimmed">None — every connection needs an exception</Text>}
        </Fact>
        <Fact label="VPN profile">
          {site.vpn ? (
            <>
              <Text size="sm"><b>{site.vpn.client}</b> <span className="sb-mono">{site.vpn.profile}</span> via <span className="sb-mono">{site.vpn.gateway}</span></Text>
              {site.vpn.profileSha256 ? (
                <Text size="xs" c="dimmed" title={site.vpn.profileSha256} data-testid="vpn-profile-copy">checked copy, SHA-256 <span className="sb-mono">{site.vpn.profileSha256.slice(0, 12)}…</span></Text>
              ) : (
                <Text size="xs" c="red" data-testid="vpn-profile-copy">not checked for hooks — set the profile again to connect</Text>
              )}
            </>
          ) : none}
        </Fact>
        <Fact label="Notes"><Text size="sm">{site.notes.length}</Text></Fact>
        <Fact label="SSH input recording"><RecordInputFact site={site} /></Fact>
        <Fact label="File transfer"><FileTransferFact site={site} /></Fact>
      </SimpleGrid>
    </Paper>
  );
}
