import { z } from 'zod';
import { ApiError } from './errors';

/**
 * The Switchboard VNC recording format (docs/recording-format.md), shared by the core's writer and
 * reader and the window's replay. Pure: no Node imports, so the window's bundle can parse a recording
 * it fetched as bytes.
 *
 *   magic line    "SWITCHBOARD-VNC-RECORDING 1\n"
 *   header line   one JSON object (VncRecordingHeader), then "\n"
 *   events        [u8 kind][u32be milliseconds since start][u32be length][length bytes], repeated
 */

export const VNC_RECORDING_MAGIC = 'SWITCHBOARD-VNC-RECORDING 1\n';
const MAGIC_BYTES = new TextEncoder().encode(VNC_RECORDING_MAGIC);

/** Whether these bytes start like a VNC recording (the magic line), as opposed to an SSH asciicast. */
export function isVncRecording(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC_BYTES.length && MAGIC_BYTES.every((b, i) => bytes[i] === b);
}

/** kind (1) + time (4) + length (4). */
export const VNC_EVENT_HEADER_BYTES = 9;

/** 'o': server → viewer bytes exactly as relayed. 'i': one viewer → server message (input recording only). */
export type VncEventKind = 'o' | 'i';
export const VNC_EVENT_KIND_BYTE: Record<VncEventKind, number> = { o: 0x6f, i: 0x69 };

/**
 * No event is longer: the writer splits server output above it, and a reader refuses a longer length
 * as corruption instead of waiting for, or allocating, gigabytes.
 */
export const VNC_MAX_EVENT_BYTES = 64 * 1024 * 1024;

/** Times are u32 milliseconds: a recording can span 49.7 days. */
export const VNC_MAX_EVENT_TIME_MS = 0xffff_ffff;

/** A header line longer than this is not a header. */
const MAX_HEADER_BYTES = 64 * 1024;

export const vncRecordingHeaderSchema = z.object({
  version: z.literal(1),
  sessionId: z.string().min(1),
  title: z.string(),
  /** Epoch seconds at the start of the recording. */
  timestamp: z.number().int().nonnegative(),
  width: z.number().int().min(1).max(65535),
  height: z.number().int().min(1).max(65535),
  /** The desktop name from ServerInit. */
  name: z.string(),
  /** Base64 of the server's ServerInit message, so a replay can greet a viewer as the server did. */
  serverInit: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  /** Whether 'i' events were recorded. */
  recordInput: z.boolean(),
});
export type VncRecordingHeader = z.infer<typeof vncRecordingHeaderSchema>;

export interface VncRecordingEvent {
  /** Milliseconds since the start of the recording; never goes backwards. */
  t: number;
  kind: VncEventKind;
  data: Uint8Array;
}

export interface VncRecording {
  header: VncRecordingHeader;
  events: VncRecordingEvent[];
  /** The file ends inside an event (the writer crashed mid-write): `events` holds the complete ones. */
  truncated: boolean;
}

const KIND_OF_BYTE = new Map<number, VncEventKind>(Object.entries(VNC_EVENT_KIND_BYTE).map(([kind, byte]) => [byte, kind as VncEventKind]));

/** The 9-byte header of one event, written at `offset` of `target`. */
export function writeVncEventHeader(target: Uint8Array, offset: number, kind: VncEventKind, t: number, length: number): void {
  target[offset] = VNC_EVENT_KIND_BYTE[kind];
  writeU32(target, offset + 1, t);
  writeU32(target, offset + 5, length);
}

/** The magic line and the JSON header line, as the writer puts them at the start of a file. */
export function encodeVncRecordingPreamble(header: VncRecordingHeader): Uint8Array {
  return new TextEncoder().encode(`${VNC_RECORDING_MAGIC}${JSON.stringify(header)}\n`);
}

/**
 * Reads a recording incrementally: push the file's bytes as they come (any chunking), take the events
 * each push completes, and call end() at the end of the file. Event data are views into the pushed
 * chunks when an event lies in one chunk (so chunks must not be reused by the caller), else a copy.
 */
export class VncRecordingParser {
  private parts: Uint8Array[] = [];
  private buffered = 0;
  private parsedHeader: VncRecordingHeader | null = null;
  private previousTime = 0;
  private offset = 0;

  /** `source` names the recording in error messages ("recording.vnc"). */
  constructor(private readonly source = 'the recording') {}

  get header(): VncRecordingHeader | null {
    return this.parsedHeader;
  }

  push(chunk: Uint8Array): VncRecordingEvent[] {
    if (chunk.length > 0) {
      this.parts.push(chunk);
      this.buffered += chunk.length;
    }
    const events: VncRecordingEvent[] = [];
    if (!this.parsedHeader && !this.readHeader()) return events;
    while (this.buffered >= VNC_EVENT_HEADER_BYTES) {
      const head = this.peek(VNC_EVENT_HEADER_BYTES);
      const kind = KIND_OF_BYTE.get(head[0]!);
      if (!kind) throw this.bad(`byte ${this.offset} starts an event of kind 0x${head[0]!.toString(16).padStart(2, '0')}, which is neither 'o' nor 'i'`);
      const t = readU32(head, 1);
      const length = readU32(head, 5);
      if (t < this.previousTime) throw this.bad(`the event at byte ${this.offset} is at ${t} ms, before the one before it (${this.previousTime} ms)`);
      if (length > VNC_MAX_EVENT_BYTES) throw this.bad(`the event at byte ${this.offset} claims ${length} bytes, more than the ${VNC_MAX_EVENT_BYTES} an event may hold`);
      if (this.buffered < VNC_EVENT_HEADER_BYTES + length) break;
      this.take(VNC_EVENT_HEADER_BYTES);
      events.push({ t, kind, data: this.take(length) });
      this.offset += VNC_EVENT_HEADER_BYTES + length;
      this.previousTime = t;
    }
    return events;
  }

  /** At the end of the file: whether it stopped inside an event. A file without a whole header throws. */
  end(): { truncated: boolean } {
    if (!this.parsedHeader) throw this.bad(this.buffered === 0 ? 'the file is empty' : 'the file ends before its header line does');
    return { truncated: this.buffered > 0 };
  }

  private readHeader(): boolean {
    const magicLength = MAGIC_BYTES.length;
    const start = this.peek(Math.min(this.buffered, MAX_HEADER_BYTES + magicLength));
    for (let i = 0; i < Math.min(start.length, magicLength); i++) {
      if (start[i] !== MAGIC_BYTES[i]) throw this.bad('it does not start with "SWITCHBOARD-VNC-RECORDING 1" (not a Switchboard VNC recording, or a version this build does not read)');
    }
    if (start.length < magicLength) return false;
    const newline = start.indexOf(0x0a, magicLength);
    if (newline < 0) {
      if (start.length >= MAX_HEADER_BYTES + magicLength) throw this.bad(`its header line is longer than ${MAX_HEADER_BYTES} bytes`);
      return false;
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(start.subarray(magicLength, newline)));
    } catch {
      throw this.bad('its header line is not JSON');
    }
    const parsed = vncRecordingHeaderSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw this.bad(`its header's ${issue.path.join('.') || 'value'} is invalid (${issue.message})`);
    }
    this.parsedHeader = parsed.data;
    this.take(newline + 1);
    this.offset = newline + 1;
    return true;
  }

  /** The first `bytes` buffered bytes, without consuming them. */
  private peek(bytes: number): Uint8Array {
    const first = this.parts[0];
    if (first && first.length >= bytes) return first.subarray(0, bytes);
    return this.gather(bytes, false);
  }

  private take(bytes: number): Uint8Array {
    const first = this.parts[0];
    if (first && first.length >= bytes) {
      const taken = first.subarray(0, bytes);
      if (first.length === bytes) this.parts.shift();
      else this.parts[0] = first.subarray(bytes);
      this.buffered -= bytes;
      return taken;
    }
    return this.gather(bytes, true);
  }

  /** Copies `bytes` bytes out of the first parts: once per event that spans chunks, so linear overall. */
  private gather(bytes: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(bytes);
    let filled = 0;
    let index = 0;
    while (filled < bytes) {
      const part = this.parts[index]!;
      const n = Math.min(part.length, bytes - filled);
      out.set(part.subarray(0, n), filled);
      filled += n;
      if (consume) {
        if (n === part.length) this.parts.shift();
        else this.parts[0] = part.subarray(n);
      } else index++;
    }
    if (consume) this.buffered -= bytes;
    return out;
  }

  private bad(why: string): ApiError {
    return new ApiError('INVALID_INPUT', `${this.source} is not a valid Switchboard VNC recording: ${why}.`);
  }
}

/** A whole recording already in memory (the window fetched it): every complete event, and whether it was cut off. */
export function parseVncRecording(bytes: Uint8Array, source?: string): VncRecording {
  const parser = new VncRecordingParser(source);
  const events = parser.push(bytes);
  const { truncated } = parser.end();
  return { header: parser.header!, events, truncated };
}

/** The ServerInit message from a header, for a replay to send to its viewer. */
export function vncRecordingServerInit(header: VncRecordingHeader): Uint8Array {
  const binary = atob(header.serverInit);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
