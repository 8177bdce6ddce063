import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { Host } from '../../../../contract/models';

/** "SSH :22 support@ · jump bastion", "HTTPS :8443/ameyo", "VNC :5901", partner IDs. */
export function endpointLabels(host: Host): Array<{ key: string; label: string; color: string; title?: string }> {
  const out: Array<{ key: string; label: string; color: string; title?: string }> = [];
  if (host.ssh) {
    const who = host.ssh.user ? ` ${host.ssh.user}@` : '';
    const jump = host.ssh.jump ? ` · jump ${host.ssh.jump}` : '';
    const auth = host.ssh.agent ? 'ssh-agent' : host.ssh.credential ? `credential ${host.ssh.credential}` : 'no credential';
    out.push({ key: 'ssh', label: `SSH :${host.ssh.port}${who}${jump}`, color: 'switchboard', title: `${auth}${host.ssh.hostKey ? ` · host key ${host.ssh.hostKey}` : ' · host key not pinned'}` });
  }
  if (host.https) out.push({ key: 'https', label: `HTTPS :${host.https.port}${host.https.path ?? ''}`, color: 'teal', title: host.https.certSha256 ? `certificate pinned ${host.https.certSha256}` : 'certificate not pinned' });
  if (host.vnc) {
    const v = host.vnc;
    const label = `VNC :${v.port}${v.viewOnly ? ' · view only' : ''}${v.jump ? ` · jump ${v.jump}` : ''}${v.tlsCertSha256 ? ' · TLS' : ''}`;
    const clipboard = v.clipboard === 'both' ? 'clipboard both ways' : v.clipboard === 'to-engineer' ? 'clipboard to the engineer only' : 'clipboard off';
    const title = [v.credential ? `credential ${v.credential}` : 'no credential', clipboard, v.tlsCertSha256 ? `TLS certificate pinned ${v.tlsCertSha256}` : null].filter(Boolean).join(' · ');
    out.push({ key: 'vnc', label, color: 'grape', title });
  }
  if (host.anydesk) out.push({ key: 'anydesk', label: `AnyDesk ${host.anydesk}`, color: 'red' });
  if (host.teamviewer) out.push({ key: 'teamviewer', label: `TeamViewer ${host.teamviewer}`, color: 'blue' });
  return out;
}

export function EndpointBadges({ host }: { host: Host }) {
  const labels = endpointLabels(host);
  if (labels.length === 0) return <Text size="xs" c="dimmed">No endpoints</Text>;
  return (
    <Group gap={4}>
      {labels.map((l) => (
        <Tooltip key={l.key} label={l.title ?? l.label} disabled={!l.title}>
          <Badge size="sm" variant="light" color={l.color} tt="none" className="sb-mono" style={{ fontWeight: 500 }} data-testid={`endpoint-${l.key}`}>
            {l.label}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}
