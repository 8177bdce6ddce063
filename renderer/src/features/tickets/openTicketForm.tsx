import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import type { Site, Ticket } from '../../../../contract/models';
import { navigate } from '../../stores/ui';
import { TicketForm } from './TicketForm';

export function openTicketForm({ site, onSaved }: { site?: Site; onSaved?: (ticket: Ticket) => void }): void {
  const modalId = 'ticket-form';
  modals.open({
    modalId,
    title: site ? `Open a ticket for ${site.customerName} / ${site.name}` : 'Open a ticket',
    size: 'xl',
    children: (
      <TicketForm
        site={site}
        onCancel={() => modals.close(modalId)}
        onSaved={(ticket) => {
          modals.close(modalId);
          notifications.show({ color: 'teal', title: `Opened ${ticket.ref}`, message: `${ticket.severity} · ${ticket.customerName} / ${ticket.siteName}` });
          if (onSaved) onSaved(ticket);
          else navigate({ name: 'ticket', id: ticket.id });
        }}
      />
    ),
  });
}
