import { createHash, type Hash } from 'node:crypto';
import nodeFs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ApiError } from '../../../contract/errors';
import { createLogger } from '../logger';
import { abandonRecordingFile, describeFsError, openNewRecordingFile, recordingWriteFailure } from '../recording-file';

/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): line 1 is a JSON header, then one
 * `[seconds_since_start, "o"|"i"|"r", data]` array per line. Each event is one writeSync on an fd, so a
 * crashed process loses nothing already recorded; fsync happens at close (a power cut may lose more).
 */

/** The fs calls the recorder makes; injectable so tests can make writes fail (ENOSPC and the like). */
export type RecorderFs = Pick<typeof nodeFs, 'mkdirSync' | 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'unlinkSync'>;

export interface RecorderOptions {
  file: string;
  sessionId: string;
  width: number;
  height: number;
  /** TERM recorded in the header; default xterm-256color. */
  term?: string;
  title?: string;
  /** Keystrokes are recorded only when true (they may contain passwords typed at prompts). */
  recordInput: boolean;
  /** Milliseconds since the epoch; must not be mocked backwards in production (times are clamped anyway). */
  now?: () => number;
  fs?: RecorderFs;
}

export interface RecordingResult { file: string; sha256: string; bytes: number }
export type AsciicastEvent = [number, string, string];

const log = createLogger('ssh-recording');

export class AsciicastRecorder {
  private readonly decoders = { o: new TextDecoder(), i: new TextDecoder() };
  private readonly hash: Hash = createHash('sha256');
  private readonly listeners: Array<(error: ApiError) => void> = [];
  private bytes = 0;
  private lastTime = 0;
  private closing: Promise<RecordingResult> | null = null;
  private failure: ApiError | null = null;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly fs: RecorderFs,
    private readonly now: () => number,
    private readonly start: number,
    private readonly recordInput: boolean,
  ) {}

  static create(options: RecorderOptions): AsciicastRecorder {
    const { file, sessionId, width, height } = options;
    if (!sessionId) throw new ApiError('INVALID_INPUT', 'A recording needs the session id it belongs to.');
    for (const [name, value] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(value) || value <= 0) throw new ApiError('INVALID_INPUT', `Recording ${name} must be a positive whole number of cells, not ${value}.`);
    }
    const fs = options.fs ?? nodeFs;
    const now = options.now ?? (() => performance.timeOrigin + performance.now());
    const fd = openNewRecordingFile(fs, file);
    const start = now();
    const title = options.title ? (options.title.includes(sessionId) ? options.title : `${options.title} [${sessionId}]`) : `Switchboard session ${sessionId}`;
    const header = {
      version: 2, width, height, timestamp: Math.floor(start / 1000), title,
      env: { TERM: options.term ?? 'xterm-256color' },
      switchboard: { session_id: sessionId, input_recorded: options.recordInput },
    };
    const recorder = new AsciicastRecorder(file, fd, fs, now, start, options.recordInput);
    try {
      recorder.write(JSON.stringify(header));
    } catch (error) {
      throw abandonRecordingFile(fs, fd, file, recorder.failure?.cause ?? error);
    }
    return recorder;
  }

  /** Set once a write failed; every later write throws it. */
  get failed(): Error | null { return this.failure; }

  /** Called once, on the first failed write (immediately if it already failed): end the session. */
  onFailure(listener: (error: ApiError) => void): void {
    if (this.failure) listener(this.failure);
    else this.listeners.push(listener);
  }

  output(data: Buffer | string): void { this.event('o', data); }

  input(data: Buffer | string): void {
    if (this.recordInput) this.event('i', data);
  }

  resize(cols: number, rows: number): void {
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols <= 0 || rows <= 0) {
      throw new ApiError('INVALID_INPUT', `A terminal size must be positive whole numbers, not ${cols}x${rows}.`);
    }
    this.record('r', `${cols}x${rows}`);
  }

  /** Flushes partial UTF-8, fsyncs and closes. Idempotent. Rejects with the failure if a write failed. */
  close(): Promise<RecordingResult> {
    // The executor runs before `closing` is assigned, so the final record() calls below are still allowed.
    this.closing ??= new Promise<RecordingResult>((resolve, reject) => {
      try {
        if (!this.failure) {
          for (const type of ['o', 'i'] as const) {
            const rest = this.decoders[type].decode(); // a dangling partial character becomes U+FFFD
            if (rest) this.record(type, rest);
          }
          this.guard(() => this.fs.fsyncSync(this.fd));
        }
      } catch (error) {
        reject(error as Error);
      } finally {
        try { this.fs.closeSync(this.fd); } catch (error) { log.error(`closing ${this.file}`, error); }
      }
      if (this.failure) reject(this.failure);
      else resolve({ file: this.file, sha256: this.hash.digest('hex'), bytes: this.bytes });
    });
    return this.closing;
  }

  private event(type: 'o' | 'i', data: Buffer | string): void {
    const text = typeof data === 'string' ? data : this.decoders[type].decode(data, { stream: true });
    if (text) this.record(type, text);
  }

  private record(type: 'o' | 'i' | 'r', data: string): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new ApiError('INTERNAL', `Recording ${this.file} is already closed; nothing more can be added to it.`);
    this.lastTime = Math.max(this.lastTime, (this.now() - this.start) / 1000); // times never go backwards
    this.write(JSON.stringify([Number(this.lastTime.toFixed(6)), type, data]));
  }

  /** One line, written fully (writeSync may write less than asked) before returning. */
  private write(line: string): void {
    const buffer = Buffer.from(`${line}\n`, 'utf8');
    this.guard(() => {
      for (let offset = 0; offset < buffer.length;) offset += this.fs.writeSync(this.fd, buffer, offset, buffer.length - offset);
    });
    this.hash.update(buffer);
    this.bytes += buffer.length;
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.failure = recordingWriteFailure(this.file, error);
      log.error(`write to ${this.file} failed`, describeFsError(error));
      for (const listener of this.listeners.splice(0)) {
        try { listener(this.failure); } catch (listenerError) { log.error('recording failure listener threw', listenerError); }
      }
      throw this.failure;
    }
  }
}

/**
 * The SHA-256 and size of a recording exactly as it is on disk, or null when there is none: for a
 * recording its process never closed (a crash), whose hash nobody computed while writing it.
 */
export function hashRecordingFile(file: string): RecordingResult | null {
  let fd: number;
  try {
    fd = nodeFs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ApiError('INTERNAL', `Could not read the recording ${file} (${describeFsError(error)}) to hash it.`);
  }
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1 << 20);
    let bytes = 0;
    for (let read; (read = nodeFs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
      hash.update(chunk.subarray(0, read));
      bytes += read;
    }
    return { file, sha256: hash.digest('hex'), bytes };
  } finally {
    nodeFs.closeSync(fd);
  }
}

/**
 * Reads and validates a recording for playback. A final line cut off by a crash (no newline, not JSON)
 * is dropped and reported as `truncated`; anything else malformed throws INVALID_INPUT.
 */
export function readAsciicast(file: string): { header: Record<string, unknown>; events: AsciicastEvent[]; truncated: boolean } {
  const text = nodeFs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const bad = (line: number, why: string) => new ApiError('INVALID_INPUT', `${file} line ${line} is not a valid asciicast v2 recording: ${why}.`);
  let truncated = false;
  if (last !== '') {
    try { JSON.parse(last); lines.push(last); } catch { truncated = true; }
  }
  const parse = (index: number): unknown => {
    try { return JSON.parse(lines[index] ?? ''); } catch { throw bad(index + 1, 'not JSON'); }
  };
  if (lines.length === 0) throw bad(1, 'the file has no header');
  const header = parse(0);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad(1, 'the header is not an object');
  const h = header as Record<string, unknown>;
  if (h.version !== 2) throw bad(1, `version is ${JSON.stringify(h.version)}, expected 2`);
  for (const key of ['width', 'height']) {
    if (!Number.isInteger(h[key]) || (h[key] as number) <= 0) throw bad(1, `${key} must be a positive integer`);
  }
  const events: AsciicastEvent[] = [];
  let previous = 0;
  for (let i = 1; i < lines.length; i++) {
    const event = parse(i);
    if (!Array.isArray(event) || event.length !== 3) throw bad(i + 1, 'an event must be [time, type, data]');
    const [time, type, data] = event as unknown[];
    if (typeof time !== 'number' || !Number.isFinite(time) || time < previous) throw bad(i + 1, 'time must be a number, never going backwards');
    if (typeof type !== 'string' || type.length !== 1 || typeof data !== 'string') throw bad(i + 1, 'type and data must be strings');
    if (type === 'r' && !/^\d+x\d+$/.test(data)) throw bad(i + 1, `resize "${data}" is not COLSxROWS`);
    previous = time;
    events.push([time, type, data]);
  }
  return { header: h, events, truncated };
}
