import { Button, Group, NativeSelect, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { METHODS, METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import { EMPTY_FILTERS, useSessions } from '../../stores/sessions';
import { useNavigation } from '../../stores/navigation';

export const OUTCOMES = ['allowed', 'denied', 'launched', 'connected', 'disconnected', 'printed', 'failed', 'interrupted', 'idle-timeout'] as const;

export function LogFilters() {
  const filters = useSessions((s) => s.filters);
  const setFilters = useSessions((s) => s.setFilters);
  const entries = useNavigation((s) => s.entries);
  const sites = useMemo(() => entries.filter((e) => e.kind === 'site'), [entries]);
  const [ticket, setTicket] = useState(filters.ticket);
  const applyTicket = useDebouncedCallback((value: string) => setFilters({ ticket: value }), 350);
  const active = JSON.stringify(filters) !== JSON.stringify(EMPTY_FILTERS);

  return (
    <Group gap="xs" align="flex-end" data-testid="log-filters">
      <TextInput label="Ticket" placeholder="EXO-48213" leftSection={<IconSearch size={14} />} w={150} value={ticket}
        onChange={(e) => { setTicket(e.currentTarget.value); applyTicket(e.currentTarget.value); }} data-testid="log-filter-ticket" />
      <Select label="Site" placeholder="All sites" clearable searchable w={230} data={sites.map((s) => ({ value: String(s.id), label: s.label }))}
        value={filters.siteId ? String(filters.siteId) : null} onChange={(v) => setFilters({ siteId: v ? Number(v) : null })} data-testid="log-filter-site" />
      <NativeSelect label="Method" w={150} data={[{ value: '', label: 'All methods' }, ...METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))]}
        value={filters.method ?? ''} onChange={(e) => setFilters({ method: (e.currentTarget.value || null) as Method | null })} data-testid="log-filter-method" />
      <NativeSelect label="Outcome" w={140} data={[{ value: '', label: 'Any outcome' }, ...OUTCOMES]}
        value={filters.outcome ?? ''} onChange={(e) => setFilters({ outcome: e.currentTarget.value || null })} data-testid="log-filter-outcome" />
      <TextInput label="From" type="date" w={150} value={filters.from} onChange={(e) => setFilters({ from: e.currentTarget.value })} data-testid="log-filter-from" />
      <TextInput label="To" type="date" w={150} value={filters.to} onChange={(e) => setFilters({ to: e.currentTarget.value })} data-testid="log-filter-to" />
      {active && (
        <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={14} />} onClick={() => { setTicket(''); setFilters(EMPTY_FILTERS); }} data-testid="log-filter-clear">
          Clear
        </Button>
      )}
    </Group>
  );
}
