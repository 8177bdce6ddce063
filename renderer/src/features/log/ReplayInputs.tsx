import { Badge, Group, ScrollArea, Stack, Switch, Text, UnstyledButton } from '@mantine/core';
import { IconKeyboard } from '@tabler/icons-react';
import { useState } from 'react';
import { formatClock, showInput, type InputGroup } from './replay-timeline';

/**
 * What the engineer typed ("i" events), beside the replay and never written into it: the host's echo
 * is already in the output, and what it did not echo (a password at a sudo prompt) was never on screen.
 * Entries already reached by the replay clock are marked; a click seeks there.
 */
export function ReplayInputs({ inputs, time, recorded, onSeek }: { inputs: InputGroup[]; time: number; recorded: boolean; onSeek: (time: number) => void }) {
  const [shown, setShown] = useState(false);
  if (!recorded) {
    return <Text size="xs" c="dimmed" data-testid="replay-input-off">Typed input was not recorded for this session (the site records output only).</Text>;
  }
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Switch size="xs" checked={shown} onChange={(e) => setShown(e.currentTarget.checked)} label={`Show typed input (${inputs.length})`} data-testid="replay-input-toggle" />
        <Badge size="xs" variant="light" color="orange" leftSection={<IconKeyboard size={10} />}>input recorded</Badge>
      </Group>
      {shown && (
        <ScrollArea.Autosize mah={160} type="auto" data-testid="replay-inputs">
          <Stack gap={0}>
            {inputs.length === 0 && <Text size="xs" c="dimmed">Nothing was typed.</Text>}
            {inputs.map((input, i) => {
              const reached = input.time <= time;
              return (
                <UnstyledButton key={i} onClick={() => onSeek(input.time)} data-testid={`replay-input-${i}`} data-reached={reached} title="Seek here" style={{ borderLeft: `3px solid ${reached ? 'var(--mantine-color-orange-5)' : 'var(--mantine-color-gray-3)'}`, paddingLeft: 6 }}>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="xs" c="dimmed" className="sb-mono" w={48}>{formatClock(input.time)}</Text>
                    <Text size="xs" className="sb-mono" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} fw={reached ? 500 : 400}>{showInput(input.text)}</Text>
                  </Group>
                </UnstyledButton>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
