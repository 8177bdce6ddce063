import { Badge } from '@mantine/core';
import { IconClipboardCheck, IconEye, IconId, IconPackage, IconShieldCog, IconSignature, IconUsers, type Icon } from '@tabler/icons-react';
import type { LogRecordKind } from '../../../../contract/domain/log-kinds';
import { recordKindLabel } from './record-line';

const LOOKS: Readonly<Record<Exclude<LogRecordKind, 'session'>, { icon: Icon; color: string }>> = {
  'policy-change': { icon: IconShieldCog, color: 'violet' },
  approval: { icon: IconSignature, color: 'orange' },
  identity: { icon: IconId, color: 'cyan' },
  roster: { icon: IconUsers, color: 'cyan' },
  review: { icon: IconClipboardCheck, color: 'indigo' },
  viewing: { icon: IconEye, color: 'indigo' },
  bundle: { icon: IconPackage, color: 'indigo' },
};

/** What a record that is not a session is, as a badge with its own icon and colour. */
export function RecordKindBadge({ kind, size = 'sm' }: { kind: LogRecordKind; size?: 'xs' | 'sm' | 'md' }) {
  if (kind === 'session') return null;
  const { icon: KindIcon, color } = LOOKS[kind] ?? { icon: IconShieldCog, color: 'gray' };
  return (
    <Badge size={size} variant="light" color={color} radius="sm" leftSection={<KindIcon size={12} />} style={{ flexShrink: 0 }} data-testid="log-record-kind">
      {recordKindLabel(kind)}
    </Badge>
  );
}
