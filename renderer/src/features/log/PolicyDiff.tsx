import { Group, Stack, Table, Text } from '@mantine/core';
import { IconMinus, IconPlus } from '@tabler/icons-react';
import { fieldDiffs, showValue, type FieldDiff } from './record-line';

const key = (value: unknown) => JSON.stringify(value);

/** A list's items one a line; the ones that came (after) or went (before) marked + / −. */
function ListCell({ items, marked, sign }: { items: unknown[]; marked: unknown[]; sign: '+' | '−' }) {
  if (items.length === 0) return <Text size="xs" c="dimmed">none</Text>;
  const changed = new Set(marked.map(key));
  return (
    <Stack gap={2}>
      {items.map((item, i) => {
        const mark = changed.has(key(item));
        const color = sign === '+' ? 'teal' : 'red';
        return (
          <Group key={i} gap={4} wrap="nowrap" data-testid={mark ? (sign === '+' ? 'diff-added' : 'diff-removed') : undefined}>
            {mark ? (sign === '+' ? <IconPlus size={11} color={`var(--mantine-color-${color}-6)`} /> : <IconMinus size={11} color={`var(--mantine-color-${color}-6)`} />) : <span style={{ width: 11 }} />}
            <Text size="xs" className="sb-mono" c={mark ? color : undefined} fw={mark ? 600 : undefined} td={mark && sign === '−' ? 'line-through' : undefined} style={{ overflowWrap: 'anywhere' }}>
              {showValue(item)}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}

function ValueCell({ diff, side }: { diff: FieldDiff; side: 'before' | 'after' }) {
  const value = diff[side];
  if (diff.added && diff.removed) {
    return <ListCell items={Array.isArray(value) ? value : []} marked={side === 'after' ? diff.added : diff.removed} sign={side === 'after' ? '+' : '−'} />;
  }
  if (value === null || value === undefined) return <Text size="xs" c="dimmed">none</Text>;
  return <Text size="xs" className="sb-mono" style={{ overflowWrap: 'anywhere' }}>{showValue(value, diff.field)}</Text>;
}

/** A change to the policy, field by field: before → after, a list's added and removed items marked. */
export function PolicyDiff({ detail }: { detail: Record<string, unknown> }) {
  const diffs = fieldDiffs(detail);
  if (diffs.length === 0) return <Text size="sm" c="dimmed">No field values were recorded for this change.</Text>;
  return (
    <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={6} layout="fixed" data-testid="policy-diff">
      <Table.Thead>
        <Table.Tr><Table.Th style={{ width: '24%' }}>Field</Table.Th><Table.Th>Before</Table.Th><Table.Th>After</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {diffs.map((d) => (
          <Table.Tr key={d.field} data-testid={`policy-diff-${d.field}`}>
            <Table.Td><Text size="xs" fw={500}>{d.label}</Text></Table.Td>
            <Table.Td><ValueCell diff={d} side="before" /></Table.Td>
            <Table.Td><ValueCell diff={d} side="after" /></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
