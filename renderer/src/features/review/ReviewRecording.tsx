import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { ReviewRecordingView, ReviewSessionView } from '../../../../contract/review';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';
import { Player } from '../log/ReplayPanel';
import { ReviewVncRecording } from './ReviewVncRecording';

/**
 * The session's recording, opened only on request (the button or Enter): each opening is a 'viewing'
 * record in the lead's log, and the core checks the file's SHA-256 against the signed record each time.
 */
export function ReviewRecording({ session, playSignal }: { session: ReviewSessionView; playSignal: number }) {
  const [recording, setRecording] = useState<ReviewRecordingView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seen = useRef(playSignal);
  const open = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setRecording(await api['review.recording']({ id: session.id }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (playSignal === seen.current) return;
    seen.current = playSignal;
    if (!recording && session.recordingSha256) void open();
  }, [playSignal]);

  if (session.recordingSha256 && session.method === 'vnc') return <ReviewVncRecording session={session} playSignal={playSignal} />;
  if (!session.recordingSha256) {
    return <Text size="sm" c="dimmed" data-testid="review-no-recording">No recording came with this session{session.method === 'ssh' || session.method === 'vnc' ? '.' : ` (${session.method ?? 'this method'} sessions are not recorded).`}</Text>;
  }
  return (
    <Stack gap={6} data-testid="review-recording">
      {!recording && (
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={<IconPlayerPlay size={14} />} loading={busy} onClick={() => void open()} data-testid="review-play">
            Play recording
          </Button>
          <Text size="xs" c="dimmed">Enter · each viewing is recorded in your log</Text>
        </Group>
      )}
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {recording && (
        <>
          <Text size="xs" c="dimmed" data-testid="review-viewing">Viewing recorded as #{recording.viewingSeq} in your log · SHA-256 <span className="sb-mono">{session.recordingSha256.slice(0, 16)}…</span></Text>
          <Player recording={recording} />
        </>
      )}
    </Stack>
  );
}
