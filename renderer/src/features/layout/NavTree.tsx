import { ActionIcon, Badge, Button, Divider, Group, NavLink, Skeleton, Stack, Text } from '@mantine/core';
import { IconBuilding, IconChevronRight, IconHistory, IconListCheck, IconPlus, IconServer2, IconTerminal2, IconTicket, IconUsersGroup } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { NavigationEntry } from '../../../../contract/models';
import { useCustomers } from '../../stores/customers';
import { useNavigation } from '../../stores/navigation';
import { openTicketCount, useTickets } from '../../stores/tickets';
import { useLiveTerminals } from '../../stores/live-terminals';
import { useTerminals } from '../../stores/terminals';
import { navigate, useUi } from '../../stores/ui';
import { openCustomerForm } from '../customers/openCustomerForm';

function groupSites(entries: NavigationEntry[]) {
  const sitesByCustomer = new Map<number, NavigationEntry[]>();
  const hostsBySite = new Map<number, number>();
  for (const e of entries) {
    if (e.kind === 'site') sitesByCustomer.set(e.customerId, [...(sitesByCustomer.get(e.customerId) ?? []), e]);
    if (e.kind === 'host' && e.siteId) hostsBySite.set(e.siteId, (hostsBySite.get(e.siteId) ?? 0) + 1);
  }
  return { sitesByCustomer, hostsBySite };
}

function Count({ n }: { n: number }) {
  return <Badge size="xs" variant="light" color="gray" radius="sm">{n}</Badge>;
}

export function NavTree() {
  const customers = useCustomers((s) => s.list);
  const entries = useNavigation((s) => s.entries);
  const route = useUi((s) => s.route);
  const openTickets = useTickets((s) => openTicketCount(s.list));
  const tabs = useTerminals((s) => s.tabs);
  // Terminals still running without a tab here (after a reload) count too: the page lists them.
  const withoutTab = useLiveTerminals((s) => s.live.filter((t) => !tabs.some((tab) => tab.sessionId === t.sessionId)).length);
  const terminals = tabs.length + withoutTab;
  const breached = useTickets((s) => s.list?.some((t) => t.status === 'open' && (t.clocks.firstResponse.state === 'breached' || t.clocks.resolution.state === 'breached')) ?? false);
  const { sitesByCustomer, hostsBySite } = useMemo(() => groupSites(entries), [entries]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const activeSiteId = route.name === 'site' ? route.id : undefined;
  const activeCustomerId = route.name === 'customer' ? route.id : entries.find((e) => e.kind === 'site' && e.id === activeSiteId)?.customerId;

  return (
    <Stack gap={4}>
      <nav aria-label="Work">
        <NavLink
          label="Tickets"
          leftSection={<IconTicket size={16} stroke={1.6} />}
          rightSection={<Badge size="xs" variant={breached ? 'filled' : 'light'} color={breached ? 'red' : openTickets ? 'blue' : 'gray'} radius="sm" data-testid="nav-tickets-count">{openTickets}</Badge>}
          active={route.name === 'tickets' || route.name === 'ticket'}
          href="#/tickets"
          onClick={(event) => { event.preventDefault(); navigate({ name: 'tickets', filter: 'open' }); }}
          data-testid="nav-tickets"
          styles={{ label: { fontWeight: 500 } }}
        />
        <NavLink
          label="Session log"
          leftSection={<IconHistory size={16} stroke={1.6} />}
          active={route.name === 'log'}
          href="#/log"
          onClick={(event) => { event.preventDefault(); navigate({ name: 'log' }); }}
          data-testid="nav-log"
          styles={{ label: { fontWeight: 500 } }}
        />
        <NavLink
          label="Terminals"
          leftSection={<IconTerminal2 size={16} stroke={1.6} />}
          rightSection={<Count n={terminals} />}
          active={route.name === 'terminals'}
          href="#/terminals"
          onClick={(event) => { event.preventDefault(); navigate({ name: 'terminals' }); }}
          data-testid="nav-terminals"
          styles={{ label: { fontWeight: 500 } }}
        />
        <NavLink
          label="Team"
          leftSection={<IconUsersGroup size={16} stroke={1.6} />}
          active={route.name === 'team'}
          href="#/team"
          onClick={(event) => { event.preventDefault(); navigate({ name: 'team' }); }}
          data-testid="nav-team"
          styles={{ label: { fontWeight: 500 } }}
        />
        <NavLink
          label="Review"
          leftSection={<IconListCheck size={16} stroke={1.6} />}
          active={route.name === 'review'}
          href="#/review"
          onClick={(event) => { event.preventDefault(); navigate({ name: 'review', tab: 'queue' }); }}
          data-testid="nav-review"
          styles={{ label: { fontWeight: 500 } }}
        />
      </nav>
      <Divider my={6} />
      <Group justify="space-between" px={6} pb={4}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.05em' }}>Customers</Text>
        <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => openCustomerForm()} data-testid="nav-add-customer">
          New
        </Button>
      </Group>
      {customers === null && [0, 1, 2].map((i) => <Skeleton key={i} h={28} radius="sm" />)}
      {customers?.length === 0 && (
        <Text size="xs" c="dimmed" px={6}>No customers yet. Add one or import a profile file.</Text>
      )}
      <nav aria-label="Customers and sites">
        {customers?.map((c) => {
          const sites = sitesByCustomer.get(c.id) ?? [];
          return (
            <NavLink
              key={c.id}
              label={c.name}
              leftSection={<IconBuilding size={16} stroke={1.6} />}
              rightSection={
                <Group gap={2} wrap="nowrap">
                  <Count n={sites.length || c.siteCount} />
                  <ActionIcon
                    component="span"
                    size="xs"
                    variant="subtle"
                    color="gray"
                    aria-label={collapsed.has(c.id) ? `Expand ${c.name}` : `Collapse ${c.name}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      toggle(c.id);
                    }}
                  >
                    <IconChevronRight size={12} style={{ transform: collapsed.has(c.id) ? undefined : 'rotate(90deg)', transition: 'transform 120ms' }} />
                  </ActionIcon>
                </Group>
              }
              active={activeCustomerId === c.id && activeSiteId === undefined}
              opened={!collapsed.has(c.id)}
              disableRightSectionRotation
              onChange={() => undefined}
              childrenOffset={18}
              href={`#/customers/${c.id}`}
              onClick={(event) => {
                event.preventDefault();
                navigate({ name: 'customer', id: c.id });
              }}
              data-testid={`nav-customer-${c.name}`}
              styles={{ label: { fontWeight: 500 } }}
            >
              {sites.map((s) => (
                <NavLink
                  key={s.id}
                  label={s.label.includes('/') ? s.label.slice(s.label.indexOf('/') + 1) : s.label}
                  leftSection={<IconServer2 size={14} stroke={1.6} />}
                  rightSection={<Count n={hostsBySite.get(s.id) ?? 0} />}
                  active={activeSiteId === s.id}
                  href={`#/sites/${s.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate({ name: 'site', id: s.id, tab: 'hosts' });
                  }}
                  data-testid={`nav-site-${s.label}`}
                />
              ))}
            </NavLink>
          );
        })}
      </nav>
    </Stack>
  );
}
