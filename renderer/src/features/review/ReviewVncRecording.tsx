import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { ReviewSessionView } from '../../../../contract/review';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';
import { loadVncRecording, type LoadedVncRecording } from '../log/vnc-recording-loader';
import { VncReplayPlayer } from '../log/VncReplayPlayer';

/**
 * An imported VNC session's recording for the lead: opened only on request (the button or Enter), its
 * SHA-256 checked by the core against the signed record at every opening, which is a 'viewing' record in
 * the lead's log; then replayed in noVNC like the engineer's own.
 */
export function ReviewVncRecording({ session, playSignal }: { session: ReviewSessionView; playSignal: number }) {
  const [recording, setRecording] = useState<LoadedVncRecording | null>(null);
  const [viewingSeq, setViewingSeq] = useState<number | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  const seen = useRef(playSignal);
  useEffect(() => () => { alive.current = false; }, []);

  const open = async () => {
    if (progress) return;
    setError(null);
    setProgress({ loaded: 0, total: 0 });
    try {
      const loaded = await loadVncRecording(session.sessionId, {
        acceptMismatch: false,
        cancelled: () => !alive.current,
        onProgress: (done, total) => alive.current && setProgress({ loaded: done, total }),
        slices: async (offset) => {
          const slice = await api['review.vncRecording']({ id: session.id, offset });
          if (slice.viewingSeq !== null) setViewingSeq(slice.viewingSeq);
          return slice;
        },
      });
      if (alive.current && loaded?.kind === 'loaded') setRecording(loaded.recording);
    } catch (e) {
      if (alive.current) setError(errorMessage(e));
    } finally {
      if (alive.current) setProgress(null);
    }
  };
  useEffect(() => {
    if (playSignal === seen.current) return;
    seen.current = playSignal;
    if (!recording) void open();
  }, [playSignal]);

  return (
    <Stack gap={6} data-testid="review-recording">
      {!recording && (
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={<IconPlayerPlay size={14} />} loading={progress !== null} onClick={() => void open()} data-testid="review-play">
            Play VNC recording
          </Button>
          <Text size="xs" c="dimmed">Enter · each viewing is recorded in your log</Text>
        </Group>
      )}
      {progress && progress.total > 0 && <Progress value={(progress.loaded / progress.total) * 100} size="sm" animated />}
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {recording && (
        <>
          <Text size="xs" c="dimmed" data-testid="review-viewing">
            Viewing recorded as #{viewingSeq} in your log · SHA-256 <span className="sb-mono">{session.recordingSha256?.slice(0, 16)}…</span>
          </Text>
          <VncReplayPlayer recording={recording} />
        </>
      )}
    </Stack>
  );
}
