import type { NoteMatch, SnippetPart } from '../../../contract/models';
import type { Db } from '../store/database';

const MARK_START = '\u0001';
const MARK_END = '\u0002';

/**
 * Turns what a person types into a safe FTS5 query: every word becomes a quoted prefix term, all
 * required. FTS5 operators typed by the user (NEAR, quotes, colons) are treated as plain text.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.slice(0, 20).map((w) => `"${w}"*`).join(' ');
}

export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  let text = '';
  for (const ch of snippet) {
    if (ch === MARK_START || ch === MARK_END) {
      if (text) parts.push({ text, match });
      text = '';
      match = ch === MARK_START;
    } else {
      text += ch;
    }
  }
  if (text) parts.push({ text, match });
  return parts;
}

/** Ranked by bm25 with a title match worth five body matches; deleted notes, sites and customers never appear. */
export function searchNotes(db: Db, text: string, limit = 50): NoteMatch[] {
  const query = toFtsQuery(text);
  if (!query) return [];
  const rows = db
    .prepare(
      `SELECT n.id AS noteId, c.id AS customerId, c.name AS customer, s.id AS siteId, s.name AS site, h.name AS host, n.title,
              snippet(notes_fts, -1, '${MARK_START}', '${MARK_END}', '…', 16) AS snippet,
              bm25(notes_fts, 5.0, 1.0) AS rank
         FROM notes_fts
         JOIN notes n ON n.id = notes_fts.rowid
         JOIN sites s ON s.id = n.site_id
         JOIN customers c ON c.id = s.customer_id
         LEFT JOIN hosts h ON h.id = n.host_id
        WHERE notes_fts MATCH ?
          AND n.deleted_at IS NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL AND (h.id IS NULL OR h.deleted_at IS NULL)
        ORDER BY rank
        LIMIT ?`,
    )
    .all(query, limit) as (Omit<NoteMatch, 'snippet' | 'host'> & { snippet: string; host: string | null })[];
  return rows.map(({ snippet, host, ...rest }) => ({ ...rest, ...(host ? { host } : {}), snippet: splitSnippet(snippet) }));
}

export function snippetToText(parts: SnippetPart[], mark: (s: string) => string): string {
  return parts.map((p) => (p.match ? mark(p.text) : p.text)).join('');
}
