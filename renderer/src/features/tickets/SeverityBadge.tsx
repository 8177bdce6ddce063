import { Badge, Group, Tooltip } from '@mantine/core';
import { IconHandStop } from '@tabler/icons-react';
import type { Severity } from '../../../../contract/domain/vocabulary';
import { SEVERITY_COLORS } from '../../lib/sla';

export function SeverityBadge({ severity, computed, testId, size = 'sm' }: { severity: Severity; computed?: Severity; testId?: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const overridden = computed !== undefined && computed !== severity;
  return (
    <Group gap={4} wrap="nowrap" data-testid={testId} data-severity={severity}>
      <Badge color={SEVERITY_COLORS[severity]} variant={severity === 'minor' ? 'light' : 'filled'} size={size}>{severity}</Badge>
      {overridden && (
        <Tooltip label={`Overridden by an engineer; the impact computes as ${computed}`}>
          <Badge variant="outline" color="gray" size="xs" leftSection={<IconHandStop size={10} />} data-testid="severity-overridden">overridden</Badge>
        </Tooltip>
      )}
    </Group>
  );
}
