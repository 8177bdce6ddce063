import { Button, Group, Menu, Progress, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconFileExport } from '@tabler/icons-react';
import { useState } from 'react';
import type { InputOf } from '../../../../contract/api';
import type { LogExportJobView } from '../../../../contract/log-jobs';
import { api } from '../../api/transport';
import { downloadText } from '../../lib/download';
import { errorMessage } from '../../lib/validation';

type ExportFormat = InputOf<'log.exportStart'>['format'];

const EXPORTS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'csv', label: 'Every event — CSV', hint: 'one row per event, hashes included' },
  { format: 'json', label: 'Every event — JSON', hint: 'the verifiable copy (log verify reads it)' },
  { format: 'sessions-csv', label: 'One row per session — CSV', hint: 'engineer, ticket, site … outcome, bytes, summary' },
  { format: 'sessions-json', label: 'One row per session — JSON', hint: 'the same, with the log head it reflects' },
];

/** How often the window asks how far an export got; the core answers at once, a worker writes the file. */
const POLL_MS = 250;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Export: the core's worker writes the file (the core's thread keeps answering the window), showing
 * "Exporting: n of N events" and a Cancel that leaves no file behind; once whole, the window downloads it.
 */
export function ExportMenu() {
  const [job, setJob] = useState<LogExportJobView | null>(null);

  async function run(format: ExportFormat): Promise<void> {
    try {
      let current = await api['log.exportStart']({ format });
      setJob(current);
      while (current.state === 'running') {
        await pause(POLL_MS);
        current = await api['log.exportJob']({ jobId: current.jobId });
        setJob(current);
      }
      if (current.state === 'done') {
        const { text, fileName } = await api['log.exportText']({ jobId: current.jobId });
        downloadText(text, fileName, format.endsWith('csv') ? 'text/csv' : 'application/json');
        const what = format.startsWith('sessions-') ? 'one row per session' : 'every event, hashes included';
        notifications.show({ color: 'teal', title: 'Session log exported', message: `Saved as ${fileName} (${what}).` });
      } else if (current.state === 'cancelled') {
        notifications.show({ color: 'gray', title: 'Export cancelled', message: 'No file was written.' });
      } else {
        notifications.show({ color: 'red', title: 'Export failed', message: current.error ?? 'The export could not be written.' });
      }
    } catch (error) {
      notifications.show({ color: 'red', title: 'Export failed', message: errorMessage(error) });
    } finally {
      setJob(null);
    }
  }

  if (job?.state === 'running') {
    const percent = job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;
    return (
      <Group gap="xs" data-testid="export-progress" data-done={job.done} data-total={job.total}>
        <div style={{ width: 200 }}>
          <Text size="xs" c="dimmed">{job.total > 0 ? `Exporting: ${job.done.toLocaleString()} of ${job.total.toLocaleString()} events` : 'Exporting…'}</Text>
          <Progress value={percent} size="sm" animated aria-label={`${Math.floor(percent)}% exported`} />
        </div>
        <Button variant="default" size="xs" onClick={() => void api['log.exportCancel']({ jobId: job.jobId })} data-testid="export-cancel">Cancel</Button>
      </Group>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconFileExport size={16} />} rightSection={<IconChevronDown size={14} />} data-testid="export-log">Export</Button>
      </Menu.Target>
      <Menu.Dropdown>
        {EXPORTS.map((e) => (
          <Menu.Item key={e.format} onClick={() => void run(e.format)} data-testid={`export-log-${e.format}`}>
            <Text size="sm">{e.label}</Text>
            <Text size="xs" c="dimmed">{e.hint}</Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
