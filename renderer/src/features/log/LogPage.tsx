import { Alert, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import type { SessionRecordView } from '../../../../contract/models';
import { useEffect, useState } from 'react';
import { useAccountability } from '../../stores/accountability';
import { EMPTY_FILTERS, useSessionLog } from '../../stores/session-log';
import { EmptyState } from '../common/EmptyState';
import { ExportMenu } from './ExportMenu';
import { LogDetailDrawer } from './LogDetail';
import { LogFilters } from './LogFilters';
import { LogTable } from './LogTable';
import { LOG_KIND_NOUNS } from './record-line';
import { VerifyButton } from './VerifyButton';
import { VerifyResult } from './VerifyResult';
import { WitnessLine } from './WitnessLine';

/** Verify also refreshes the witness line: both read the same checkpoints. */
async function verifyLog(): Promise<void> {
  await useSessionLog.getState().verify();
  await useAccountability.getState().loadWitness();
}

export function LogPage() {
  const records = useSessionLog((s) => s.records);
  const loading = useSessionLog((s) => s.loading);
  const error = useSessionLog((s) => s.error);
  const filters = useSessionLog((s) => s.filters);
  const kind = filters.kind;
  const [open, setOpen] = useState<SessionRecordView | null>(null);

  useEffect(() => {
    void useSessionLog.getState().loadLog();
    void useSessionLog.getState().loadRunning();
    void useAccountability.getState().load();
  }, []);

  return (
    <Stack gap="md" data-testid="log-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Session log</Title>
          <Text size="sm" c="dimmed">Every connection attempt, allowed or denied, and every change to the policy, approval and review — chained by hash so an edit shows.</Text>
        </div>
        <Group gap="xs">
          <VerifyButton onVerify={() => void verifyLog()} />
          <ExportMenu />
        </Group>
      </Group>
      <WitnessLine />
      <VerifyResult />
      <LogFilters />
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      <Card withBorder padding={0} style={{ opacity: loading && records ? 0.7 : 1 }}>
        {records === null && <Stack p="md" gap="xs">{[0, 1, 2, 3].map((i) => <Skeleton key={i} h={28} />)}</Stack>}
        {records?.length === 0 && (
          <div data-testid="log-empty">
            <EmptyState icon={<IconHistory size={20} />} title="Nothing matches">
              {kind && kind !== 'session'
                ? `No ${LOG_KIND_NOUNS[kind]} on the record${JSON.stringify({ ...filters, kind: null }) === JSON.stringify(EMPTY_FILTERS) ? ' yet' : ' match these filters'}.`
                : 'Sessions appear here as soon as you try to connect from a host row, a site page or the command palette — denied attempts included.'}
            </EmptyState>
          </div>
        )}
        {records && records.length > 0 && <LogTable records={records} onOpen={setOpen} />}
      </Card>
      <LogDetailDrawer record={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
