import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';

/** First use of a host key: the engineer checks the fingerprint (with the customer) and says yes or no. */
export function HostKeyDialog({ question, busy, onAnswer }: { question: { host: string; fingerprint: string } | null; busy: boolean; onAnswer: (accept: boolean) => void }) {
  return (
    <Modal opened={question !== null} onClose={() => onAnswer(false)} closeOnClickOutside={false} title={<Group gap={6}><IconKey size={16} /><Text fw={600}>New host key</Text></Group>} data-testid="hostkey-dialog">
      {question && (
        <Stack gap="sm">
          <Text size="sm">The authenticity of host <b>{question.host}</b> can&apos;t be established. This is the first connection to it from Switchboard.</Text>
          <Stack gap={2}>
            <Text size="xs" c="dimmed">Fingerprint</Text>
            <Code block className="sb-mono" data-testid="hostkey-fingerprint">{question.fingerprint}</Code>
          </Stack>
          <Text size="sm">Check it with the customer. Pin this key and connect? Your answer is recorded in the session log.</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => onAnswer(false)} disabled={busy} data-testid="hostkey-reject">No, disconnect</Button>
            <Button onClick={() => onAnswer(true)} loading={busy} data-testid="hostkey-accept">Yes, pin and connect</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
