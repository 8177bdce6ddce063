/** Input schemas for every call that crosses from the window into main. */
import { z } from 'zod';
import * as f from './domain/fields';
import { CREDENTIAL_KINDS, SEVERITIES, SUPPORT_LEVELS, TICKET_CAUSES, TICKET_COMPONENTS, TICKET_STATUSES, TICKET_TYPES } from './domain/vocabulary';
import { LOG_KINDS } from './domain/log-kinds';
import { fileTransferSetting } from './domain/file-transfer';

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
export const vncEndpoint = z.strictObject({
  port: f.port,
  credential: optionalText(f.credentialName),
  viewOnly: z.boolean().optional(),
  jump: optionalText(f.hostName),
  clipboard: f.vncClipboard.optional(),
  tlsCertSha256: optionalText(f.certSha256),
});

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
}).superRefine(f.refineHostAddresses);

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
  /** Record keystrokes ("i" events) in this site's SSH recordings. A local setting, never in profile files; absent on update = unchanged. */
  recordInput: z.boolean().optional(),
  /** File transfer: policy, like the approved methods — absent = off (on create and on update); the form always sends it. */
  files: fileTransferSetting.optional(),
});

export const noteFields = z.strictObject({ title: f.noteTitle, body: f.noteBody });

/** The vendor ticket a change to the policy's data is made for (optional); it goes into the change's record. */
const changeTicket = optionalText(z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,63}$/, "a ticket id is the vendor's id, e.g. EXO-48213 (letters, digits, '-', '.', '_', ':', '#', '/')"));

export const inputs = {
  byIdSchema: z.strictObject({ id }),
  customerCreate: customerFields,
  customerUpdate: z.strictObject({ id, fields: customerFields, ticket: changeTicket }),
  /** `gatewayHost`: the site's VPN gateway, created as a host of the new site in the same step (its name is `fields.vpn.gateway`). */
  siteCreate: z.strictObject({ customerId: id, fields: siteFields, gatewayHost: hostFields.optional(), ticket: changeTicket }),
  siteUpdate: z.strictObject({ id, fields: siteFields, ticket: changeTicket }),
  hostCreate: z.strictObject({ siteId: id, fields: hostFields, ticket: changeTicket }),
  hostUpdate: z.strictObject({ id, fields: hostFields, ticket: changeTicket }),
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
  profileImport: z.strictObject({ text: z.string().max(16 * 1024 * 1024, 'a profile file is at most 16 MiB'), fileName: z.string().max(1024).optional(), ticket: changeTicket }),
  profileExport: z.strictObject({ customerIds: z.array(id).optional() }),
  restore: z.strictObject({ kind: z.enum(['customer', 'site', 'host', 'note']), id, ticket: changeTicket }),
  none: z.strictObject({}),
};

export type CustomerFields = z.input<typeof customerFields>;
export type SiteFields = z.input<typeof siteFields>;
export type HostFields = z.input<typeof hostFields>;
export type NoteFields = z.input<typeof noteFields>;

const count = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(0, `${what} cannot be negative`);
const reason = z.string().trim().min(1, 'say why').max(2000, 'a reason is at most 2000 characters');

export const ticketRef = z
  .string({ error: 'a ticket id is required' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,63}$/, "a ticket id is the vendor's id, e.g. EXO-48213 (letters, digits, '-', '.', '_', ':', '#', '/')");

export const impactFields = z.strictObject({
  seats: z.number().int().min(1, 'seats must be at least 1').optional(),
  calls: count('calls').optional(),
  cannotTakeCalls: count('agents who cannot take calls').optional(),
  cannotLogin: count('agents who cannot log in').optional(),
  callsRejected: count('rejected calls').optional(),
});

/** A terminal dimension in character cells. */
export const terminalCells = (max: number) => z.number().int().min(1, 'at least one cell').max(max, `at most ${max} cells`);

/** Control messages the window sends on a terminal's byte stream (input bytes travel as binary frames). */
export const terminalControl = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('resize'), cols: terminalCells(1000), rows: terminalCells(500) }),
  // heldMs: how long the window held the newest acknowledged bytes back on purpose (its output pacing).
  z.strictObject({ type: z.literal('ack'), bytes: z.number().int().positive().max(64 * 1024 * 1024), heldMs: z.number().int().min(0).max(60_000).optional() }),
]);
export type TerminalControl = z.infer<typeof terminalControl>;

export const ticketInputs = {
  ticketOpen: z.strictObject({
    siteId: id,
    ref: ticketRef,
    type: z.enum(TICKET_TYPES),
    component: z.enum(TICKET_COMPONENTS, { error: `the component is one of ${TICKET_COMPONENTS.join(', ')}` }),
    impact: impactFields,
    summary: z.string().trim().max(2000).optional(),
    severityOverride: z.strictObject({ severity: z.enum(SEVERITIES), reason }).optional(),
  }),
  ticketClassify: z.strictObject({ component: z.enum(TICKET_COMPONENTS), impact: impactFields.extend({ seats: z.number().int().min(1, 'seats must be at least 1') }) }),
  ticketList: z.strictObject({ siteId: id.optional(), status: z.enum(TICKET_STATUSES).optional() }),
  ticketAction: z.discriminatedUnion('action', [
    z.strictObject({ id, action: z.literal('respond') }),
    z.strictObject({ id, action: z.literal('resolve'), reason: z.string().trim().max(2000).optional() }),
    z.strictObject({ id, action: z.literal('close') }),
    z.strictObject({ id, action: z.literal('reopen'), reason }),
    z.strictObject({ id, action: z.literal('escalate'), to: z.enum(SUPPORT_LEVELS), reason }),
    z.strictObject({ id, action: z.literal('overrideSeverity'), severity: z.enum(SEVERITIES), reason }),
    z.strictObject({ id, action: z.literal('setCause'), cause: z.enum(TICKET_CAUSES), reason: z.string().trim().max(2000).optional() }),
    z.strictObject({ id, action: z.literal('rcaWait'), waiting: z.boolean(), reason }),
    z.strictObject({ id, action: z.literal('rcaDelivered') }),
  ]),
  connection: z.strictObject({
    siteId: id,
    ticket: ticketRef,
    target: z.string().trim().min(1, 'a target is required').max(2048),
    method: f.method,
    presenterConfirmed: z.boolean().optional(),
    /** Print the link or command line instead of starting it (still logged). */
    print: z.boolean().optional(),
  }),
  sessionId: z.strictObject({ sessionId: z.string().uuid('not a session id') }),
  sessionSummary: z.strictObject({ sessionId: z.string().uuid('not a session id'), summary: z.string().trim().min(1, 'write a short summary').max(4000) }),
  logList: z.strictObject({
    ticket: z.string().max(64).optional(),
    siteId: id.optional(),
    method: f.method.optional(),
    outcome: z.string().max(32).optional(),
    /** Exact name, case-insensitive (as `log.engineers` lists them). */
    engineer: z.string().trim().min(1).max(200).optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
    /** One kind of record (sessions, policy changes, approvals, team, reviews), or (absent) every record, newest first. */
    kind: z.enum(LOG_KINDS).optional(),
  }),
  /** csv/json: one row per event (json is the verifiable copy); sessions-csv/sessions-json: one row per session. */
  logExport: z.strictObject({ format: z.enum(['csv', 'json', 'sessions-csv', 'sessions-json']) }),
  vncOpen: z.strictObject({
    siteId: id,
    ticket: ticketRef,
    target: z.string().trim().min(1, 'a target is required').max(2048),
    /** View-only for this session, whatever the site allows. */
    viewOnly: z.boolean().optional(),
  }),
  /** A PNG from the viewer's canvas, base64 (at most 20 MiB decoded). */
  vncScreenshot: z.strictObject({ sessionId: z.string().uuid(), png: z.string().max(28 * 1024 * 1024) }),
  ticketScreenshot: z.strictObject({ id, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 hex digits') }),
  vncRecordingChunk: z.strictObject({ sessionId: z.string().uuid(), offset: z.number().int().min(0) }),
  terminalOpen: z.strictObject({
    siteId: id,
    ticket: ticketRef,
    target: z.string().trim().min(1, 'a target is required').max(2048),
    cols: terminalCells(1000),
    rows: terminalCells(500),
  }),
  hostKeyAnswer: z.strictObject({ sessionId: z.string().uuid('not a session id'), accept: z.boolean() }),
  hostKeyReplace: z.strictObject({
    siteId: id,
    ticket: ticketRef,
    host: z.string().trim().min(1, 'the host is required').max(200),
    /** The pin being replaced, as the window showed it: a stale window cannot replace a newer pin. */
    previous: f.sshHostKey,
    fingerprint: f.sshHostKey,
    reason: z.string().trim().min(10, 'say how the new fingerprint was confirmed with the customer (at least 10 characters)').max(500).regex(/^[^\r\n]*$/, 'one line, please'),
  }),
  /** Keyboard-interactive answers in prompt order; `null` cancels the sign-in. Never logged or stored. */
  promptAnswer: z.strictObject({ sessionId: z.string().uuid('not a session id'), answers: z.array(z.string().max(1024, 'too long')).max(16).nullable() }),
  /** A local port forward through a live terminal's SSH connection, to a host of the same site. */
  forwardOpen: z.strictObject({
    sessionId: z.string().uuid('not a session id'),
    host: f.hostName,
    port: f.port,
    /** A port on 127.0.0.1; absent = a free one. Below 1024 needs administrator rights, so it is refused. */
    localPort: z.number({ error: 'a local port must be a number' }).int('a local port must be a whole number')
      .min(1024, 'pick a local port from 1024 to 65535, or leave it empty for a free one')
      .max(65535, 'pick a local port from 1024 to 65535, or leave it empty for a free one').optional(),
  }),
  forwardClose: z.strictObject({ forwardId: z.string().uuid('not a forward id') }),
  /** A link clicked in a terminal; main decides whether it may leave the process (https only). */
  linkOpen: z.strictObject({ url: z.string().min(1, 'a link is required').max(2048, 'a link is at most 2048 characters') }),
};
