import { Button, FileButton, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../lib/validation';
import { FormError } from '../common/FormError';

interface Props {
  hint: ReactNode;
  submitLabel: string;
  submitIcon: ReactNode;
  /** Resolves when done; a thrown error is shown above the button. */
  onSubmit: (text: string) => Promise<void>;
  testId: string;
}

/** A signed request or approval, pasted or read from its file. */
export function NoteTextForm({ hint, submitLabel, submitIcon, onSubmit, testId }: Props) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(text);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} data-testid={`${testId}-form`}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">{hint}</Text>
        <Textarea value={text} onChange={(e) => { setText(e.currentTarget.value); setFailure(null); }} autosize minRows={8} maxRows={16}
          placeholder={'switchboard exception request v1\nid …\n\n— lena@example.com …'}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '0.8rem' } }}
          aria-label="Signed text" data-autofocus data-testid={`${testId}-text`} />
        <FormError message={failure} />
        <Group justify="space-between">
          <FileButton onChange={(file) => { if (file) void file.text().then((t) => { setText(t); setFailure(null); }); }} accept=".txt,text/plain">
            {(props) => <Button variant="default" leftSection={<IconFileUpload size={14} />} {...props} data-testid={`${testId}-file`}>Choose file…</Button>}
          </FileButton>
          <Button type="submit" loading={busy} disabled={!text.trim()} leftSection={submitIcon} data-testid={`${testId}-submit`}>{submitLabel}</Button>
        </Group>
      </Stack>
    </form>
  );
}
