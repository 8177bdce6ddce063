import { Alert, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { vncRecordingServerInit } from '../../../../contract/vnc-recording-format';
import { ReplayControls, replayKeyHandlers, useReplayPosition } from './ReplayControls';
import { ReplayInputs } from './ReplayInputs';
import type { LoadedVncRecording } from './vnc-recording-loader';
import { VncReplayController } from './vnc-replay-controller';
import { NoVncReplaySink } from './vnc-replay-viewer';

/** As SSH replays: idle stretches are shortened to this (the clock and slider count replay time). */
const MAX_IDLE_SECONDS = 2;
const SPEEDS = ['0.5', '1', '2', '4', '8'] as const;

/**
 * Plays a VNC recording in a view-only noVNC scaled to fit: play/pause, 0.5×–8×, a position slider
 * with the viewer's input marked on it, and the SSH player's keys — Space play/pause, ←/→ five
 * seconds, Home/End.
 */
export function VncReplayPlayer({ recording }: { recording: LoadedVncRecording }) {
  const screen = useRef<HTMLDivElement>(null);
  const player = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<VncReplayController | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { state, shown, setDragging } = useReplayPosition(controller);

  useEffect(() => {
    const sink = new NoVncReplaySink(screen.current!, vncRecordingServerInit(recording.header), setFailure);
    const c = new VncReplayController(sink, recording.events, MAX_IDLE_SECONDS);
    setController(c);
    setFailure(null);
    c.play();
    // The button that opened this is gone; without focus here Space and End would scroll the drawer.
    player.current?.focus();
    return () => { c.dispose(); sink.dispose(); setController(null); };
  }, [recording]);

  const seek = (to: number) => void controller?.seek(to);
  const keys = replayKeyHandlers(controller);
  const { header } = recording;

  return (
    <Stack ref={player} gap="xs" tabIndex={0} {...keys} data-testid="vnc-replay-player" aria-label="VNC recording player: Space plays or pauses, arrows move five seconds, Home and End jump" style={{ outline: 'none' }}>
      {controller && <ReplayControls
        controller={controller} state={state} shown={shown} onDrag={setDragging} speeds={SPEEDS} testId="vnc-replay"
        aside={<Text size="xs" c="dimmed" className="sb-mono">{header.width}×{header.height}</Text>}
      />}
      {recording.truncated && <Text size="xs" c="dimmed">The recording ends inside an event (the session was cut off); it plays up to there.</Text>}
      {failure && <Alert color="red" variant="light" data-testid="vnc-replay-failure">{failure}</Alert>}
      <div
        ref={screen} data-testid="vnc-replay-screen" data-seeking={state.seeking} data-seeks={state.seeks}
        style={{ width: '100%', aspectRatio: `${header.width} / ${header.height}`, maxHeight: '65vh', background: 'var(--mantine-color-dark-7)', borderRadius: 6, overflow: 'hidden' }}
      />
      {controller && <ReplayInputs inputs={controller.timeline.inputs} time={shown} recorded={header.recordInput} onSeek={seek} />}
    </Stack>
  );
}
