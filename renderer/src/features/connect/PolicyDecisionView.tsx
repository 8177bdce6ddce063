import { Alert, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconShieldCheck, IconShieldX, IconX } from '@tabler/icons-react';
import type { PolicyDecision } from '../../../../contract/models';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { formatDateTime } from '../../lib/format';

/** The policy's answer, every reason visible: green checks when allowed, the failing rule when denied. */
export function PolicyDecisionView({ decision }: { decision: PolicyDecision }) {
  const ok = decision.allowed;
  return (
    <Paper withBorder p="md" data-testid="policy-decision" data-allowed={ok ? 'true' : 'false'} style={{ borderColor: `var(--mantine-color-${ok ? 'teal' : 'red'}-outline)` }}>
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={34} radius="xl" variant="light" color={ok ? 'teal' : 'red'}>
            {ok ? <IconShieldCheck size={20} /> : <IconShieldX size={20} />}
          </ThemeIcon>
          <div>
            <Text fw={600}>{ok ? 'Allowed' : 'Denied'} — {METHOD_LABELS[decision.method]} to {decision.host ?? decision.target}</Text>
            <Text size="sm" c="dimmed">
              {decision.address ? <>connects to <span className="sb-mono" data-testid="policy-address">{decision.address}</span></> : ok ? 'no address to resolve for this method' : 'nothing will be launched'}
              {decision.site ? ` · ${decision.site}` : ''}
            </Text>
          </div>
        </Group>
        <List spacing={6} size="sm" center>
          {decision.reasons.map((reason, i) => (
            <List.Item
              key={i}
              data-testid="policy-reason"
              icon={<ThemeIcon size={18} radius="xl" color={ok ? 'teal' : 'red'} variant="light">{ok ? <IconCheck size={12} /> : <IconX size={12} />}</ThemeIcon>}
            >
              {reason}
            </List.Item>
          ))}
        </List>
        {decision.approval && (
          <Alert variant="light" color="yellow" p="xs" title="Exception approval">
            <Text size="sm">Approved by {decision.approval.approvedBy} until {formatDateTime(decision.approval.validUntil)} — {decision.approval.reason}</Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
