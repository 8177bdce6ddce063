/**
 * The site profile file (shared/PROFILE-FORMAT.md): snake_case keys, unknown keys rejected, every
 * field judged by the same validators as the UI's forms.
 */
import { z } from 'zod';
import * as f from '../../../contract/domain/fields';
import { METHOD_ALIASES } from '../../../contract/domain/vocabulary';
import { fileTransferSetting } from '../../../contract/domain/file-transfer';

/** Partner IDs are digits, but YAML reads unquoted digits as a number and would drop leading zeros. */
const idString = (schema: z.ZodString) =>
  z.string({ error: (issue) => (typeof issue.input === 'number' ? 'write the ID in quotes, e.g. "123456789"' : 'must be text') }).pipe(schema);

const text = (message: string) => z.string({ error: message });

export const sshSchema = z.strictObject({
  port: f.port.default(22),
  user: text('a user name must be text').regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'a user name is letters, digits, "_", "." or "-"').optional(),
  host_key: f.sshHostKey.optional(),
  credential: f.credentialName.optional(),
  agent: z.boolean({ error: 'agent is true or false' }).optional(),
  jump: f.hostName.optional(),
});

export const httpsSchema = z.strictObject({
  port: f.port.default(443),
  path: f.urlPath.optional(),
  cert_sha256: f.certSha256.optional(),
});

export const vncSchema = z.strictObject({
  port: f.port.default(5900),
  credential: f.credentialName.optional(),
  view_only: z.boolean({ error: 'view_only is true or false' }).optional(),
  jump: f.hostName.optional(),
  clipboard: f.vncClipboard.optional(),
  tls_cert_sha256: f.certSha256.optional(),
});

export const hostSchema = z.strictObject({
  name: f.hostName,
  address: f.address.optional(),
  allow: f.allowList.default([]),
  role: f.role.optional(),
  ssh: sshSchema.optional(),
  https: httpsSchema.optional(),
  vnc: vncSchema.optional(),
  anydesk: idString(f.anydeskId).optional(),
  teamviewer: idString(f.teamviewerId).optional(),
}).superRefine(f.refineHostAddresses);

const methodWithAlias = z.preprocess((v) => (typeof v === 'string' && v in METHOD_ALIASES ? METHOD_ALIASES[v] : v), f.method);
const methodListWithAlias = z.array(methodWithAlias).superRefine((items, ctx) => {
  items.forEach((m, i) => {
    if (items.indexOf(m) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `method "${m}" is listed twice` });
  });
});

export const siteSchema = z.strictObject({
  name: f.displayName,
  seats: f.seats,
  peak_calls: f.peakCalls,
  components: f.componentList.default([]),
  product_version: z.string({ error: 'write the version in quotes, e.g. "4.12.3"' }).pipe(f.productVersion).optional(),
  approved_methods: methodListWithAlias.default([]),
  retention: z.strictObject({ ameyodb_days: f.retentionDays, reportsdb_days: f.retentionDays }).optional(),
  hosts: z.array(hostSchema).default([]),
  vpn: z
    .strictObject({ client: f.vpnClient, profile: text('a VPN profile is a file path').min(1, 'a VPN profile file is required'), gateway: f.hostName })
    .optional(),
  notes: z.array(z.strictObject({ title: f.noteTitle, body: f.noteBody })).default([]),
  /** File transfer over SFTP; absent = off (the customer approves it like a method). */
  files: fileTransferSetting.optional(),
});

export const customerSchema = z.strictObject({
  name: f.displayName,
  package: f.supportPackage,
  timezone: f.timezone,
  workdays: f.weekdayList,
  holidays: f.holidayList.default([]),
  contacts: z.array(f.contact).default([]),
  sites: z.array(siteSchema).default([]),
});

export const profileFileSchema = z.strictObject({
  version: z.literal(1, { error: 'this Switchboard reads profile files of version 1' }),
  customers: z.array(customerSchema),
});

export type ProfileFile = z.output<typeof profileFileSchema>;
export type ProfileCustomer = ProfileFile['customers'][number];
export type ProfileSite = ProfileCustomer['sites'][number];
export type ProfileHost = ProfileSite['hosts'][number];
