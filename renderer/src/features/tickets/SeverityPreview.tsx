import { Group, List, Loader, Paper, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { ticketInputs } from '../../../../contract/inputs';
import type { SeverityComputation } from '../../../../contract/models';
import type { InputOf } from '../../../../contract/api';
import { errorMessage } from '../../lib/validation';
import { SeverityBadge } from './SeverityBadge';

export const formatLoss = (loss: number): string => `${(loss * 100).toFixed(loss * 100 < 10 ? 1 : 0)}%`;

/** The computation as the guide defines it, step by step. */
export function ComputationSteps({ computation }: { computation: SeverityComputation }) {
  return (
    <List size="xs" spacing={2} c="dimmed" type="ordered">
      {computation.steps.map((step, i) => <List.Item key={i}>{step}</List.Item>)}
    </List>
  );
}

/** Calls tickets.classify a moment after the engineer stops typing and shows what it computes. */
export function SeverityPreview({ input }: { input: InputOf<'tickets.classify'> | null }) {
  const [debounced] = useDebouncedValue(input ? JSON.stringify(input) : null, 300);
  const [result, setResult] = useState<SeverityComputation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!debounced) return;
    const parsed = ticketInputs.ticketClassify.safeParse(JSON.parse(debounced));
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'incomplete impact');
      return;
    }
    let stale = false;
    setBusy(true);
    api['tickets.classify'](parsed.data).then(
      (r) => { if (!stale) { setResult(r); setError(null); } },
      (e: unknown) => { if (!stale) setError(errorMessage(e)); },
    ).finally(() => { if (!stale) setBusy(false); });
    return () => { stale = true; };
  }, [debounced]);

  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-default-hover)" data-testid="severity-preview" data-severity={result?.severity}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text size="sm" fw={600}>Computed severity</Text>
            {result && <SeverityBadge severity={result.severity} />}
            {result && <Text size="xs" c="dimmed">production loss {formatLoss(result.loss)}</Text>}
          </Group>
          {busy && <Loader size="xs" />}
        </Group>
        {error && <Text size="xs" c="orange">{error}</Text>}
        {result ? <ComputationSteps computation={result} /> : !error && <Text size="xs" c="dimmed">Enter the impact to see the severity.</Text>}
      </Stack>
    </Paper>
  );
}
