import { modals } from '@mantine/modals';
import type { Method } from '../../../../contract/domain/vocabulary';
import { ConnectModal } from './ConnectModal';

export interface ConnectRequest {
  siteId: number;
  hostName?: string;
  method?: Method;
  ticketRef?: string;
  /** Everything is chosen (a recent connection): show the policy's decision at once, without another Enter. */
  decideAtOnce?: boolean;
}

export function openConnect(request: ConnectRequest): void {
  const modalId = 'connect-flow';
  modals.open({
    modalId,
    title: 'Connect',
    size: 'xl',
    closeOnClickOutside: false,
    children: <ConnectModal request={request} onClose={() => modals.close(modalId)} />,
  });
}
