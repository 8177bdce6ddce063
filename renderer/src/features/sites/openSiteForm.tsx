import { modals } from '@mantine/modals';
import type { Site } from '../../../../contract/models';
import { SiteForm } from './SiteForm';

export function openSiteForm(options: { customerId: number; site?: Site }): void {
  const modalId = `site-form-${options.site?.id ?? 'new'}`;
  modals.open({
    modalId,
    title: options.site ? `Edit ${options.site.customerName} / ${options.site.name}` : 'Add site',
    size: 'lg',
    children: <SiteForm customerId={options.customerId} site={options.site} onDone={() => modals.close(modalId)} />,
  });
}
