import '@xterm/xterm/css/xterm.css';
import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlayerStop, IconX } from '@tabler/icons-react';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/transport';
import { openTerminalStream, type TerminalServerMessage, type TerminalStream } from '../../api/terminal-stream';
import { errorMessage } from '../../lib/validation';
import { useSessions } from '../../stores/sessions';
import { useTerminals, type TerminalTab } from '../../stores/terminals';
import { HostKeyDialog } from './HostKeyDialog';

type Status = 'connecting' | 'connected' | 'ended';

function describeExit(exit: Extract<TerminalServerMessage, { type: 'exit' }>): { message: string; failed: boolean } {
  if (exit.error) return { message: exit.error, failed: true };
  const status = exit.code !== null ? `exit status ${exit.code}` : exit.signal ? `signal ${exit.signal}` : 'disconnected';
  const recorded = exit.sha256 ? ` Recorded (SHA-256 ${exit.sha256.slice(0, 16)}…); the session is in the log.` : '';
  return { message: `Session ended: ${status}.${recorded}`, failed: false };
}

export const TERMINAL_THEME = { background: '#101418', foreground: '#e6e6e6', cursor: '#8ab4f8' };

/** One SSH terminal: xterm fitted to its box, bytes on the terminal stream, every write acknowledged. */
export function TerminalView({ tab }: { tab: TerminalTab }) {
  const box = useRef<HTMLDivElement>(null);
  const stream = useRef<TerminalStream | null>(null);
  const [status, setStatus] = useState<Status>('connecting');
  const [question, setQuestion] = useState<{ host: string; fingerprint: string } | null>(null);
  const [answering, setAnswering] = useState(false);
  const [ended, setEnded] = useState<{ message: string; failed: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [bell, setBell] = useState(false);

  useEffect(() => {
    const term = new Terminal({ fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 13, cursorBlink: true, scrollback: 5000, theme: TERMINAL_THEME });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    const end = (result: { message: string; failed: boolean }) => {
      setStatus('ended');
      setEnded(result);
      setQuestion(null);
      term.options.disableStdin = true;
      void useSessions.getState().loadLog();
    };
    let s: TerminalStream;
    try {
      s = openTerminalStream(tab.sessionId, {
        output: (data) => term.write(data, () => s.ack(data.length)),
        message: (message) => {
          if (message.type === 'hostKey') setQuestion({ host: message.host, fingerprint: message.fingerprint });
          else if (message.type === 'connected') {
            setStatus('connected');
            s.resize(term.cols, term.rows);
            term.focus();
          } else end(describeExit(message));
        },
        lost: (reason) => end({ message: reason, failed: true }),
      });
    } catch (e) {
      end({ message: errorMessage(e), failed: true });
      return () => term.dispose();
    }
    stream.current = s;
    const encoder = new TextEncoder();
    const subscriptions = [
      term.onData((data) => s.input(encoder.encode(data))),
      term.onBinary((data) => s.input(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff))),
      term.onResize(({ cols, rows }) => s.resize(cols, rows)),
      term.onBell(() => setBell(true)),
    ];
    // Hidden tabs have no size; fit once they are shown again.
    const refit = () => { if (box.current && box.current.offsetWidth > 0 && box.current.offsetHeight > 0) fit.fit(); };
    const observer = new ResizeObserver(refit);
    observer.observe(box.current!);
    refit();
    return () => {
      observer.disconnect();
      for (const d of subscriptions) d.dispose();
      s.close();
      stream.current = null;
      term.dispose();
    };
  }, [tab.sessionId]);

  const answer = async (accept: boolean) => {
    setAnswering(true);
    try {
      await api['terminals.answerHostKey']({ sessionId: tab.sessionId, accept });
      setQuestion(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setAnswering(false);
    }
  };

  const disconnect = async () => {
    setError(null);
    try {
      const exit = await api['terminals.close']({ sessionId: tab.sessionId });
      setStatus('ended');
      setEnded(describeExit({ type: 'exit', ...exit }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Stack gap="xs" h="100%" onClick={() => setBell(false)}>
      <Group justify="space-between">
        <Group gap="xs">
          <Text size="sm" fw={600}>{tab.host}</Text>
          <Badge variant="light" className="sb-mono">{tab.ticket}</Badge>
          <Badge variant="dot" color={status === 'connected' ? 'teal' : status === 'connecting' ? 'yellow' : 'gray'} data-testid="terminal-status">{status}</Badge>
          {bell && <Badge color="orange" variant="filled" size="xs" data-testid="terminal-bell">bell</Badge>}
        </Group>
        <Group gap="xs">
          {status !== 'ended' && <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} onClick={() => void disconnect()} data-testid="terminal-disconnect">Disconnect</Button>}
          {status === 'ended' && <Button size="xs" variant="default" leftSection={<IconX size={14} />} onClick={() => useTerminals.getState().remove(tab.sessionId)} data-testid="terminal-close-tab">Close tab</Button>}
        </Group>
      </Group>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {ended && <Alert color={ended.failed ? 'red' : 'gray'} variant="light" data-testid="terminal-exit">{ended.message}</Alert>}
      <div ref={box} data-testid="terminal" style={{ flex: 1, minHeight: 240, background: TERMINAL_THEME.background, padding: 6, borderRadius: 6, overflow: 'hidden' }} />
      <HostKeyDialog question={question} busy={answering} onAnswer={(accept) => void answer(accept)} />
    </Stack>
  );
}
