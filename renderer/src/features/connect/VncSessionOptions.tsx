import { Alert, Checkbox } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import type { Host } from '../../../../contract/models';

/**
 * VNC's one choice before connecting: view-only for this session. A host the site made view-only is
 * view-only for everyone (the core's relay drops input either way), so the box is then ticked and fixed.
 */
export function VncSessionOptions({ host, viewOnly, setViewOnly }: { host: Host | undefined; viewOnly: boolean; setViewOnly: (v: boolean) => void }) {
  const imposed = host?.vnc?.viewOnly === true;
  return (
    <Alert variant="light" color="grape" icon={<IconEye size={16} />} p="sm">
      <Checkbox
        label="View-only for this session"
        description={imposed
          ? 'This host is view-only for every session (a site setting): Switchboard passes no keyboard or mouse input to it.'
          : 'Watch without touching: Switchboard drops your keyboard and mouse input before it reaches the desktop, and the log records the choice.'}
        checked={imposed || viewOnly}
        disabled={imposed}
        onChange={(e) => setViewOnly(e.currentTarget.checked)}
        data-testid="vnc-view-only-choice"
      />
    </Alert>
  );
}
