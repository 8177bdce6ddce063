import '@xterm/xterm/css/xterm.css';
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconPlayerTrackPrev } from '@tabler/icons-react';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/transport';
import type { RecordingView } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { TERMINAL_THEME } from '../terminals/TerminalView';

/** Long idle stretches in a recording are shortened to this on replay. */
const MAX_IDLE_SECONDS = 2;
const SPEEDS = ['1', '2', '4'] as const;

/** Plays an asciicast recording into a read-only xterm; play/pause and 1×/2×/4× (seeking comes later). */
function Player({ recording }: { recording: RecordingView }) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const position = useRef(0);
  const [playing, setPlaying] = useState(true);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>('1');
  const [done, setDone] = useState(false);
  const [restarts, setRestarts] = useState(0);

  useEffect(() => {
    const width = Number(recording.header.width) || 80;
    const height = Number(recording.header.height) || 24;
    const t = new Terminal({ cols: width, rows: height, disableStdin: true, cursorBlink: false, fontSize: 12, theme: TERMINAL_THEME, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' });
    t.open(box.current!);
    term.current = t;
    return () => { t.dispose(); term.current = null; };
  }, [recording]);

  useEffect(() => {
    if (!playing) return;
    let timer: ReturnType<typeof setTimeout>;
    const step = () => {
      const t = term.current;
      const event = recording.events[position.current];
      if (!t || !event) { setDone(true); setPlaying(false); return; }
      const [, type, data] = event;
      if (type === 'o') t.write(data);
      else if (type === 'r') {
        const [cols, rows] = data.split('x').map(Number) as [number, number];
        t.resize(cols, rows);
      }
      position.current++;
      const next = recording.events[position.current];
      const gap = next ? Math.min(next[0] - event[0], MAX_IDLE_SECONDS) : 0;
      timer = setTimeout(step, (gap * 1000) / Number(speed));
    };
    timer = setTimeout(step, 0);
    return () => clearTimeout(timer);
  }, [playing, speed, recording, restarts]);

  const restart = () => {
    term.current?.reset();
    position.current = 0;
    setDone(false);
    setPlaying(true);
    setRestarts((n) => n + 1);
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={playing ? <IconPlayerPause size={14} /> : <IconPlayerPlay size={14} />} onClick={() => (done ? restart() : setPlaying((p) => !p))} data-testid="replay-toggle">
            {playing ? 'Pause' : done ? 'Play again' : 'Play'}
          </Button>
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlayerTrackPrev size={14} />} onClick={restart}>Restart</Button>
          <SegmentedControl size="xs" value={speed} onChange={(v) => setSpeed(v as (typeof SPEEDS)[number])} data={SPEEDS.map((s) => ({ value: s, label: `${s}×` }))} data-testid="replay-speed" />
        </Group>
        <Group gap="xs">
          {done && <Badge variant="light" color="gray" data-testid="replay-done">end</Badge>}
          <Badge variant="light" color={recording.sha256Matches ? 'teal' : 'red'}>{recording.sha256Matches ? 'hash matches the log' : 'hash differs from the log'}</Badge>
        </Group>
      </Group>
      {recording.truncated && <Text size="xs" c="dimmed">The recording ends mid-line (the session was cut off); it plays up to there.</Text>}
      <div ref={box} data-testid="replay-terminal" style={{ background: TERMINAL_THEME.background, padding: 6, borderRadius: 6, overflow: 'auto' }} />
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
