import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import type { ReviewRecordingView } from '../../../contract/review';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { hashRecordingFile, readAsciicast } from '../ssh/recording';
import type { Identities } from './identity';
import { requireLead } from './review-decisions';
import type { ReviewQueue, ReviewSessionRow } from './review-queue';
import type { TeamRoster } from './team-roster';

export interface ViewingParts { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; queue: ReviewQueue; dataDir: string }

type ViewingResult = 'opened' | 'hash-mismatch' | 'missing';

/**
 * Opens an imported session's recording for the lead: "who watched what". Every opening is one
 * 'viewing' record in the lead's chain — a refused one too (the file is missing or is not the bytes
 * the engineer signed), since an attempt to watch is also something a reviewer did. The file's SHA-256
 * is computed on every opening, never trusted from the import: the data dir's files can change.
 */
export class ReviewViewings {
  constructor(private readonly parts: ViewingParts) {}

  open(id: number): ReviewRecordingView {
    const { db, identities, roster, queue } = this.parts;
    const lead = requireLead(identities, roster, 'watch imported recordings');
    const row = queue.row(id);
    const expected = row.recording_sha256;
    if (!expected) throw new ApiError('NOT_FOUND', `${row.engineer}'s session ${row.session_id} has no recording.`);
    const stored = db.prepare('SELECT file, bytes FROM imported_recordings WHERE sha256 = ?').get(expected) as { file: string; bytes: number } | undefined;
    if (!stored) throw new ApiError('NOT_FOUND', `The recording of ${row.engineer}'s session ${row.session_id} (SHA-256 ${expected}) did not come with any bundle imported here.`);
    const file = this.insideDataDir(stored.file, row);
    const onDisk = hashRecordingFile(file);
    if (!onDisk) {
      this.record(lead.email, row, 'missing', { file });
      throw new ApiError('NOT_FOUND', `The recording of ${row.engineer}'s session ${row.session_id} is missing from ${file}. Put the recording back there from a backup or from ${row.engineer} (its SHA-256 must be ${expected}; it is checked at every opening) — importing the same bundle again is refused as a replay. This attempt was recorded.`);
    }
    if (onDisk.sha256 !== expected) {
      this.record(lead.email, row, 'hash-mismatch', { file, actualSha256: onDisk.sha256, actualBytes: onDisk.bytes });
      throw new ApiError('RECORDING_MISMATCH', `The recording file ${file} is not the one ${row.engineer} signed: its SHA-256 is ${onDisk.sha256}, the signed record says ${expected}. It was changed or replaced after the import; it is not played. This attempt was recorded.`);
    }
    const recording = readAsciicast(file);
    const viewing = this.record(lead.email, row, 'opened', { bytes: onDisk.bytes });
    return { ...recording, sha256Matches: true, viewingSeq: viewing };
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
