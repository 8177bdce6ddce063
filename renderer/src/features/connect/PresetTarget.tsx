import { Anchor, Group, SegmentedControl, Text } from '@mantine/core';
import { METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import type { Site } from '../../../../contract/models';

interface Props {
  site: Site;
  host: string;
  methods: Method[];
  method: Method;
  setMethod: (m: Method) => void;
  onChange: () => void;
}

/** The host and method already chosen (a host row's button, the palette): shown, switchable, with a way back to the full target step. */
export function PresetTarget({ site, host, methods, method, setMethod, onChange }: Props) {
  return (
    <Group gap="xs" wrap="wrap" data-testid="connect-preset" data-host={host} data-method={method}>
      <Text size="sm">Connect to <b className="sb-mono">{host}</b> ({site.customerName} / {site.name}) over</Text>
      {methods.length > 1
        ? <SegmentedControl size="xs" value={method} onChange={(v) => setMethod(v as Method)} data={methods.map((m) => ({ value: m, label: METHOD_LABELS[m] }))} data-testid="connect-preset-method" />
        : <Text size="sm" fw={600}>{METHOD_LABELS[method]}</Text>}
      <Anchor component="button" type="button" size="sm" onClick={onChange} data-testid="connect-change-target">another target…</Anchor>
    </Group>
  );
}
