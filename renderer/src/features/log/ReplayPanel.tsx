import '@xterm/xterm/css/xterm.css';
import { Alert, Badge, Button, Group, SegmentedControl, Slider, Stack, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconPlayerTrackPrev } from '@tabler/icons-react';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { api } from '../../api/transport';
import type { RecordingView } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { TERMINAL_THEME } from '../terminals/TerminalView';
import { ReplayController, type ReplayState } from './replay-controller';
import { ReplayInputs } from './ReplayInputs';
import { formatClock } from './replay-timeline';

/** Long idle stretches in a recording are shortened to this on replay (the clock and slider count replay time). */
const MAX_IDLE_SECONDS = 2;
const SPEEDS = ['1', '2', '4'] as const;
const SEEK_STEP_SECONDS = 5;
const SLIDER_STEP = 0.01;

/** Whether the recording says it kept typed input (our header's `switchboard.input_recorded`). */
function inputRecorded(recording: RecordingView): boolean {
  const meta = recording.header.switchboard;
  return typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>).input_recorded === true;
}

/** The replay clock, re-read a few times a second while playing so the slider moves. */
function useReplayTime(controller: ReplayController | null, playing: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(timer);
  }, [playing]);
  return controller?.now() ?? 0;
}

const idle: ReplayState = { playing: false, done: false, seeking: false, speed: 1, seeks: 0 };
const noop = () => () => undefined;

/**
 * Plays an asciicast recording into a read-only xterm: play/pause, 1×/2×/4×, a position slider
 * (click or drag to seek), and keys — Space play/pause, ←/→ five seconds, Home/End.
 */
export function Player({ recording }: { recording: RecordingView }) {
  const box = useRef<HTMLDivElement>(null);
  const player = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<ReplayController | null>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const state = useSyncExternalStore(controller?.subscribe ?? noop, controller?.getState ?? (() => idle));
  const time = useReplayTime(controller, state.playing);

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

  const duration = controller?.duration ?? 0;
  // The slider only takes multiples of its step: round the end up so it can reach it (seek clamps to the end).
  const sliderMax = Math.max(Math.ceil(duration / SLIDER_STEP) * SLIDER_STEP, SLIDER_STEP);
  const shown = dragging ?? time;
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
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    // The player's own form controls (speed, the typed-input switch) keep their keys.
    if (event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable="true"]')) return;
    // Ahead of the slider's and the buttons' own handling: in the player these keys always mean this.
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  const swallowSpaceUp = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (event.key === ' ') event.preventDefault();
  };

  return (
    <Stack ref={player} className="sb-replay-player" gap="xs" tabIndex={0} onKeyDownCapture={onKey} onKeyUpCapture={swallowSpaceUp} data-testid="replay-player" aria-label="Recording player: Space plays or pauses, arrows move five seconds, Home and End jump" style={{ outline: 'none' }}>
      {controller && <Group justify="space-between">
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={state.playing ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />} onClick={() => controller.toggle()} data-testid="replay-toggle">
            {state.playing ? 'Pause' : state.done ? 'Play again' : 'Play'}
          </Button>
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlayerTrackPrev size={14} />} onClick={() => { seek(0); controller.play(); }}>Restart</Button>
          <SegmentedControl size="xs" value={String(state.speed)} onChange={(v) => controller.setSpeed(Number(v))} data={SPEEDS.map((s) => ({ value: s, label: `${s}×` }))} data-testid="replay-speed" />
        </Group>
        <Group gap="xs">
          {state.done && <Badge variant="light" color="gray" data-testid="replay-done">end</Badge>}
          <Badge variant="light" color={recording.sha256Matches ? 'teal' : 'red'}>{recording.sha256Matches ? 'hash matches the log' : 'hash differs from the log'}</Badge>
        </Group>
      </Group>}
      {controller && <Group gap="sm" wrap="nowrap">
        <Slider
          style={{ flex: 1 }} min={0} max={sliderMax} step={SLIDER_STEP} value={Math.min(shown, duration)}
          label={(v) => formatClock(v, duration < 60)} onChange={setDragging}
          onChangeEnd={(v) => { setDragging(null); seek(v); }}
          marks={controller.timeline.inputs.slice(0, 200).map((input) => ({ value: input.time }))}
          color="teal" size="sm" data-testid="replay-slider" aria-label="Position"
        />
        <Text size="xs" className="sb-mono" c="dimmed" data-testid="replay-clock" data-time={shown.toFixed(2)} data-duration={duration.toFixed(2)} style={{ whiteSpace: 'nowrap' }}>
          {formatClock(shown, duration < 60)} / {formatClock(duration, duration < 60)}{state.seeking ? ' …' : ''}
        </Text>
      </Group>}
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
