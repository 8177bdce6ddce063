import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import type { ScreenshotImageView, TicketScreenshotView, VncScreenshotView } from '../../../contract/models';
import type { Db } from '../store/database';
import { screenshotsDir } from './screenshots';
import type { VncSessions } from './vnc-sessions';

interface EndedRow { session_id: string; host: string | null; engineer: string; detail: string }

/**
 * The screenshots saved to a ticket from its VNC sessions: those named in an ended session's record (the
 * log is the list; the files are kept by hash), and those of sessions still open. Newest first.
 */
export function ticketScreenshots(db: Db, vnc: VncSessions, ticketId: number): TicketScreenshotView[] {
  const ticket = db.prepare('SELECT ref FROM tickets WHERE id = ?').get(ticketId) as { ref: string } | undefined;
  if (!ticket) throw new ApiError('NOT_FOUND', `No ticket with id ${ticketId}.`);
  const rows = db.prepare(
    `SELECT session_id, host, engineer, detail FROM session_events
     WHERE ticket_id = ? AND kind = 'ended' AND method = 'vnc' AND json_extract(detail, '$.screenshots') IS NOT NULL`,
  ).all(ticketId) as EndedRow[];
  const ended = rows.flatMap((row) => (JSON.parse(row.detail).screenshots as VncScreenshotView[])
    .map((shot) => ({ ...shot, sessionId: row.session_id, host: row.host, engineer: row.engineer, live: false })));
  const live = vnc.screenshotsFor(ticket.ref).map((shot) => ({ ...shot, live: true }));
  return [...ended, ...live].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** A screenshot of the ticket's, read and hashed now: a file that is not what was recorded is said to be so. */
export function ticketScreenshot(db: Db, vnc: VncSessions, dataDir: string, ticketId: number, sha256: string): ScreenshotImageView {
  const shot = ticketScreenshots(db, vnc, ticketId).find((s) => s.sha256 === sha256);
  if (!shot) throw new ApiError('NOT_FOUND', `Ticket ${ticketId} has no screenshot with SHA-256 ${sha256}.`);
  const file = path.join(screenshotsDir(dataDir), `${sha256}.png`);
  let png: Buffer;
  try {
    png = fs.readFileSync(file);
  } catch {
    throw new ApiError('NOT_FOUND', `The screenshot ${sha256.slice(0, 12)}… is missing from ${file}.`);
  }
  return { sha256, png: png.toString('base64'), sha256Matches: createHash('sha256').update(png).digest('hex') === sha256 };
}
