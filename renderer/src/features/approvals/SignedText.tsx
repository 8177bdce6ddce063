import { Button, Code, CopyButton, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';
import { downloadText } from '../../lib/download';

/** A signed request or approval to pass on: shown whole, copied or saved as a small text file. */
export function SignedText({ text, fileName, children, testId }: { text: string; fileName: string; children: React.ReactNode; testId: string }) {
  return (
    <Stack gap="sm">
      <Text size="sm">{children}</Text>
      <ScrollArea.Autosize mah={300}>
        <Code block className="sb-mono" data-testid={testId}>{text}</Code>
      </ScrollArea.Autosize>
      <Group justify="flex-end" gap="xs">
        <CopyButton value={text}>
          {({ copied, copy }) => <Button variant="default" leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid={`${testId}-copy`}>{copied ? 'Copied' : 'Copy'}</Button>}
        </CopyButton>
        <Button leftSection={<IconDownload size={14} />} onClick={() => downloadText(text, fileName, 'text/plain')} data-testid={`${testId}-download`}>Save {fileName}</Button>
      </Group>
    </Stack>
  );
}
