import { Badge, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconCloudCheck, IconCloudOff, IconCloudUpload, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import type { TeamSyncView } from '../../../../contract/models';
import { api } from '../../api/transport';
import { formatDateTime } from '../../lib/format';
import { navigate } from '../../stores/ui';

/** How often the window asks the core where the sync is (the core syncs on its own every minute). */
const POLL_MS = 15_000;

function describe(state: TeamSyncView): { label: string; color: string; icon: ReactNode; detail: string } {
  const skew = state.clockSkewMs !== null && Math.abs(state.clockSkewMs) > 120_000
    ? ` Your clock is ${Math.round(Math.abs(state.clockSkewMs) / 60_000)} min ${state.clockSkewMs > 0 ? 'ahead of' : 'behind'} the team store's; fix it (NTP).` : '';
  const conflicts = state.conflicts > 0
    ? { label: `${state.conflicts} conflict${state.conflicts === 1 ? '' : 's'}`, color: 'red', icon: <IconAlertTriangle size={12} />,
      detail: `${state.conflicts} profile edit${state.conflicts === 1 ? '' : 's'} the team store did not take, kept here to redo or drop. Click to see ${state.conflicts === 1 ? 'it' : 'them'} on the Team page.${skew}` }
    : null;
  if (conflicts && !state.syncing) return conflicts;
  if (state.syncing) return { label: 'Syncing…', color: 'blue', icon: <IconRefresh size={12} />, detail: `Syncing with ${state.url}.${skew}` };
  if (state.offlineSince) {
    return { label: `Offline since ${formatDateTime(state.offlineSince)}`, color: 'orange', icon: <IconCloudOff size={12} />,
      detail: `${state.lastError ?? 'The team store cannot be reached.'} ${state.waiting} record${state.waiting === 1 ? '' : 's'} wait here; nothing is lost. Click to try now.${skew}` };
  }
  const changes = state.waitingChanges.notes + state.waitingChanges.tickets + state.waitingChanges.ticketChanges;
  if (changes > 0) {
    const parts = [
      ...(state.waiting ? [`${state.waiting} record${state.waiting === 1 ? '' : 's'}`] : []),
      ...(state.waitingChanges.notes ? [`${state.waitingChanges.notes} note revision${state.waitingChanges.notes === 1 ? '' : 's'}`] : []),
      ...(state.waitingChanges.tickets + state.waitingChanges.ticketChanges ? [`${state.waitingChanges.tickets + state.waitingChanges.ticketChanges} ticket change${state.waitingChanges.tickets + state.waitingChanges.ticketChanges === 1 ? '' : 's'}`] : []),
    ];
    return { label: `${state.waiting + changes} waiting`, color: 'yellow', icon: <IconCloudUpload size={12} />, detail: `Not yet in the team store: ${parts.join(', ')}. Click to sync now.${skew}` };
  }
  if (state.waiting > 0) return { label: `${state.waiting} waiting`, color: 'yellow', icon: <IconCloudUpload size={12} />, detail: `${state.waiting} record${state.waiting === 1 ? '' : 's'} not yet in the team store. Click to sync now.${skew}` };
  const witnessed = state.lastWitness ? ` Last witnessed: records 1–${state.lastWitness.size}, by ${state.lastWitness.by}, ${formatDateTime(state.lastWitness.at)}.` : ' Not witnessed by a lead yet.';
  return { label: 'Synced', color: skew ? 'orange' : 'teal', icon: <IconCloudCheck size={12} />, detail: `In step with ${state.url} as ${state.login}; last sync ${state.lastSync ? formatDateTime(state.lastSync) : 'never'}.${witnessed}${skew}` };
}

/** The team store link in the header: synced, N waiting, offline since…; a click syncs now. Hidden when not linked. */
export function TeamSyncBadge() {
  const [state, setState] = useState<TeamSyncView | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => api['team.status']({}).then((s) => alive && setState(s), () => {});
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => { alive = false; clearInterval(timer); };
  }, []);
  if (!state?.linked) return null;
  const shown = describe(state);
  return (
    <Tooltip label={shown.detail} multiline w={320}>
      <UnstyledButton onClick={() => {
        if (state.conflicts > 0) return navigate({ name: 'team' });
        setState({ ...state, syncing: true });
        void api['team.syncNow']({}).then(setState, () => {});
      }} aria-label={`Team store: ${shown.label}`} data-testid="team-sync-badge" data-waiting={state.waiting}>
        <Badge variant="light" color={shown.color} leftSection={shown.icon} size="md">Team · {shown.label}</Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
