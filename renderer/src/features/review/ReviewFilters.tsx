import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff } from '@tabler/icons-react';
import { useState } from 'react';
import { SESSION_OUTCOMES } from '../../../../contract/domain/outcomes';
import { METHODS, METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { REVIEW_STATES, type ReviewState } from '../../../../contract/review';
import { engineerTimeZone } from '../../lib/zoned-time';
import { EMPTY_REVIEW_FILTERS, useReview, type ReviewFilters as Filters } from '../../stores/review';
import { STATE_LABELS } from './StateBadge';

type TextKey = 'customer' | 'site' | 'ticket';

/** A text filter applied a moment after typing stops, so each key press is not a query. */
function TextFilter({ name, label, placeholder, width }: { name: TextKey; label: string; placeholder: string; width: number }) {
  const value = useReview((s) => s.filters[name]);
  const setFilters = useReview((s) => s.setFilters);
  const [text, setText] = useState(value);
  const apply = useDebouncedCallback((v: string) => setFilters({ [name]: v } as Partial<Filters>), 350);
  return (
    <TextInput label={label} placeholder={placeholder} w={width} value={text}
      onChange={(e) => { setText(e.currentTarget.value); apply(e.currentTarget.value); }} data-testid={`review-filter-${name}`} />
  );
}

/** Engineer, customer, site, ticket, method, outcome, state and the days, as the queue's index allows. */
export function ReviewFilters() {
  const filters = useReview((s) => s.filters);
  const facets = useReview((s) => s.facets);
  const setFilters = useReview((s) => s.setFilters);
  const active = JSON.stringify(filters) !== JSON.stringify(EMPTY_REVIEW_FILTERS);
  const zone = engineerTimeZone();
  // Clear remounts the typed filters, so they drop what was typed as well as the filter.
  const [generation, setGeneration] = useState(0);
  return (
    <Group gap="xs" align="flex-end" data-testid="review-filters">
      <Select label="Engineer" placeholder="Everyone" clearable searchable w={170}
        data={(facets?.engineers ?? []).map((e) => ({ value: e.email, label: `${e.name} (${e.email})` }))}
        value={filters.engineer} onChange={(v) => setFilters({ engineer: v })} data-testid="review-filter-engineer" />
      <TextFilter key={`customer-${generation}`} name="customer" label="Customer" placeholder={facets?.customers[0] ?? 'Acme'} width={120} />
      <TextFilter key={`site-${generation}`} name="site" label="Site" placeholder="Pune or Acme/Pune" width={140} />
      <TextFilter key={`ticket-${generation}`} name="ticket" label="Ticket" placeholder="INC-1042" width={110} />
      <Select label="Method" placeholder="Any" clearable w={120} data={METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
        value={filters.method} onChange={(v) => setFilters({ method: v })} data-testid="review-filter-method" />
      <Select label="Outcome" placeholder="Any" clearable w={120} data={[...SESSION_OUTCOMES]}
        value={filters.outcome} onChange={(v) => setFilters({ outcome: v })} data-testid="review-filter-outcome" />
      <Select label="State" placeholder="Any" clearable w={130} data={REVIEW_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
        value={filters.state} onChange={(v) => setFilters({ state: v as ReviewState | null })} data-testid="review-filter-state" />
      <TextInput type="date" label="From" w={140} value={filters.from} onChange={(e) => setFilters({ from: e.currentTarget.value })} data-testid="review-filter-from" />
      <TextInput type="date" label="To" w={140} value={filters.to} onChange={(e) => setFilters({ to: e.currentTarget.value })} data-testid="review-filter-to"
/>
      {active && (
        <Button variant="subtle" size="sm" leftSection={<IconFilterOff size={14} />} onClick={() => { setFilters(EMPTY_REVIEW_FILTERS); setGeneration((g) => g + 1); }} data-testid="review-filter-clear">
          Clear
        </Button>
      )}
      <Text size="xs" c="dimmed" w="100%">Days in your local time{zone ? ` (${zone})` : ''}; a site is its name or Customer/site.</Text>
    </Group>
  );
}
