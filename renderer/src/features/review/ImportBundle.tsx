import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { BundleImportView } from '../../../../contract/accountability';
import type { BundleImportJobView } from '../../../../contract/log-jobs';
import { api } from '../../api/transport';
import { downloadText } from '../../lib/download';
import { plural } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useReview } from '../../stores/review';

/** How often the window asks how far the checks got; the core answers at once, its worker reads the bundle. */
const POLL_MS = 250;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Import an engineer's signed bundle: verified in full or refused by name, the cosigned checkpoint saved
 * to hand back. The checks run on the core's worker as a job ("Checking: n of N records", with a Cancel
 * that imports nothing), so the rest of the window keeps answering meanwhile.
 */
export function ImportBundle() {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<BundleImportJobView | null>(null);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      let current = await api['review.importStart']({ text: await file.text() });
      setJob(current);
      while (current.state === 'running') {
        await pause(POLL_MS);
        current = await api['review.importJob']({ jobId: current.jobId });
        setJob(current);
      }
      if (current.state === 'cancelled') {
        notifications.show({ color: 'gray', title: 'Import cancelled', message: 'Nothing was imported.' });
      } else if (current.state === 'failed' || !current.result) {
        notifications.show({ color: 'red', title: 'Bundle refused', message: current.error ?? 'The bundle could not be imported.', autoClose: false });
      } else {
        await imported(current.result);
      }
    } catch (error) {
      notifications.show({ color: 'red', title: 'Bundle refused', message: errorMessage(error), autoClose: false });
    } finally {
      setBusy(false);
      setJob(null);
      if (input.current) input.current.value = '';
    }
  };
  if (job?.state === 'running') {
    const percent = job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : 0;
    const checked = job.total > 0 && job.done >= job.total;
    return (
      <Group gap="xs" data-testid="review-import-progress" data-done={job.done} data-total={job.total}>
        <div style={{ width: 220 }}>
          <Text size="xs" c="dimmed">{checked ? 'Importing…' : job.total > 0 ? `Checking: ${job.done.toLocaleString()} of ${job.total.toLocaleString()} records` : 'Reading the bundle…'}</Text>
          <Progress value={percent} size="sm" animated aria-label={`${Math.floor(percent)}% checked`} />
        </div>
        <Button variant="default" size="xs" disabled={checked} onClick={() => void api['review.importCancel']({ jobId: job.jobId })} data-testid="review-import-cancel">Cancel</Button>
      </Group>
    );
  }
  return (
    <>
      <input ref={input} type="file" accept=".json,.bundle,application/json" hidden onChange={(e) => void onFile(e.currentTarget.files?.[0])} data-testid="review-import-file" />
      <Button variant="default" leftSection={<IconUpload size={16} />} loading={busy} onClick={() => input.current?.click()} data-testid="review-import">Import bundle</Button>
    </>
  );
}

async function imported(result: BundleImportView): Promise<void> {
  const witnessFile = `${result.engineer.email}.witness`;
  // Saved when the lead asks, not behind their back: it is the file they hand back to the engineer.
  notifications.show({
    color: 'teal', autoClose: false, title: `Imported ${result.engineer.name}'s bundle`,
    message: (
      <Stack gap={6}>
        <Text size="sm">{plural(result.sessions, 'session')}, {plural(result.recordings, 'recording')}. You cosigned the checkpoint; hand it back so {result.engineer.name}'s app shows it as witnessed (switchboard log witness FILE).</Text>
        <Group><Button size="compact-sm" variant="light" onClick={() => downloadText(result.cosignedNote, witnessFile, 'text/plain')} data-testid="review-save-witness">Save {witnessFile}</Button></Group>
      </Stack>
    ),
  });
  if (result.unverifiedExceptions.length > 0) {
    notifications.show({
      color: 'red', autoClose: false, title: `${plural(result.unverifiedExceptions.length, 'exception')} did not check out — flagged`,
      message: result.unverifiedExceptions.map((u) => `${u.sessionId.slice(0, 8)}…: ${u.reason}`).join(' · '),
    });
  }
  await useReview.getState().load();
  await useReview.getState().loadFacets();
}
