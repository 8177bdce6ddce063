import { Alert, Badge, Button, Group, SegmentedControl, Slider, Stack, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconPlayerTrackPrev } from '@tabler/icons-react';
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { vncRecordingServerInit } from '../../../../contract/vnc-recording-format';
import type { ReplayState } from './replay-controller';
import { formatClock } from './replay-timeline';
import { ReplayInputs } from './ReplayInputs';
import type { LoadedVncRecording } from './vnc-recording-loader';
import { VncReplayController } from './vnc-replay-controller';
import { NoVncReplaySink } from './vnc-replay-viewer';

/** As SSH replays: idle stretches are shortened to this (the clock and slider count replay time). */
const MAX_IDLE_SECONDS = 2;
const SPEEDS = ['0.5', '1', '2', '4', '8'] as const;
const SEEK_STEP_SECONDS = 5;
const SLIDER_STEP = 0.01;

const idle: ReplayState = { playing: false, done: false, seeking: false, speed: 1, seeks: 0 };
const noop = () => () => undefined;
const inFormControl = (target: EventTarget) => target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/** The replay clock, re-read a few times a second while playing so the slider moves. */
function useReplayTime(controller: VncReplayController | null, playing: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(timer);
  }, [playing]);
  return controller?.now() ?? 0;
}

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
  const [dragging, setDragging] = useState<number | null>(null);
  const state = useSyncExternalStore(controller?.subscribe ?? noop, controller?.getState ?? (() => idle));
  const time = useReplayTime(controller, state.playing);

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

  const duration = controller?.duration ?? 0;
  // The slider only takes multiples of its step: round the end up so it can reach it (seek clamps).
  const sliderMax = Math.max(Math.ceil(duration / SLIDER_STEP) * SLIDER_STEP, SLIDER_STEP);
  const shown = dragging ?? time;
  const short = duration < 60;
  const seek = (to: number) => void controller?.seek(to);

  const onKey = (event: KeyboardEvent) => {
    if (!controller) return;
    const actions: Record<string, () => void> = {
      ' ': () => controller.toggle(),
      ArrowLeft: () => seek(controller.now() - SEEK_STEP_SECONDS),
      ArrowRight: () => seek(controller.now() + SEEK_STEP_SECONDS),
      Home: () => seek(0),
      End: () => seek(duration),
    };
    const action = actions[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey || inFormControl(event.target)) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  const swallowSpaceUp = (event: KeyboardEvent) => {
    if (event.key === ' ' && !inFormControl(event.target)) event.preventDefault();
  };
  const { header } = recording;

  return (
    <Stack ref={player} gap="xs" tabIndex={0} onKeyDownCapture={onKey} onKeyUpCapture={swallowSpaceUp} data-testid="vnc-replay-player" aria-label="VNC recording player: Space plays or pauses, arrows move five seconds, Home and End jump" style={{ outline: 'none' }}>
      {controller && <Group justify="space-between">
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={state.playing ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />} onClick={() => controller.toggle()} data-testid="vnc-replay-toggle">
            {state.playing ? 'Pause' : state.done ? 'Play again' : 'Play'}
          </Button>
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlayerTrackPrev size={14} />} onClick={() => { seek(0); controller.play(); }}>Restart</Button>
          <SegmentedControl size="xs" value={String(state.speed)} onChange={(v) => controller.setSpeed(Number(v))} data={SPEEDS.map((s) => ({ value: s, label: `${s}×` }))} data-testid="vnc-replay-speed" />
        </Group>
        <Group gap="xs">
          {state.done && <Badge variant="light" color="gray" data-testid="vnc-replay-done">end</Badge>}
          <Text size="xs" c="dimmed" className="sb-mono">{header.width}×{header.height}</Text>
        </Group>
      </Group>}
      {controller && <Group gap="sm" wrap="nowrap">
        <Slider
          style={{ flex: 1 }} min={0} max={sliderMax} step={SLIDER_STEP} value={Math.min(shown, duration)}
          label={(v) => formatClock(v, short)} onChange={setDragging}
          onChangeEnd={(v) => { setDragging(null); seek(v); }}
          marks={controller.timeline.inputs.slice(0, 200).map((input) => ({ value: input.time }))}
          color="teal" size="sm" data-testid="vnc-replay-slider" aria-label="Position"
        />
        <Text size="xs" className="sb-mono" c="dimmed" data-testid="vnc-replay-clock" data-time={shown.toFixed(2)} data-duration={duration.toFixed(2)} style={{ whiteSpace: 'nowrap' }}>
          {formatClock(shown, short)} / {formatClock(duration, short)}{state.seeking ? ' …' : ''}
        </Text>
      </Group>}
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
