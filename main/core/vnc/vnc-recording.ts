import { createHash, type Hash } from 'node:crypto';
import nodeFs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ApiError } from '../../../contract/errors';
import {
  encodeVncRecordingPreamble, VNC_EVENT_HEADER_BYTES, VNC_MAX_EVENT_BYTES, VNC_MAX_EVENT_TIME_MS, VncRecordingParser,
  writeVncEventHeader, type VncEventKind, type VncRecordingEvent, type VncRecordingHeader,
} from '../../../contract/vnc-recording-format';
import { createLogger } from '../logger';
import { abandonRecordingFile, describeFsError, openNewRecordingFile, recordingWriteFailure } from '../recording-file';
import { hashRecordingFile } from '../ssh/recording';

/**
 * A VNC session's recording (docs/recording-format.md): the magic line, a JSON header, then one binary
 * event per relayed server chunk (and per viewer message when input is recorded). Each event is one
 * writev of its 9-byte header and the bytes: measured faster than one write of a concatenated copy for
 * the 4–64 KiB chunks a relay sees, and equal for small ones. A crashed process loses nothing already
 * recorded; fsync happens at close.
 */

/** The fs calls the recorder makes; injectable so tests can make writes fail (ENOSPC and the like). */
export type VncRecorderFs = Pick<typeof nodeFs, 'mkdirSync' | 'openSync' | 'writeSync' | 'writevSync' | 'ftruncateSync' | 'fsyncSync' | 'closeSync' | 'unlinkSync'>;

export interface VncRecorderOptions {
  file: string;
  sessionId: string;
  title?: string;
  width: number;
  height: number;
  /** The desktop name from ServerInit. */
  name: string;
  /** The server's ServerInit message exactly as it came (rfbHandshake's serverInit). */
  serverInit: Buffer;
  /** Viewer → server messages (keys, pointer, clipboard) are recorded only when true. */
  recordInput: boolean;
  /** Milliseconds since the epoch; times are clamped so they never go backwards. */
  now?: () => number;
  fs?: VncRecorderFs;
}

export interface VncRecordingResult {
  file: string;
  sha256: string;
  bytes: number;
  /** False when a write failed: the file holds what was recorded until then. */
  complete: boolean;
}

const log = createLogger('vnc-recording');

export class VncRecorder {
  private readonly hash: Hash = createHash('sha256');
  private readonly listeners: Array<(error: ApiError) => void> = [];
  private bytes = 0;
  private lastTime = 0;
  private closing: Promise<VncRecordingResult> | null = null;
  private failure: ApiError | null = null;
  /** A failed write left part of an event on disk that could not be cut off: hash the file itself at close. */
  private diskDiffers = false;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly fs: VncRecorderFs,
    private readonly now: () => number,
    private readonly start: number,
    private readonly recordInput: boolean,
  ) {}

  static create(options: VncRecorderOptions): VncRecorder {
    const { file, sessionId, width, height, serverInit } = options;
    if (!sessionId) throw new ApiError('INVALID_INPUT', 'A recording needs the session id it belongs to.');
    for (const [name, value] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new ApiError('INVALID_INPUT', `Recording ${name} must be a whole number of pixels from 1 to 65535, not ${value}.`);
    }
    if (serverInit.length < 24) throw new ApiError('INVALID_INPUT', `A ServerInit message is at least 24 bytes; this one has ${serverInit.length}.`);
    const fs = options.fs ?? nodeFs;
    const now = options.now ?? (() => performance.timeOrigin + performance.now());
    const fd = openNewRecordingFile(fs, file);
    const start = now();
    const header: VncRecordingHeader = {
      version: 1, sessionId, title: options.title || `Switchboard session ${sessionId}`, timestamp: Math.floor(start / 1000),
      width, height, name: options.name, serverInit: serverInit.toString('base64'), recordInput: options.recordInput,
    };
    const recorder = new VncRecorder(file, fd, fs, now, start, options.recordInput);
    try {
      recorder.write([Buffer.from(encodeVncRecordingPreamble(header))]);
    } catch (error) {
      throw abandonRecordingFile(fs, fd, file, recorder.failure?.cause ?? error);
    }
    return recorder;
  }

  /** Set once a write failed; every later write throws it. */
  get failed(): ApiError | null { return this.failure; }

  /** Called once, on the first failed write (immediately if it already failed): end the session. */
  onFailure(listener: (error: ApiError) => void): void {
    if (this.failure) listener(this.failure);
    else this.listeners.push(listener);
  }

  /** Server → viewer bytes, exactly as relayed (split only above the format's largest event). */
  output(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += VNC_MAX_EVENT_BYTES) this.event('o', bytes.subarray(at, at + VNC_MAX_EVENT_BYTES));
  }

  /** One whole viewer → server message; nothing is written unless input is recorded. */
  input(message: Uint8Array): void {
    if (!this.recordInput) return;
    if (message.length > VNC_MAX_EVENT_BYTES) throw new ApiError('INVALID_INPUT', `A viewer message of ${message.length} bytes is larger than a recording event may be (${VNC_MAX_EVENT_BYTES}).`);
    this.event('i', message);
  }

  /** fsyncs and closes. Idempotent. After a failed write it still resolves: with what the file holds. */
  close(): Promise<VncRecordingResult> {
    this.closing ??= new Promise<VncRecordingResult>((resolve, reject) => {
      try {
        if (!this.failure) this.guard(() => this.fs.fsyncSync(this.fd), 0);
      } catch {
        // the failure is recorded and reported below, with what was written before it
      } finally {
        try { this.fs.closeSync(this.fd); } catch (error) { log.error(`closing ${this.file}`, error); }
      }
      if (!this.diskDiffers) {
        resolve({ file: this.file, sha256: this.hash.digest('hex'), bytes: this.bytes, complete: this.failure === null });
        return;
      }
      try {
        const onDisk = hashRecordingFile(this.file);
        if (!onDisk) throw new Error('the file is gone');
        resolve({ ...onDisk, complete: false });
      } catch (error) {
        reject(new ApiError('INTERNAL', `Recording ${this.file} failed and could not be read back to hash what it holds (${describeFsError(error)}).`));
      }
    });
    return this.closing;
  }

  private event(kind: VncEventKind, data: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new ApiError('INTERNAL', `Recording ${this.file} is already closed; nothing more can be added to it.`);
    // Times never go backwards (a wall clock may step) and saturate after 49.7 days.
    this.lastTime = Math.min(VNC_MAX_EVENT_TIME_MS, Math.max(this.lastTime, Math.floor(this.now() - this.start)));
    const head = Buffer.allocUnsafe(VNC_EVENT_HEADER_BYTES);
    writeVncEventHeader(head, 0, kind, this.lastTime, data.length);
    this.write([head, data]);
  }

  /** One event (or the preamble), written fully before returning: writev may write less than asked. */
  private write(parts: Uint8Array[]): void {
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    let written = 0;
    this.guard(() => {
      written = this.fs.writevSync(this.fd, parts);
      while (written < total) {
        let skip = written;
        const rest = parts.flatMap((part) => {
          const keep = part.subarray(Math.min(skip, part.length));
          skip = Math.max(0, skip - part.length);
          return keep.length > 0 ? [keep] : [];
        });
        written += this.fs.writeSync(this.fd, rest[0]!);
      }
    }, () => written);
    for (const part of parts) this.hash.update(part);
    this.bytes += total;
  }

  /** Runs a write; on failure marks the recorder failed, cuts off a half-written event, tells the listeners once, throws. */
  private guard(action: () => void, partial: number | (() => number)): void {
    try {
      action();
    } catch (error) {
      const written = typeof partial === 'number' ? partial : partial();
      if (written > 0) {
        try { this.fs.ftruncateSync(this.fd, this.bytes); } catch { this.diskDiffers = true; }
      }
      this.failure = recordingWriteFailure(this.file, error);
      log.error(`write to ${this.file} failed`, describeFsError(error));
      for (const listener of this.listeners.splice(0)) {
        try { listener(this.failure); } catch (listenerError) { log.error('recording failure listener threw', listenerError); }
      }
      throw this.failure;
    }
  }
}

export interface VncRecordingRead {
  header: VncRecordingHeader;
  events: Array<Omit<VncRecordingEvent, 'data'> & { data: Buffer }>;
  truncated: boolean;
}

/** Reads a whole recording for playback. A final event cut off by a crash is left out and reported as `truncated`. */
export function readVncRecording(file: string): VncRecordingRead {
  let bytes: Buffer;
  try {
    bytes = nodeFs.readFileSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  const parser = new VncRecordingParser(file);
  const events = parser.push(bytes).map(asBufferEvent);
  const { truncated } = parser.end();
  return { header: parser.header!, events, truncated };
}

/**
 * Reads a recording of any size in pieces: yields the header first, then each event, then whether the
 * file was cut off. Memory holds one read chunk plus the event being assembled.
 */
export async function* iterateVncRecording(file: string, chunkBytes = 1 << 20): AsyncGenerator<
  { type: 'header'; header: VncRecordingHeader } | { type: 'event'; event: VncRecordingRead['events'][number] } | { type: 'end'; truncated: boolean }
> {
  let handle: nodeFs.promises.FileHandle;
  try {
    handle = await nodeFs.promises.open(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const parser = new VncRecordingParser(file);
    let headerSent = false;
    for (;;) {
      // A fresh buffer per read: events may be views into it.
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const events = parser.push(chunk.subarray(0, bytesRead));
      if (!headerSent && parser.header) {
        headerSent = true;
        yield { type: 'header', header: parser.header };
      }
      for (const event of events) yield { type: 'event', event: asBufferEvent(event) };
    }
    yield { type: 'end', truncated: parser.end().truncated };
  } finally {
    await handle.close();
  }
}

function asBufferEvent(event: VncRecordingEvent): VncRecordingRead['events'][number] {
  const { data } = event;
  return { ...event, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}

function unreadable(file: string, error: unknown): ApiError {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ApiError('NOT_FOUND', `There is no recording at ${file}.`);
  return new ApiError('INTERNAL', `Could not read the recording ${file} (${describeFsError(error)}).`);
}
