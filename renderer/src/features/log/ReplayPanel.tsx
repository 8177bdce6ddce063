import '@xterm/xterm/css/xterm.css';
import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/transport';
import type { RecordingView } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { TERMINAL_THEME } from '../terminals/TerminalView';
import { ReplayController } from './replay-controller';
import { ReplayControls, replayKeyHandlers, useReplayPosition } from './ReplayControls';
import { ReplayInputs } from './ReplayInputs';

/** Long idle stretches in a recording are shortened to this on replay (the clock and slider count replay time). */
const MAX_IDLE_SECONDS = 2;
const SPEEDS = ['1', '2', '4'] as const;

/** Whether the recording says it kept typed input (our header's `switchboard.input_recorded`). */
function inputRecorded(recording: RecordingView): boolean {
  const meta = recording.header.switchboard;
  return typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>).input_recorded === true;
}

/**
 * Plays an asciicast recording into a read-only xterm: play/pause, 1×/2×/4×, a position slider
 * (click or drag to seek), and keys — Space play/pause, ←/→ five seconds, Home/End.
 */
export function Player({ recording }: { recording: RecordingView }) {
  const box = useRef<HTMLDivElement>(null);
  const player = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<ReplayController | null>(null);
  const { state, shown, setDragging } = useReplayPosition(controller);

  useEffect(() => {
    const cols = Number(recording.header.width) || 80;
    const rows = Number(recording.header.height) || 24;
    const t = new Terminal({ cols, rows, disableStdin: true, cursorBlink: false, fontSize: 12, theme: TERMINAL_THEME, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' });
    t.open(box.current!);
    const c = new ReplayController(t, recording.events, { cols, rows }, MAX_IDLE_SECONDS);
    setController(c);
    c.play();
    // The Replay button that opened this is gone now; without focus here, Space and End would scroll the drawer.
    player.current?.focus();
    return () => { c.dispose(); t.dispose(); setController(null); };
  }, [recording]);

  const seek = (to: number) => void controller?.seek(to);
  const keys = replayKeyHandlers(controller);

  return (
    <Stack ref={player} className="sb-replay-player" gap="xs" tabIndex={0} {...keys} data-testid="replay-player" aria-label="Recording player: Space plays or pauses, arrows move five seconds, Home and End jump" style={{ outline: 'none' }}>
      {controller && <ReplayControls
        controller={controller} state={state} shown={shown} onDrag={setDragging} speeds={SPEEDS} testId="replay"
        aside={<Badge variant="light" color={recording.sha256Matches ? 'teal' : 'red'}>{recording.sha256Matches ? 'hash matches the log' : 'hash differs from the log'}</Badge>}
      />}
      {recording.truncated && <Text size="xs" c="dimmed">The recording ends mid-line (the session was cut off); it plays up to there.</Text>}
      <div ref={box} data-testid="replay-terminal" data-seeking={state.seeking} data-seeks={state.seeks} style={{ background: TERMINAL_THEME.background, padding: 6, borderRadius: 6, overflow: 'auto' }} />
      {controller && <ReplayInputs inputs={controller.timeline.inputs} time={shown} recorded={inputRecorded(recording) || controller.timeline.inputs.length > 0} onSeek={seek} />}
    </Stack>
  );
}

export function ReplayPanel({ sessionId }: { sessionId: string }) {
  const [recording, setRecording] = useState<RecordingView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setRecording(await api['log.recording']({ sessionId }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Text size="sm" fw={600}>Recording</Text>
        {!recording && <Button size="compact-sm" variant="light" leftSection={<IconPlayerPlay size={14} />} loading={busy} onClick={() => void load()} data-testid="replay">Replay</Button>}
      </Group>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {recording && <Player recording={recording} />}
    </Stack>
  );
}
