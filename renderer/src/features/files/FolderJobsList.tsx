import { ActionIcon, Badge, Group, List, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconFolderDown, IconFolderUp, IconX } from '@tabler/icons-react';
import type { TransferView } from '../../../../contract/files';
import { humanBytes } from './file-format';
import type { FolderJob } from './use-folder-transfers';

const STATE_COLOR: Record<FolderJob['state'], string> = { running: 'blue', complete: 'teal', stopped: 'orange', cancelled: 'gray', failed: 'red', refused: 'orange' };
const STATE_WORD: Record<FolderJob['state'], string> = { running: 'running', complete: 'complete', stopped: 'stopped', cancelled: 'cancelled', failed: 'failed', refused: 'refused' };

/** "12 of 40 files · 3.2 MiB of 18 MiB" — or, while the remote folder is still being counted, what came so far. */
export function folderProgressText(job: FolderJob, bytesDone: number): string {
  const files = job.files === null ? `${job.filesDone} file${job.filesDone === 1 ? '' : 's'}` : `${job.filesDone} of ${job.files} file${job.files === 1 ? '' : 's'}`;
  const bytes = job.bytes === null ? humanBytes(bytesDone) : `${humanBytes(bytesDone)} of ${humanBytes(job.bytes)}`;
  return `${files} · ${bytes}`;
}

/** The one-line ending a person reads first: what came, what did not and why is under it. */
function summary(job: FolderJob): string {
  const came = `${job.filesDone} file${job.filesDone === 1 ? '' : 's'} ${job.direction === 'download' ? 'downloaded' : 'uploaded'}`;
  const skipped = job.skipped.length > 0 ? `, ${job.skipped.length} skipped` : '';
  switch (job.state) {
    case 'running': return job.files === null && job.direction === 'download' ? 'Counting the folder…' : '';
    case 'complete': return `All ${came}${skipped}.`;
    case 'stopped': return `${came}${skipped}; the rest not sent.`;
    case 'cancelled': return `Cancelled: ${came}.`;
    case 'refused': return 'Nothing was made or sent.';
    case 'failed': return `${came}.`;
  }
}

function FolderJobRow({ job, transfers, onCancel, onForget }: { job: FolderJob; transfers: readonly TransferView[]; onCancel: () => void; onForget: () => void }) {
  const current = job.currentId ? transfers.find((t) => t.transferId === job.currentId) ?? null : null;
  // A download's bytes are counted by the core with the running file's; an upload's running file is added here.
  const bytesDone = job.direction === 'upload' && current?.state === 'running' ? job.bytesDone + current.bytes : job.bytesDone;
  const percent = job.bytes ? Math.min(100, (bytesDone / job.bytes) * 100) : job.state === 'complete' ? 100 : 0;
  const running = job.state === 'running';
  return (
    <Stack gap={2} py={6} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }} data-testid="folder-job" data-state={job.state} data-direction={job.direction} data-name={job.name}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          {job.direction === 'download'
            ? <IconFolderDown size={14} aria-label="folder download" color="var(--mantine-color-blue-6)" />
            : <IconFolderUp size={14} aria-label="folder upload" color="var(--mantine-color-grape-6)" />}
          <Text size="sm" fw={500} truncate="end" className="sb-mono" title={job.name} data-testid="folder-job-name">{job.name}/</Text>
          <Badge size="xs" variant="light" color={STATE_COLOR[job.state]} data-testid="folder-job-state">{STATE_WORD[job.state]}</Badge>
        </Group>
        {running ? (
          <Tooltip label="Cancel the folder: the file on its way is cancelled, no further file is begun" withinPortal={false} multiline maw={260}>
            <ActionIcon size="sm" variant="subtle" color="red" onClick={onCancel} aria-label={`Cancel the folder ${job.name}`} data-testid="folder-job-cancel"><IconX size={14} /></ActionIcon>
          </Tooltip>
        ) : (
          <Tooltip label="Clear from the list (its files stay in the transfers below and in the session log)" withinPortal={false} multiline maw={260}>
            <ActionIcon size="sm" variant="subtle" color="gray" onClick={onForget} aria-label={`Clear the folder ${job.name} from the list`} data-testid="folder-job-forget"><IconX size={12} /></ActionIcon>
          </Tooltip>
        )}
      </Group>
      {job.to && (
        <Text size="xs" c="dimmed" truncate="end" className="sb-mono" title={job.to}>
          {job.direction === 'download' ? '→' : '←'} {job.to}
        </Text>
      )}
      {job.state !== 'refused' && (
        <Progress value={percent} size="sm" color={STATE_COLOR[job.state]} animated={running} aria-label={`${Math.floor(percent)}%`} data-testid="folder-job-progress" />
      )}
      {job.state !== 'refused' && <Text size="xs" c="dimmed" data-testid="folder-job-counts">{folderProgressText(job, bytesDone)}{current && running ? ` · now ${current.localName}` : ''}</Text>}
      {summary(job) && <Text size="xs" fw={500} data-testid="folder-job-summary">{summary(job)}</Text>}
      {job.reason && (
        <Text size="xs" c={job.state === 'cancelled' ? 'dimmed' : job.state === 'failed' ? 'red' : 'orange.8'} style={{ overflowWrap: 'anywhere' }} data-testid="folder-job-reason">
          {job.state === 'refused' ? 'Refused by the site\'s rule: ' : ''}{job.reason}
        </Text>
      )}
      {job.skipped.length > 0 && (
        <List size="xs" spacing={0} data-testid="folder-job-skipped">
          {job.skipped.map((s) => (
            <List.Item key={s.path}><Text size="xs" c="dimmed"><span className="sb-mono">{s.path}</span> — skipped: {s.why}</Text></List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/**
 * Folders being downloaded or uploaded, newest first: files and bytes done of the folder's total,
 * the file on its way, cancel; once ended, a summary in words, where it stopped and why, and what was
 * skipped. Each file is also its own row in the transfers list, with its SHA-256.
 */
export function FolderJobsList({ jobs, transfers, onCancel, onForget }: {
  jobs: readonly FolderJob[];
  transfers: readonly TransferView[];
  onCancel: (job: FolderJob) => void;
  onForget: (job: FolderJob) => void;
}) {
  if (jobs.length === 0) return null;
  return (
    <Stack gap={0} data-testid="folder-jobs">
      {[...jobs].reverse().map((job) => <FolderJobRow key={job.key} job={job} transfers={transfers} onCancel={() => onCancel(job)} onForget={() => onForget(job)} />)}
    </Stack>
  );
}
