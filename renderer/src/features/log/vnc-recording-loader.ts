import { VncRecordingParser, type VncRecording } from '../../../../contract/vnc-recording-format';
import { api } from '../../api/transport';

export interface LoadedVncRecording extends VncRecording {
  /** The file's SHA-256 equals the one in the session log (checked by the core on the first slice). */
  sha256Matches: boolean;
  bytes: number;
}

export type VncRecordingLoad =
  | { kind: 'loaded'; recording: LoadedVncRecording }
  /** The first slice said the file is not the one the log names; nothing more was fetched. */
  | { kind: 'mismatch'; bytes: number };

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Where the slices come from: the engineer's own log, or a lead's imported recordings. */
export type VncRecordingSlices = (offset: number) => Promise<{ total: number; data: string; sha256Matches: boolean | null }>;

export const logRecordingSlices = (sessionId: string): VncRecordingSlices => (offset) => api['log.vncRecording']({ sessionId, offset });

/**
 * Fetches a session's VNC recording slice by slice (up to 4 MiB each), parsing as it goes, and reports
 * progress. Stops after the first slice when its hash does not match the log, unless `acceptMismatch`
 * (a person chose to look at the unverified file).
 */
export async function loadVncRecording(
  sessionId: string,
  options: { acceptMismatch: boolean; onProgress: (loaded: number, total: number) => void; cancelled: () => boolean; slices?: VncRecordingSlices },
): Promise<VncRecordingLoad | null> {
  const slices = options.slices ?? logRecordingSlices(sessionId);
  const parser = new VncRecordingParser(`The recording of session ${sessionId}`);
  const events: VncRecording['events'] = [];
  let offset = 0;
  let total = 0;
  let sha256Matches = false;
  do {
    const slice = await slices(offset);
    if (options.cancelled()) return null;
    if (offset === 0) {
      total = slice.total;
      sha256Matches = slice.sha256Matches === true;
      if (!sha256Matches && !options.acceptMismatch) return { kind: 'mismatch', bytes: total };
    }
    const data = fromBase64(slice.data);
    // The file shrank under us: what we have is all there is.
    if (data.length === 0) break;
    for (const event of parser.push(data)) events.push(event);
    offset += data.length;
    options.onProgress(offset, total);
  } while (offset < total);
  const { truncated } = parser.end();
  return { kind: 'loaded', recording: { header: parser.header!, events, truncated: truncated || offset < total, sha256Matches, bytes: offset } };
}
