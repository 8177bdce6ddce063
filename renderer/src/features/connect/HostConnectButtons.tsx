import { Button, Group, Text, Tooltip } from '@mantine/core';
import type { Host, Site } from '../../../../contract/models';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { hostMethods } from './methods';
import { openConnect } from './openConnect';

/** One small button per way this host can be reached; each opens the connect flow prefilled. */
export function HostConnectButtons({ site, host }: { site: Site; host: Host }) {
  const methods = hostMethods(site, host);
  if (methods.length === 0) return <Text size="xs" c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="wrap">
      {methods.map((m) => {
        const approved = site.approvedMethods.includes(m);
        return (
          <Tooltip key={m} label={approved ? `Connect to ${host.name} over ${METHOD_LABELS[m]}` : `${METHOD_LABELS[m]} is not approved for this site (needs an exception)`}>
            <Button size="compact-xs" variant={approved ? 'light' : 'default'} onClick={() => openConnect({ siteId: site.id, hostName: host.name, method: m })} data-testid={`connect-${host.name}-${m}`}>
              {METHOD_LABELS[m]}
            </Button>
          </Tooltip>
        );
      })}
    </Group>
  );
}
