import { useCustomers } from './customers';
import { useNavigation } from './navigation';
import { useUi } from './ui';

/** After any write: reload the tree, the palette index, and whatever page is open. */
export async function refreshAll(): Promise<void> {
  useUi.getState().bumpData();
  await Promise.all([useCustomers.getState().loadList(), useNavigation.getState().load()]);
}
