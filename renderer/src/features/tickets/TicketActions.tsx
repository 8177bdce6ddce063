import { Button, Card, Divider, Group, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconArrowUpRight, IconBug, IconCheck, IconFileCheck, IconHandStop, IconHourglass, IconLock, IconMessageReply, IconPlugConnected } from '@tabler/icons-react';
import type { Ticket } from '../../../../contract/models';
import { CAUSE_LABELS, SEVERITIES, SUPPORT_LEVELS, TICKET_CAUSES, type Severity, type TicketCause } from '../../../../contract/domain/vocabulary';
import { runAction } from './ActionDialog';

export function TicketActions({ ticket, onConnect }: { ticket: Ticket; onConnect: () => void }) {
  const id = ticket.id;
  const open = ticket.status === 'open';
  const next = SUPPORT_LEVELS[SUPPORT_LEVELS.indexOf(ticket.level) + 1];
  const rcaDue = ticket.clocks.rca.state !== 'not_applicable' && !ticket.rcaDeliveredAt;

  return (
    <Card withBorder padding="md" data-testid="ticket-actions">
      <Stack gap="xs">
        <Text fw={600} size="sm">Actions</Text>
        <Group gap="xs">
          {open && <Button size="xs" leftSection={<IconPlugConnected size={14} />} onClick={onConnect} data-testid="ticket-connect">Connect…</Button>}
          {open && !ticket.firstResponseAt && (
            <Button size="xs" variant="light" leftSection={<IconMessageReply size={14} />} data-testid="action-respond"
              onClick={() => runAction({ title: 'First response', confirm: 'Record', reason: 'none', build: () => ({ id, action: 'respond' }), done: 'first response recorded' })}>
              First response
            </Button>
          )}
          {open && (
            <Button size="xs" variant="light" color="teal" leftSection={<IconCheck size={14} />} data-testid="action-resolve"
              onClick={() => runAction({ title: `Resolve ${ticket.ref}`, confirm: 'Resolve', reason: 'optional', color: 'teal', explain: 'Stops the resolution clock. Major and critical incidents start the 48 h RCA clock.', build: (_c, reason) => ({ id, action: 'resolve', ...(reason ? { reason } : {}) }), done: 'resolved' })}>
              Resolve
            </Button>
          )}
          {ticket.status === 'resolved' && (
            <Button size="xs" variant="light" color="gray" leftSection={<IconLock size={14} />} data-testid="action-close"
              onClick={() => runAction({ title: `Close ${ticket.ref}`, confirm: 'Close', reason: 'none', build: () => ({ id, action: 'close' }), done: 'closed' })}>
              Close
            </Button>
          )}
          {!open && (
            <Button size="xs" variant="light" leftSection={<IconArrowBackUp size={14} />} data-testid="action-reopen"
              onClick={() => runAction({ title: `Reopen ${ticket.ref}`, confirm: 'Reopen', reason: 'required', explain: 'The resolution clock runs again from where it stopped.', build: (_c, reason) => ({ id, action: 'reopen', reason }), done: 'reopened' })}>
              Reopen
            </Button>
          )}
          {open && next && (
            <Button size="xs" variant={ticket.escalation ? 'filled' : 'light'} color="orange" leftSection={<IconArrowUpRight size={14} />} data-testid="action-escalate"
              onClick={() => runAction({ title: `Escalate ${ticket.ref} to ${next}`, confirm: `Escalate to ${next}`, reason: 'required', color: 'orange', reasonInitial: ticket.escalation?.reason, explain: ticket.escalation ? `Suggested: ${ticket.escalation.reason}` : `From ${ticket.level} to ${next}.`, build: (_c, reason) => ({ id, action: 'escalate', to: next, reason }), done: `escalated to ${next}` })}>
              Escalate to {next}
            </Button>
          )}
        </Group>
        <Divider my={4} />
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<IconHandStop size={14} />} data-testid="action-override"
            onClick={() => runAction({
              title: 'Override severity', confirm: 'Record override', reason: 'required',
              explain: `The impact computes as ${ticket.computedSeverity}. An override is recorded with your name and reason, and the SLA clocks follow the new severity.`,
              choice: { label: 'Severity', options: SEVERITIES.map((s) => ({ value: s, label: s })), initial: ticket.severity },
              build: (severity, reason) => ({ id, action: 'overrideSeverity', severity: severity as Severity, reason }), done: 'severity overridden',
            })}>
            Override severity
          </Button>
          <Button size="xs" variant="default" leftSection={<IconBug size={14} />} data-testid="action-cause"
            onClick={() => runAction({
              title: 'Set the cause', confirm: 'Set cause', reason: 'optional',
              explain: "Turnaround applies only to faults in the contact-center software: the client's hardware or connectivity stops the turnaround clock.",
              choice: { label: 'Traced to', options: TICKET_CAUSES.map((c) => ({ value: c, label: CAUSE_LABELS[c] })), initial: ticket.cause },
              build: (cause, reason) => ({ id, action: 'setCause', cause: cause as TicketCause, ...(reason ? { reason } : {}) }), done: 'cause set',
            })}>
            Set cause
          </Button>
          {rcaDue && (
            <Button size="xs" variant="default" leftSection={<IconHourglass size={14} />} data-testid="action-rca-wait"
              onClick={() => runAction({
                title: ticket.rcaWaiting ? 'Debug data received' : 'Waiting for debug data', confirm: ticket.rcaWaiting ? 'Resume RCA clock' : 'Pause RCA clock', reason: 'required',
                explain: ticket.rcaWaiting ? 'The RCA clock runs again.' : 'The RCA clock waits while debug logs are enabled and the issue recurs.',
                build: (_c, reason) => ({ id, action: 'rcaWait', waiting: !ticket.rcaWaiting, reason }), done: ticket.rcaWaiting ? 'RCA clock resumed' : 'RCA waiting for debug data',
              })}>
              {ticket.rcaWaiting ? 'Debug data received' : 'Waiting for debug data'}
            </Button>
          )}
          {rcaDue && (
            <Button size="xs" variant="default" leftSection={<IconFileCheck size={14} />} data-testid="action-rca-delivered"
              onClick={() => runAction({ title: 'RCA delivered', confirm: 'Record', reason: 'none', build: () => ({ id, action: 'rcaDelivered' }), done: 'RCA delivered' })}>
              RCA delivered
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
