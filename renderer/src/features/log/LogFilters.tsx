import { Button, Group, NativeSelect, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { METHODS, METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import { LOG_KIND_LABELS, LOG_KINDS, type LogKind } from '../../../../contract/domain/log-kinds';
import { EMPTY_FILTERS, useSessionLog } from '../../stores/session-log';
import { useNavigation } from '../../stores/navigation';
import { engineerTimeZone } from '../../lib/zoned-time';
import { DATE_PRESETS, DATE_PRESET_LABELS, matchingPreset, presetRange, type DatePreset } from './date-presets';

export const OUTCOMES = ['allowed', 'denied', 'launched', 'connected', 'disconnected', 'printed', 'failed', 'interrupted', 'idle-timeout'] as const;

/** "Today", "This week" … buttons that fill From and To; the chosen one stays marked until a date is edited. */
function DatePresets() {
  const from = useSessionLog((s) => s.filters.from);
  const to = useSessionLog((s) => s.filters.to);
  const setFilters = useSessionLog((s) => s.setFilters);
  const [chosen, setChosen] = useState<DatePreset | null>(() => matchingPreset({ from, to }));
  const range = chosen ? presetRange(chosen) : null;
  const current = range && range.from === from && range.to === to ? chosen : null;
  const zone = engineerTimeZone();
  return (
    <Stack gap={2}>
      <Button.Group>
        {DATE_PRESETS.map((p) => (
          <Button key={p} size="compact-xs" variant={current === p ? 'filled' : 'default'} aria-pressed={current === p}
            onClick={() => { setChosen(p); setFilters(presetRange(p)); }} data-testid={`log-preset-${p}`}>
            {DATE_PRESET_LABELS[p]}
          </Button>
        ))}
      </Button.Group>
      <Text size="xs" c="dimmed" data-testid="log-filter-zone">Days in your local time{zone ? ` (${zone})` : ''}</Text>
    </Stack>
  );
}

const KIND_OPTIONS = [{ value: 'all', label: 'All' }, ...LOG_KINDS.map((k) => ({ value: k, label: LOG_KIND_LABELS[k] }))];

/** All records, or one kind: sessions, policy changes, approvals, team (identities, rosters), reviews. */
function KindFilter() {
  const kind = useSessionLog((s) => s.filters.kind);
  const setFilters = useSessionLog((s) => s.setFilters);
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" fw={500} id="log-filter-kind-label">Kind</Text>
      <SegmentedControl size="xs" aria-labelledby="log-filter-kind-label" data={KIND_OPTIONS} value={kind ?? 'all'}
        onChange={(v) => setFilters({ kind: v === 'all' ? null : (v as LogKind), ...(v !== 'all' && v !== 'session' ? { outcome: null } : {}) })}
        data-testid="log-filter-kind" />
    </Stack>
  );
}

export function LogFilters() {
  const filters = useSessionLog((s) => s.filters);
  const setFilters = useSessionLog((s) => s.setFilters);
  const engineers = useSessionLog((s) => s.engineers);
  const entries = useNavigation((s) => s.entries);
  const sites = useMemo(() => entries.filter((e) => e.kind === 'site'), [entries]);
  const [ticket, setTicket] = useState(filters.ticket);
  const applyTicket = useDebouncedCallback((value: string) => setFilters({ ticket: value }), 350);
  const active = JSON.stringify(filters) !== JSON.stringify(EMPTY_FILTERS);
  const engineerOptions = useMemo(() => [...new Set([...engineers, ...(filters.engineer ? [filters.engineer] : [])])], [engineers, filters.engineer]);

  useEffect(() => { void useSessionLog.getState().loadEngineers(); }, []);

  return (
    <Stack gap={6}>
      <KindFilter />
      <Group gap="xs" align="flex-end" data-testid="log-filters">
        <TextInput label="Ticket" placeholder="EXO-48213" leftSection={<IconSearch size={14} />} w={140} value={ticket}
          onChange={(e) => { setTicket(e.currentTarget.value); applyTicket(e.currentTarget.value); }} data-testid="log-filter-ticket" />
        <Select label="Engineer" placeholder="Everyone" clearable searchable w={160} data={engineerOptions}
          value={filters.engineer} onChange={(v) => setFilters({ engineer: v })} data-testid="log-filter-engineer" />
        <Select label="Site" placeholder="All sites" clearable searchable w={210} data={sites.map((s) => ({ value: String(s.id), label: s.label }))}
          value={filters.siteId ? String(filters.siteId) : null} onChange={(v) => setFilters({ siteId: v ? Number(v) : null })} data-testid="log-filter-site" />
        <NativeSelect label="Method" w={140} data={[{ value: '', label: 'All methods' }, ...METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))]}
          value={filters.method ?? ''} onChange={(e) => setFilters({ method: (e.currentTarget.value || null) as Method | null })} data-testid="log-filter-method" />
        <NativeSelect label="Outcome" w={130} data={[{ value: '', label: 'Any outcome' }, ...OUTCOMES]}
          disabled={filters.kind !== null && filters.kind !== 'session'} title={filters.kind !== null && filters.kind !== 'session' ? 'Only sessions have an outcome' : undefined}
          value={filters.outcome ?? ''} onChange={(e) => setFilters({ outcome: e.currentTarget.value || null })} data-testid="log-filter-outcome" />
      </Group>
      <Group gap="xs" align="flex-end">
        <TextInput label="From" type="date" w={150} value={filters.from} onChange={(e) => setFilters({ from: e.currentTarget.value })} data-testid="log-filter-from" />
        <TextInput label="To" type="date" w={150} value={filters.to} onChange={(e) => setFilters({ to: e.currentTarget.value })} data-testid="log-filter-to" />
        <DatePresets />
        {active && (
          <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={14} />} onClick={() => { setTicket(''); setFilters(EMPTY_FILTERS); }} data-testid="log-filter-clear">
            Clear
          </Button>
        )}
      </Group>
    </Stack>
  );
}
