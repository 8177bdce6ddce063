import { COMPONENT_LABELS, TICKET_COMPONENTS, type TicketComponent } from '../../../../contract/domain/vocabulary';

export const TICKET_COMPONENT_LABELS: Readonly<Record<TicketComponent, string>> = { ...COMPONENT_LABELS, other: 'Other' };
export const TICKET_COMPONENT_OPTIONS = TICKET_COMPONENTS.map((c) => ({ value: c, label: TICKET_COMPONENT_LABELS[c] }));

export const STATUS_COLORS: Readonly<Record<string, string>> = { open: 'blue', resolved: 'teal', closed: 'gray' };

export const EVENT_LABELS: Readonly<Record<string, string>> = {
  opened: 'Opened',
  open: 'Opened',
  first_response: 'First response',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
  escalated: 'Escalated',
  severity_override: 'Severity overridden',
  cause: 'Cause set',
  rca_wait_started: 'RCA waiting for debug data',
  rca_wait_ended: 'RCA debug data received',
  rca_delivered: 'RCA delivered',
};

export const eventLabel = (kind: string): string => EVENT_LABELS[kind] ?? kind.replace(/[_-]+/g, ' ');
