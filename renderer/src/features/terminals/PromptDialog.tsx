import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';

export interface SignInQuestions { target: string; name: string; instructions: string; prompts: { prompt: string; echo: boolean }[] }

/**
 * Keyboard-interactive sign-in (one-time codes…): one field per question the server asked, hidden
 * unless the server said it may be echoed. Enter submits, Esc cancels (the session then ends).
 * The answers live only in this form's state until they are sent.
 */
export function PromptDialog({ questions, busy, onAnswer }: { questions: SignInQuestions | null; busy: boolean; onAnswer: (answers: string[] | null) => void }) {
  const [answers, setAnswers] = useState<string[]>([]);
  useEffect(() => setAnswers(questions ? questions.prompts.map(() => '') : []), [questions]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onAnswer(answers);
  };
  const set = (i: number, value: string) => setAnswers((all) => all.map((a, j) => (j === i ? value : a)));

  return (
    <Modal
      opened={questions !== null}
      onClose={() => onAnswer(null)}
      closeOnClickOutside={false}
      title={<Group gap={6}><IconShieldLock size={16} /><Text fw={600}>Sign-in to {questions?.target}</Text></Group>}
    >
      {questions && (
        <form onSubmit={submit} data-testid="prompt-dialog">
          <Stack gap="sm">
            {questions.name && <Text size="sm" fw={600} data-testid="prompt-name">{questions.name}</Text>}
            {questions.instructions && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="prompt-instructions">{questions.instructions}</Text>}
            {questions.prompts.map((p, i) => {
              const field = {
                label: p.prompt.trim() || `Answer ${i + 1}`,
                value: answers[i] ?? '',
                onChange: (e: { currentTarget: HTMLInputElement }) => set(i, e.currentTarget.value),
                autoComplete: 'off',
                'data-autofocus': i === 0 ? true : undefined,
                'data-testid': `prompt-answer-${i}`,
              };
              return p.echo ? <TextInput key={i} {...field} /> : <PasswordInput key={i} {...field} />;
            })}
            <Text size="xs" c="dimmed">The server asks this; your answer goes to it only and is neither stored nor logged.</Text>
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => onAnswer(null)} disabled={busy} data-testid="prompt-cancel">Cancel (Esc)</Button>
              <Button type="submit" loading={busy} data-testid="prompt-submit">Sign in</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
