import { Button, CopyButton, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconCheck, IconCopy, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import type { VncConnectedMessage } from '../../../../contract/vnc-protocol';

export type VncClipboardRule = VncConnectedMessage['plan']['clipboard'];

export const CLIPBOARD_RULE_LABELS: Record<VncClipboardRule, string> = {
  off: 'Clipboard off',
  'to-engineer': 'Clipboard: to you only',
  both: 'Clipboard: both ways',
};

interface Props {
  rule: VncClipboardRule | null;
  viewOnly: boolean;
  remote: string | null;
  onSend: (text: string) => void;
}

/**
 * The clipboard both ways, as far as the site allows (the relay enforces it too): what the remote
 * desktop copied, to copy here; text the engineer types or pastes, to put on the remote clipboard.
 */
export function VncClipboardPanel({ rule, viewOnly, remote, onSend }: Props) {
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const receive = rule === 'to-engineer' || rule === 'both';
  const send = rule === 'both' && !viewOnly;
  const sendBlocked = rule === null ? 'Not connected yet.' : viewOnly ? 'A view-only session sends nothing to the desktop.' : rule !== 'both' ? 'This site does not allow text to the remote clipboard.' : null;
  return (
    <Stack gap="sm" w={360} data-testid="vnc-clipboard-panel" data-rule={rule ?? ''}>
      <Stack gap={4}>
        <Text size="sm" fw={600}>From the remote desktop</Text>
        {receive ? (
          <>
            <Textarea readOnly autosize minRows={2} maxRows={6} value={remote ?? ''} placeholder="Nothing copied on the remote desktop yet." styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }} data-testid="vnc-clipboard-remote" />
            <Group justify="flex-end">
              <CopyButton value={remote ?? ''}>
                {({ copied, copy }) => (
                  <Button size="xs" variant={copied ? 'light' : 'default'} color={copied ? 'teal' : undefined} disabled={!remote} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid="vnc-clipboard-copy">
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </>
        ) : (
          <Text size="xs" c="dimmed">{rule === null ? 'Not connected yet.' : 'This site keeps the remote clipboard on the remote desktop.'}</Text>
        )}
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={600}>To the remote desktop</Text>
        <Textarea
          autosize minRows={2} maxRows={6} disabled={!send} value={text}
          placeholder={send ? 'Paste or type text, then Send: it lands on the remote clipboard.' : sendBlocked ?? ''}
          onChange={(e) => { setText(e.currentTarget.value); setSent(false); }}
          onKeyDown={(e) => e.stopPropagation()}
          data-testid="vnc-clipboard-local"
        />
        <Group justify="space-between">
          <Text size="xs" c={sent ? 'teal' : 'dimmed'}>{sent ? 'Sent; paste it on the remote side.' : send ? '' : sendBlocked}</Text>
          <Button size="xs" variant="light" disabled={!send || text === ''} leftSection={<IconSend size={14} />} onClick={() => { onSend(text); setSent(true); }} data-testid="vnc-clipboard-send">Send</Button>
        </Group>
      </Stack>
    </Stack>
  );
}
