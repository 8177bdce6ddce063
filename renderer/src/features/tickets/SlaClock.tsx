import { Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { SlaClockView } from '../../../../contract/models';
import { clockPercent, clockText, riskColor } from '../../lib/sla';

/** One SLA clock in a table cell: what is left (or how it ended) over a bar coloured by risk. */
export function SlaClock({ clock, testId, width = 150 }: { clock: SlaClockView; testId?: string; width?: number }) {
  const percent = clockPercent(clock);
  const color = riskColor(clock);
  const quiet = clock.state === 'not_applicable' || clock.state === 'stopped';
  return (
    <Tooltip label={clock.reason} multiline w={300} disabled={!clock.reason}>
      <Stack gap={4} w={width} data-testid={testId} data-state={clock.state}>
        <Text size="xs" fw={clock.state === 'breached' ? 600 : 500} c={clock.state === 'breached' ? 'red' : quiet ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
          {clockText(clock)}
        </Text>
        {percent !== null && !quiet && (
          // Striped and still while paused: the budget is not being used up now.
          <Progress value={percent} color={clock.state === 'paused' ? 'gray' : color} striped={clock.state === 'paused'} size={5} radius="xl" aria-label={`${Math.round(percent)}% of the budget used${clock.state === 'paused' ? ', paused' : ''}`} />
        )}
      </Stack>
    </Tooltip>
  );
}
