/** Input schemas for every call that crosses from the window into main. */
import { z } from 'zod';
import * as f from './domain/fields';
import { CREDENTIAL_KINDS } from './domain/vocabulary';

export const id = z.number({ error: 'an id is required' }).int().positive();

const optionalText = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const customerFields = z.strictObject({
  name: f.displayName,
  package: f.supportPackage,
  timezone: f.timezone,
  workdays: f.weekdayList,
  holidays: f.holidayList,
  contacts: z.array(f.contact),
});

export const sshEndpoint = z.strictObject({
  port: f.port,
  user: optionalText(z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'a user name is letters, digits, "_", "." or "-"')),
  hostKey: optionalText(f.sshHostKey),
  credential: optionalText(f.credentialName),
  agent: z.boolean().optional(),
  jump: optionalText(f.hostName),
});
export const httpsEndpoint = z.strictObject({ port: f.port, path: optionalText(f.urlPath), certSha256: optionalText(f.certSha256) });
export const vncEndpoint = z.strictObject({ port: f.port, credential: optionalText(f.credentialName), viewOnly: z.boolean().optional() });

export const hostFields = z.strictObject({
  name: f.hostName,
  address: optionalText(f.address),
  allow: f.allowList,
  role: optionalText(f.role),
  ssh: sshEndpoint.optional(),
  https: httpsEndpoint.optional(),
  vnc: vncEndpoint.optional(),
  anydesk: optionalText(f.anydeskId),
  teamviewer: optionalText(f.teamviewerId),
});

export const vpnProfile = z.strictObject({ client: f.vpnClient, profile: z.string().trim().min(1, 'a VPN profile file is required').max(4096), gateway: f.hostName });

export const siteFields = z.strictObject({
  name: f.displayName,
  seats: f.seats,
  peakCalls: f.peakCalls,
  components: f.componentList,
  productVersion: optionalText(f.productVersion),
  approvedMethods: f.methodList,
  retention: z.strictObject({ ameyodbDays: f.retentionDays, reportsdbDays: f.retentionDays }).optional(),
  vpn: vpnProfile.optional(),
});

export const noteFields = z.strictObject({ title: f.noteTitle, body: f.noteBody });

export const inputs = {
  byIdSchema: z.strictObject({ id }),
  customerCreate: customerFields,
  customerUpdate: z.strictObject({ id, fields: customerFields }),
  siteCreate: z.strictObject({ customerId: id, fields: siteFields }),
  siteUpdate: z.strictObject({ id, fields: siteFields }),
  hostCreate: z.strictObject({ siteId: id, fields: hostFields }),
  hostUpdate: z.strictObject({ id, fields: hostFields }),
  noteCreate: z.strictObject({ siteId: id, hostId: id.optional(), fields: noteFields }),
  noteUpdate: z.strictObject({ id, fields: noteFields }),
  noteSearch: z.strictObject({ query: z.string().max(500, 'a search is at most 500 characters'), limit: z.number().int().min(1).max(200).optional() }),
  revisionRestore: z.strictObject({ noteId: id, revisionId: id }),
  credentialSet: z.strictObject({
    name: f.credentialName,
    kind: z.enum(CREDENTIAL_KINDS),
    secret: z.string().min(1, 'the secret is empty').max(64 * 1024, 'a secret is at most 64 KiB'),
  }),
  credentialName: z.strictObject({ name: f.credentialName }),
  profileImport: z.strictObject({ text: z.string().max(16 * 1024 * 1024, 'a profile file is at most 16 MiB'), fileName: z.string().max(1024).optional() }),
  profileExport: z.strictObject({ customerIds: z.array(id).optional() }),
  restore: z.strictObject({ kind: z.enum(['customer', 'site', 'host', 'note']), id }),
  none: z.strictObject({}),
};

export type CustomerFields = z.input<typeof customerFields>;
export type SiteFields = z.input<typeof siteFields>;
export type HostFields = z.input<typeof hostFields>;
export type NoteFields = z.input<typeof noteFields>;
