import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import type { ReviewRecordingView, ReviewVncSliceView } from '../../../contract/review';
import { isVncRecording } from '../../../contract/vnc-recording-format';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { hashRecordingFile, readAsciicast } from '../ssh/recording';
import type { Identities } from './identity';
import { requireLead } from './review-decisions';
import type { ReviewQueue, ReviewSessionRow } from './review-queue';
import type { TeamRoster } from './team-roster';

export interface ViewingParts { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; queue: ReviewQueue; dataDir: string }

type ViewingResult = 'opened' | 'hash-mismatch' | 'missing';

/** How much of a VNC recording one slice carries. */
const REVIEW_VNC_SLICE = 4 * 1024 * 1024;

/** Whether the file holds a VNC recording (by its first line; an SSH recording is asciicast). */
function isVncFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    return isVncRecording(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens an imported session's recording for the lead: "who watched what". Every opening is one
 * 'viewing' record in the lead's chain — a refused one too (the file is missing or is not the bytes
 * the engineer signed), since an attempt to watch is also something a reviewer did. The file's SHA-256
 * is computed on every opening, never trusted from the import: the data dir's files can change.
 */
export class ReviewViewings {
  constructor(private readonly parts: ViewingParts) {}

  open(id: number): ReviewRecordingView {
    const { lead, row, file, onDisk } = this.checkedFile(id);
    if (isVncFile(file)) throw new ApiError('INVALID_INPUT', `${row.engineer}'s session ${row.session_id} has a VNC recording; it is replayed with review.vncRecording.`);
    const recording = readAsciicast(file);
    const viewing = this.record(lead, row, 'opened', { bytes: onDisk.bytes });
    return { ...recording, sha256Matches: true, viewingSeq: viewing };
  }

  /**
   * An imported VNC recording, in slices for the window's replay. The first slice is the opening: the
   * file is checked against the signed record and the viewing recorded; later slices only read on.
   */
  vncSlice(id: number, offset: number): ReviewVncSliceView {
    const opening = offset === 0;
    const { lead, row, file, onDisk } = opening ? this.checkedFile(id) : { ...this.storedFile(id), lead: null, onDisk: null };
    if (!isVncFile(file)) throw new ApiError('INVALID_INPUT', `${row.engineer}'s session ${row.session_id} has an SSH recording; it is played with review.recording.`);
    const fd = fs.openSync(file, 'r');
    try {
      const total = fs.fstatSync(fd).size;
      const data = Buffer.alloc(Math.max(0, Math.min(REVIEW_VNC_SLICE, total - offset)));
      fs.readSync(fd, data, 0, data.length, offset);
      const viewingSeq = opening ? this.record(lead!, row, 'opened', { bytes: onDisk!.bytes }) : null;
      return { offset, total, data: data.toString('base64'), sha256Matches: opening ? true : null, viewingSeq };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The lead, the session and its imported file, whose SHA-256 is the signed one (a refusal is recorded). */
  private checkedFile(id: number): { lead: string; row: ReviewSessionRow; file: string; onDisk: { sha256: string; bytes: number } } {
    const { row, file, expected } = this.storedFile(id);
    const lead = requireLead(this.parts.identities, this.parts.roster, 'watch imported recordings').email;
    const onDisk = hashRecordingFile(file);
    if (!onDisk) {
      this.record(lead, row, 'missing', { file });
      throw new ApiError('NOT_FOUND', `The recording of ${row.engineer}'s session ${row.session_id} is missing from ${file}. Put the recording back there from a backup or from ${row.engineer} (its SHA-256 must be ${expected}; it is checked at every opening) — importing the same bundle again is refused as a replay. This attempt was recorded.`);
    }
    if (onDisk.sha256 !== expected) {
      this.record(lead, row, 'hash-mismatch', { file, actualSha256: onDisk.sha256, actualBytes: onDisk.bytes });
      throw new ApiError('RECORDING_MISMATCH', `The recording file ${file} is not the one ${row.engineer} signed: its SHA-256 is ${onDisk.sha256}, the signed record says ${expected}. It was changed or replaced after the import; it is not played. This attempt was recorded.`);
    }
    return { lead, row, file, onDisk };
  }

  /** Where the session's imported recording is kept (only a lead may ask). */
  private storedFile(id: number): { row: ReviewSessionRow; file: string; expected: string } {
    const { db, identities, roster, queue } = this.parts;
    requireLead(identities, roster, 'watch imported recordings');
    const row = queue.row(id);
    const expected = row.recording_sha256;
    if (!expected) throw new ApiError('NOT_FOUND', `${row.engineer}'s session ${row.session_id} has no recording.`);
    const stored = db.prepare('SELECT file, bytes FROM imported_recordings WHERE sha256 = ?').get(expected) as { file: string; bytes: number } | undefined;
    if (!stored) throw new ApiError('NOT_FOUND', `The recording of ${row.engineer}'s session ${row.session_id} (SHA-256 ${expected}) did not come with any bundle imported here.`);
    return { row, file: this.insideDataDir(stored.file, row), expected };
  }

  private record(lead: string, row: ReviewSessionRow, result: ViewingResult, extra: Record<string, unknown>): number {
    return this.parts.log.append({
      sessionId: `viewing-${row.session_id}`,
      kind: 'viewing',
      at: nowIso(),
      engineer: lead,
      ticket: row.ticket,
      host: row.host,
      method: row.method,
      summary: `${lead} ${result === 'opened' ? 'watched' : 'tried to watch'} the recording of ${row.engineer}'s session ${row.session_id}${result === 'opened' ? '' : ` (${result})`}`,
      detail: { engineer: row.engineer, engineerKey: row.engineer_key, session: row.session_id, recordingSha256: row.recording_sha256, result, ...extra },
    }).seq;
  }

  /** Imported recordings live in the lead's data dir; a path from the database is never followed out of it. */
  private insideDataDir(file: string, row: ReviewSessionRow): string {
    const root = path.resolve(this.parts.dataDir) + path.sep;
    const resolved = path.resolve(root, file);
    if (!resolved.startsWith(root)) {
      throw new ApiError('INVALID_INPUT', `The recording of ${row.engineer}'s session ${row.session_id} is stored outside this data dir (${resolved}); refusing to read it.`);
    }
    return resolved;
  }
}
