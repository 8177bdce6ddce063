import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconNotebook, IconShieldPlus } from '@tabler/icons-react';
import type { ShownDecision } from '../../../../contract/connect-flow';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import type { Site } from '../../../../contract/models';
import { PolicyDecisionView } from './PolicyDecisionView';

interface Props {
  site: Site;
  shown: ShownDecision;
  ticket: string;
  onRequestException: () => void;
}

/**
 * Step 3: the policy's answer. A denial here is already a denied attempt in the session log (the core
 * wrote it when it decided, see `policy.decide`), so there is nothing to "try anyway": the way on is
 * another target or method, or a recorded exception when the method is not approved for the site.
 */
export function ConnectPolicyStep({ site, shown, ticket, onRequestException }: Props) {
  if (shown.loggedAs === null) return <PolicyDecisionView decision={shown.decision} />;
  const method = shown.decision.method;
  const notApproved = !site.approvedMethods.includes(method);
  return (
    <Stack gap="xs">
      <PolicyDecisionView decision={shown.decision} />
      <Alert variant="light" color="gray" p="xs" icon={<IconNotebook size={16} />} data-testid="denial-logged" data-session-id={shown.loggedAs}>
        <Text size="sm">This denied attempt is recorded in the session log against {ticket} (record <span className="sb-mono">{shown.loggedAs.slice(0, 8)}</span>). Nothing was opened.</Text>
      </Alert>
      {notApproved && (
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" c="dimmed">{METHOD_LABELS[method]} is not approved for {site.customerName} / {site.name}. A named person can approve it, for a reason and until a date.</Text>
          <Button variant="light" color="yellow" leftSection={<IconShieldPlus size={16} />} onClick={onRequestException} data-testid="request-exception" style={{ flexShrink: 0 }}>
            Request an exception
          </Button>
        </Group>
      )}
    </Stack>
  );
}
