import { Badge, Button, Group, SegmentedControl, Slider, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconPlayerTrackPrev } from '@tabler/icons-react';
import { useEffect, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import type { ClockTimeline, ReplayClock, ReplayState } from './replay-clock';
import { formatClock, type InputGroup } from './replay-timeline';

/** Any replay a player drives: SSH or VNC, with the typed input marked on its slider. */
export type Replay = ReplayClock<ClockTimeline & { inputs: InputGroup[] }>;

const SEEK_STEP_SECONDS = 5;
const SLIDER_STEP = 0.01;

const idle: ReplayState = { playing: false, done: false, seeking: false, speed: 1, seeks: 0 };
const noop = () => () => undefined;
const inFormControl = (target: EventTarget) => target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/** The replay clock, re-read a few times a second while playing so the slider moves. */
function useReplayTime(controller: Replay | null, playing: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(timer);
  }, [playing]);
  return controller?.now() ?? 0;
}

/** A player's view of its replay: the controller's state, and the time shown (the slider's while it is dragged). */
export function useReplayPosition(controller: Replay | null) {
  const [dragging, setDragging] = useState<number | null>(null);
  const state = useSyncExternalStore(controller?.subscribe ?? noop, controller?.getState ?? (() => idle));
  const time = useReplayTime(controller, state.playing);
  return { state, shown: dragging ?? time, setDragging };
}

/** A player's keys, for its outermost element: Space play/pause, ←/→ five seconds, Home/End. */
export function replayKeyHandlers(controller: Replay | null) {
  const onKeyDownCapture = (event: KeyboardEvent) => {
    if (!controller) return;
    const seek = (to: number) => void controller.seek(to);
    const actions: Record<string, () => void> = {
      ' ': () => controller.toggle(),
      ArrowLeft: () => seek(controller.now() - SEEK_STEP_SECONDS),
      ArrowRight: () => seek(controller.now() + SEEK_STEP_SECONDS),
      Home: () => seek(0),
      End: () => seek(controller.duration),
    };
    const action = actions[event.key];
    // The player's own form controls (speed, the typed-input switch) keep their keys.
    if (!action || event.altKey || event.ctrlKey || event.metaKey || inFormControl(event.target)) return;
    // Ahead of the slider's and the buttons' own handling: in the player these keys always mean this.
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  const onKeyUpCapture = (event: KeyboardEvent) => {
    if (event.key === ' ' && !inFormControl(event.target)) event.preventDefault();
  };
  return { onKeyDownCapture, onKeyUpCapture };
}

/**
 * A player's controls: play/pause, restart, the speeds offered, what the player shows on the right
 * (`aside`), and a position slider (click or drag to seek) with the input marked and the time beside it.
 * Test ids start with `testId` (`${testId}-toggle`, `-speed`, `-done`, `-slider`, `-clock`).
 */
export function ReplayControls({ controller, state, shown, onDrag, speeds, testId, aside }: {
  controller: Replay;
  state: ReplayState;
  shown: number;
  onDrag: (time: number | null) => void;
  speeds: readonly string[];
  testId: string;
  aside?: ReactNode;
}) {
  const duration = controller.duration;
  // The slider only takes multiples of its step: round the end up so it can reach it (seek clamps to the end).
  const sliderMax = Math.max(Math.ceil(duration / SLIDER_STEP) * SLIDER_STEP, SLIDER_STEP);
  const short = duration < 60;
  const seek = (to: number) => void controller.seek(to);
  return (
    <>
      <Group justify="space-between">
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={state.playing ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />} onClick={() => controller.toggle()} data-testid={`${testId}-toggle`}>
            {state.playing ? 'Pause' : state.done ? 'Play again' : 'Play'}
          </Button>
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlayerTrackPrev size={14} />} onClick={() => { seek(0); controller.play(); }}>Restart</Button>
          <SegmentedControl size="xs" value={String(state.speed)} onChange={(v) => controller.setSpeed(Number(v))} data={speeds.map((s) => ({ value: s, label: `${s}×` }))} data-testid={`${testId}-speed`} />
        </Group>
        <Group gap="xs">
          {state.done && <Badge variant="light" color="gray" data-testid={`${testId}-done`}>end</Badge>}
          {aside}
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Slider
          style={{ flex: 1 }} min={0} max={sliderMax} step={SLIDER_STEP} value={Math.min(shown, duration)}
          label={(v) => formatClock(v, short)} onChange={onDrag}
          onChangeEnd={(v) => { onDrag(null); seek(v); }}
          marks={controller.timeline.inputs.slice(0, 200).map((input) => ({ value: input.time }))}
          color="teal" size="sm" data-testid={`${testId}-slider`} aria-label="Position"
        />
        <Text size="xs" className="sb-mono" c="dimmed" data-testid={`${testId}-clock`} data-time={shown.toFixed(2)} data-duration={duration.toFixed(2)} style={{ whiteSpace: 'nowrap' }}>
          {formatClock(shown, short)} / {formatClock(duration, short)}{state.seeking ? ' …' : ''}
        </Text>
      </Group>
    </>
  );
}
