import { Alert, Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/validation';
import { loadVncRecording, type LoadedVncRecording } from './vnc-recording-loader';
import { VncReplayPlayer } from './VncReplayPlayer';

const MIB = 1024 * 1024;
const size = (bytes: number) => (bytes < MIB ? `${Math.max(1, Math.round(bytes / 1024))} KiB` : `${(bytes / MIB).toFixed(1)} MiB`);

type Stage =
  | { kind: 'idle' }
  | { kind: 'loading'; loaded: number; total: number }
  | { kind: 'mismatch'; bytes: number }
  | { kind: 'loaded'; recording: LoadedVncRecording }
  | { kind: 'failed'; message: string };

/**
 * A VNC session's recording in the log: fetched on request in slices (with progress), checked against
 * the SHA-256 the session log holds, and replayed in noVNC. A file that does not match is not played
 * unless the reader asks, and then stays marked as unverified.
 */
export function VncReplayPanel({ sessionId }: { sessionId: string }) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);

  const load = async (acceptMismatch: boolean) => {
    setStage({ kind: 'loading', loaded: 0, total: 0 });
    try {
      const result = await loadVncRecording(sessionId, {
        acceptMismatch,
        onProgress: (loaded, total) => alive.current && setStage({ kind: 'loading', loaded, total }),
        cancelled: () => !alive.current,
      });
      if (!result || !alive.current) return;
      setStage(result.kind === 'mismatch' ? { kind: 'mismatch', bytes: result.bytes } : { kind: 'loaded', recording: result.recording });
    } catch (e) {
      if (alive.current) setStage({ kind: 'failed', message: errorMessage(e) });
    }
  };

  return (
    <Stack gap={6} data-testid="vnc-replay">
      <Group gap="xs">
        <Text size="sm" fw={600}>Recording</Text>
        <Badge size="xs" variant="default">VNC</Badge>
        {(stage.kind === 'idle' || stage.kind === 'failed') && (
          <Button size="compact-sm" variant="light" leftSection={<IconPlayerPlay size={14} />} onClick={() => void load(false)} data-testid="vnc-replay-open">Replay</Button>
        )}
        {stage.kind === 'loaded' && (stage.recording.sha256Matches
          ? <Badge variant="light" color="teal" leftSection={<IconShieldCheck size={12} />} data-testid="vnc-replay-hash" data-verified="true">hash verified</Badge>
          : <Badge variant="filled" color="red" leftSection={<IconAlertTriangle size={12} />} data-testid="vnc-replay-hash" data-verified="false">unverified: does not match the log</Badge>)}
      </Group>
      {stage.kind === 'loading' && (
        <Stack gap={2} data-testid="vnc-replay-loading">
          <Progress value={stage.total > 0 ? (stage.loaded / stage.total) * 100 : 0} size="sm" animated />
          <Text size="xs" c="dimmed">Loading the recording{stage.total > 0 ? ` · ${size(stage.loaded)} of ${size(stage.total)}` : '…'}</Text>
        </Stack>
      )}
      {stage.kind === 'failed' && <Alert color="red" variant="light" data-testid="vnc-replay-error">{stage.message}</Alert>}
      {stage.kind === 'mismatch' && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} title="The file does not match the log's SHA-256" data-testid="vnc-replay-mismatch">
          <Stack gap={6} align="flex-start">
            <Text size="sm">The recording on disk ({size(stage.bytes)}) is not the file whose hash the session log recorded when the session ended: it was changed or replaced since. It is not replayed as evidence.</Text>
            <Button size="compact-sm" color="red" variant="outline" onClick={() => void load(true)} data-testid="vnc-replay-unverified">Replay the unverified file anyway</Button>
          </Stack>
        </Alert>
      )}
      {stage.kind === 'loaded' && <VncReplayPlayer recording={stage.recording} />}
    </Stack>
  );
}
