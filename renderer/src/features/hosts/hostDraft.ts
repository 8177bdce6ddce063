import type { HostFields } from '../../../../contract/inputs';
import type { Host } from '../../../../contract/models';
import type { VncClipboard } from '../../../../contract/domain/vocabulary';
import { splitList, toNumber } from '../../lib/validation';

/** The host form's state: text as typed, one toggle per endpoint section. */
export interface HostDraft {
  name: string;
  address: string;
  allow: string;
  role: string;
  ssh: { enabled: boolean; port: number | string; user: string; hostKey: string; credential: string; agent: boolean; jump: string };
  https: { enabled: boolean; port: number | string; path: string; certSha256: string };
  vnc: { enabled: boolean; port: number | string; credential: string; viewOnly: boolean; jump: string; clipboard: VncClipboard; tlsCertSha256: string };
  anydesk: string;
  teamviewer: string;
}

export function draftFromHost(host?: Host): HostDraft {
  return {
    name: host?.name ?? '',
    address: host?.address ?? '',
    allow: host?.allow.join(', ') ?? '',
    role: host?.role ?? '',
    ssh: {
      enabled: Boolean(host?.ssh),
      port: host?.ssh?.port ?? 22,
      user: host?.ssh?.user ?? '',
      hostKey: host?.ssh?.hostKey ?? '',
      credential: host?.ssh?.credential ?? '',
      agent: host?.ssh?.agent ?? false,
      jump: host?.ssh?.jump ?? '',
    },
    https: { enabled: Boolean(host?.https), port: host?.https?.port ?? 443, path: host?.https?.path ?? '', certSha256: host?.https?.certSha256 ?? '' },
    vnc: {
      enabled: Boolean(host?.vnc),
      port: host?.vnc?.port ?? 5900,
      credential: host?.vnc?.credential ?? '',
      viewOnly: host?.vnc?.viewOnly ?? false,
      jump: host?.vnc?.jump ?? '',
      clipboard: host?.vnc?.clipboard ?? 'off',
      tlsCertSha256: host?.vnc?.tlsCertSha256 ?? '',
    },
    anydesk: host?.anydesk ?? '',
    teamviewer: host?.teamviewer ?? '',
  };
}

const text = (s: string) => (s.trim() === '' ? undefined : s.trim());

export function fieldsFromDraft(d: HostDraft): HostFields {
  const fields = {
    name: d.name.trim(),
    address: text(d.address),
    allow: splitList(d.allow),
    role: text(d.role),
    ssh: d.ssh.enabled
      ? { port: toNumber(d.ssh.port), user: text(d.ssh.user), hostKey: text(d.ssh.hostKey), credential: d.ssh.agent ? undefined : text(d.ssh.credential), agent: d.ssh.agent || undefined, jump: text(d.ssh.jump) }
      : undefined,
    https: d.https.enabled ? { port: toNumber(d.https.port), path: text(d.https.path), certSha256: text(d.https.certSha256) } : undefined,
    vnc: d.vnc.enabled
      ? {
          port: toNumber(d.vnc.port), credential: text(d.vnc.credential), viewOnly: d.vnc.viewOnly || undefined, jump: text(d.vnc.jump),
          // 'off' is what an absent key means: left out, so an untouched host saves as it was.
          clipboard: d.vnc.clipboard === 'off' ? undefined : d.vnc.clipboard, tlsCertSha256: text(d.vnc.tlsCertSha256),
        }
      : undefined,
    anydesk: text(d.anydesk),
    teamviewer: text(d.teamviewer),
  };
  // Drop undefined keys: the schemas are strict objects and the wire format is JSON anyway.
  return JSON.parse(JSON.stringify(fields)) as HostFields;
}
