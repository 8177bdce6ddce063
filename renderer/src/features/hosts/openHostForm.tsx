import { modals } from '@mantine/modals';
import type { Host, Site } from '../../../../contract/models';
import { HostForm } from './HostForm';

export function openHostForm(site: Site, host?: Host): void {
  const modalId = `host-form-${host?.id ?? 'new'}`;
  modals.open({
    modalId,
    title: host ? `Edit host ${host.name}` : `Add host to ${site.customerName} / ${site.name}`,
    size: 'xl',
    children: <HostForm site={site} host={host} onDone={() => modals.close(modalId)} />,
  });
}
