import { useEffect } from 'react';
import { AppLayout } from './features/layout/AppLayout';
import { useApp } from './stores/app';
import { useCustomers } from './stores/customers';
import { useNavigation } from './stores/navigation';
import { startTicketPolling, useTickets } from './stores/tickets';

export function App() {
  useEffect(() => {
    void useApp.getState().loadInfo();
    void useCustomers.getState().loadList();
    void useNavigation.getState().load();
    void useTickets.getState().load();
  }, []);
  useEffect(() => startTicketPolling(), []);
  return <AppLayout />;
}
