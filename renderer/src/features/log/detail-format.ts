/**
 * How a session event's detail reads in the log drawer: a label in words for each key (known keys by
 * name, any other key spelled out from its camelCase), and the few values that have a meaning of
 * their own put into words. Keys the window does not know are still shown, never dropped.
 */
const LABELS: Readonly<Record<string, string>> = {
  command: 'Command line', exitCode: 'Exit code', outputTail: 'Output (tail)', url: 'URL', origin: 'Origin', shownIn: 'Shown in',
  presenterConfirmed: 'Customer presenting (confirmed)', pid: 'Process id', ownerPid: 'Owning process id', signal: 'Signal', error: 'Error',
  code: 'Error code', approval: 'Exception approval', approvedBy: 'Approved by', validUntil: 'Valid until', reason: 'Reason', print: 'Printed only',
  inputRecorded: 'Typed input recorded', recording: 'Recording', recordingSha256: 'Recording SHA-256', recordingBytes: 'Recording size',
  recordingInterrupted: 'Recording cut off', sha256: 'SHA-256', failure: 'Failure', endedBecause: 'Ended because', closedBecause: 'Closed because',
  interruption: 'Interruption', forwardVia: 'Through SSH session', forwardTo: 'Forwarded to', forwardKind: 'Forward kind', listen: 'Listening on',
  requestedLocalPort: 'Requested local port', connections: 'Connections', refusedConnections: 'Refused connections', hops: 'Route (hop by hop)',
  acceptedHostKeys: 'Host keys accepted', hostKeyDecisions: 'Host key decisions', certificate: 'Certificate', fingerprint: 'Fingerprint',
  previous: 'Previous fingerprint', pin: 'Pinned fingerprint', decision: 'Decision', action: 'Action', host: 'Host', pinned: 'Pinned',
  transfers: 'Files transferred', transferId: 'Transfer id', direction: 'Direction', remotePath: 'Remote path', resolvedPath: 'Real path on the server',
  localName: 'Local name', size: 'Size', result: 'Result', resumedFrom: 'Resumed at', bytesMoved: 'Bytes moved', evidence: 'Kept as evidence (SHA-256)',
  refused: 'Refused because', note: 'Note',
};

const FAILURES: Readonly<Record<string, string>> = {
  'host-key-mismatch': 'the host key changed since it was pinned',
  'host-key-rejected': 'the new host key was not accepted',
  'auth-failed': 'the server refused the credentials',
  refused: 'the connection was refused',
  'timed-out': 'the connection timed out',
  unreachable: 'the host could not be reached',
  'connection-lost': 'the connection was lost',
  'channel-failed': 'the server refused to open a channel',
  protocol: 'the server broke the SSH protocol',
};

/** "forwardKind" → "Forward kind", "recordingSha256" → "Recording sha256" (for keys with no label). */
export function detailLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/([A-Za-z])(\d+)/g, '$1 $2').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** An SSH failure kind in words, keeping the code: "auth-failed" → "the server refused the credentials (auth-failed)". */
export function failureText(value: string): string {
  const words = FAILURES[value];
  return words ? `${words[0]!.toUpperCase()}${words.slice(1)} (${value})` : value;
}

/** The last path segment of a file (a recording lives deep in the data dir; the name is what tells them apart). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const isIsoTime = (value: unknown): value is string => typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));

/** Keys whose value is a hash or fingerprint: shown whole, monospace, breaking anywhere. */
export const HASH_KEYS: ReadonlySet<string> = new Set(['recordingSha256', 'sha256', 'fingerprint', 'previous', 'pin', 'evidence']);
/** Keys whose value is a byte count. */
export const BYTE_KEYS: ReadonlySet<string> = new Set(['recordingBytes', 'bytesMoved', 'resumedFrom']);
