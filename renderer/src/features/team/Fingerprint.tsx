import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { fingerprintGroups } from '../../lib/fingerprint';

/**
 * A key fingerprint in groups of four, to read aloud and compare. `data-fingerprint` holds the value
 * exactly; copying copies it without the spaces.
 */
export function Fingerprint({ value, size = 'sm', copy = true, testId }: { value: string; size?: 'xs' | 'sm' | 'md' | 'lg'; copy?: boolean; testId?: string }) {
  const { prefix, groups } = fingerprintGroups(value);
  return (
    <Group gap={6} wrap="nowrap" align="center">
      <Text
        component="span"
        size={size}
        className="sb-mono"
        data-testid={testId}
        data-fingerprint={value}
        aria-label={`Fingerprint ${value}`}
        style={{ wordSpacing: '0.2em', overflowWrap: 'anywhere' }}
      >
        {prefix && <Text component="span" inherit c="dimmed">{prefix.replace(/:$/, '')} </Text>}
        {groups.join(' ')}
      </Text>
      {copy && (
        <CopyButton value={value}>
          {({ copied, copy: doCopy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy fingerprint'}>
              <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={doCopy} aria-label="Copy fingerprint">
                {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      )}
    </Group>
  );
}
