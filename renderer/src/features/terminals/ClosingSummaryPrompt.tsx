import { Button, Group, Paper, Text, Textarea } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type KeyboardEvent } from 'react';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';
import { useSessionLog } from '../../stores/session-log';

type State = 'asking' | 'saved' | 'skipped';

/**
 * Asks for the closing summary once an SSH terminal has ended, as the launcher path does. It sits
 * beside the ended terminal and takes no focus, so R still reconnects and nothing is typed into it by
 * accident; inside it Ctrl+Enter saves and Esc skips. Only the session's engineer may save one (the
 * core refuses anyone else, and the refusal is shown here).
 */
export function ClosingSummaryPrompt({ sessionId, ticket }: { sessionId: string; ticket: string }) {
  const [state, setState] = useState<State>('asking');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    if (busy) return;
    if (!text.trim()) { setError('Write a line or two, or Skip.'); return; }
    setBusy(true);
    try {
      await api['log.summarize']({ sessionId, summary: text.trim() });
      setState('saved');
      void useSessionLog.getState().loadLog();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    event.stopPropagation(); // typing "r" here is a word, not a reconnect
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); void save(); }
    else if (event.key === 'Escape') { event.preventDefault(); setState('skipped'); }
  };

  if (state === 'skipped') return null;
  if (state === 'saved') {
    return <Text size="xs" c="teal" data-testid="closing-summary-saved"><IconCheck size={12} /> Closing summary saved to the session log.</Text>;
  }
  return (
    <Paper withBorder p="sm" data-testid="closing-summary" aria-label={`Closing summary for ${ticket}`}>
      <Textarea
        label={`Closing summary for ${ticket} — what did you do?`}
        description="Kept with this session in the log, under your name. Ctrl+Enter saves, Esc skips."
        placeholder="Restarted the dialer after the failover check; calls flowing again."
        autosize
        minRows={2}
        maxRows={6}
        value={text}
        onChange={(e) => { setText(e.currentTarget.value); setError(null); }}
        onKeyDown={onKeyDown}
        error={error}
        data-testid="closing-summary-text"
      />
      <Group justify="flex-end" gap="xs" mt="xs">
        <Button size="xs" variant="subtle" color="gray" onClick={() => setState('skipped')} data-testid="closing-summary-skip">Skip</Button>
        <Button size="xs" loading={busy} onClick={() => void save()} data-testid="closing-summary-save" aria-keyshortcuts="Control+Enter">Save summary</Button>
      </Group>
    </Paper>
  );
}
