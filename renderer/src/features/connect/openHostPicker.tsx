import { Button, Group, Select, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import { useNavigation } from '../../stores/navigation';
import { openConnect } from './openConnect';

function HostPicker({ onPick }: { onPick: (siteId: number, hostName: string) => void }) {
  const entries = useNavigation((s) => s.entries);
  const hosts = entries.filter((e) => e.kind === 'host' && e.siteId);
  const [value, setValue] = useState<string | null>(null);
  const pick = (v: string | null) => {
    const host = hosts.find((h) => String(h.id) === v);
    if (host?.siteId) onPick(host.siteId, host.label);
  };
  return (
    <Stack gap="sm">
      <Select
        label="Host"
        placeholder="Type part of a host, site or customer name"
        searchable
        data-autofocus
        data={hosts.map((h) => ({ value: String(h.id), label: `${h.label} — ${h.description}` }))}
        value={value}
        onChange={(v) => { setValue(v); pick(v); }}
        nothingFoundMessage="No host matches"
        data-testid="connect-host-picker"
      />
      <Text size="xs" c="dimmed">Next you pick the ticket, the method, and see the policy decision before anything connects.</Text>
      <Group justify="flex-end"><Button variant="default" onClick={() => modals.close('host-picker')}>Cancel</Button></Group>
    </Stack>
  );
}

export function openHostPicker(): void {
  modals.open({
    modalId: 'host-picker',
    title: 'Connect to host…',
    children: <HostPicker onPick={(siteId, hostName) => { modals.close('host-picker'); openConnect({ siteId, hostName }); }} />,
  });
}
