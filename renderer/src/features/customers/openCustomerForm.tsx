import { modals } from '@mantine/modals';
import type { Customer } from '../../../../contract/models';
import { CustomerForm } from './CustomerForm';

export function openCustomerForm(customer?: Customer): void {
  const modalId = `customer-form-${customer?.id ?? 'new'}`;
  modals.open({
    modalId,
    title: customer ? `Edit ${customer.name}` : 'Add customer',
    size: 'lg',
    children: <CustomerForm customer={customer} onDone={() => modals.close(modalId)} />,
  });
}
