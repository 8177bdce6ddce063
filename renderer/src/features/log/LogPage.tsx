import { Alert, Button, Card, Group, Menu, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconFileExport, IconHistory } from '@tabler/icons-react';
import type { InputOf } from '../../../../contract/api';
import type { SessionRecordView } from '../../../../contract/models';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { downloadText } from '../../lib/download';
import { errorMessage } from '../../lib/validation';
import { useAccountability } from '../../stores/accountability';
import { EMPTY_FILTERS, useSessionLog } from '../../stores/session-log';
import { EmptyState } from '../common/EmptyState';
import { LogDetailDrawer } from './LogDetail';
import { LogFilters } from './LogFilters';
import { LogTable } from './LogTable';
import { LOG_KIND_NOUNS } from './record-line';
import { VerifyButton } from './VerifyButton';
import { VerifyResult } from './VerifyResult';
import { WitnessLine } from './WitnessLine';

type ExportFormat = InputOf<'log.export'>['format'];

const EXPORTS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'csv', label: 'Every event — CSV', hint: 'one row per event, hashes included' },
  { format: 'json', label: 'Every event — JSON', hint: 'the verifiable copy (log verify reads it)' },
  { format: 'sessions-csv', label: 'One row per session — CSV', hint: 'engineer, ticket, site … outcome, bytes, summary' },
  { format: 'sessions-json', label: 'One row per session — JSON', hint: 'the same, with the log head it reflects' },
];

async function exportLog(format: ExportFormat): Promise<void> {
  try {
    const { text, fileName } = await api['log.export']({ format });
    downloadText(text, fileName, format.endsWith('csv') ? 'text/csv' : 'application/json');
    const what = format.startsWith('sessions-') ? 'one row per session' : 'every event, hashes included';
    notifications.show({ color: 'teal', title: 'Session log exported', message: `Saved as ${fileName} (${what}).` });
  } catch (error) {
    notifications.show({ color: 'red', title: 'Export failed', message: errorMessage(error) });
  }
}

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
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button variant="default" leftSection={<IconFileExport size={16} />} rightSection={<IconChevronDown size={14} />} data-testid="export-log">Export</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {EXPORTS.map((e) => (
                <Menu.Item key={e.format} onClick={() => void exportLog(e.format)} data-testid={`export-log-${e.format}`}>
                  <Text size="sm">{e.label}</Text>
                  <Text size="xs" c="dimmed">{e.hint}</Text>
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
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
