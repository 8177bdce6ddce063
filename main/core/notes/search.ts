import type { NoteMatch, SnippetPart } from '../../../contract/models';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';
import { markdownToText } from './plain-text';
import { buildSnippet, foldToken } from './snippet';

/**
 * How many of a query's matches are ranked, newest first. bm25 over every match of a common word or
 * a one-letter prefix (most of 100k notes) costs ~100 ms; over the newest 1,000 a few ms. A query
 * with fewer matches (a rare word, two words) is ranked whole, so only a word in more than 1,000
 * notes trades the best-scoring old note for speed.
 */
export const RANK_WINDOW = 1000;

/**
 * Words shorter than this (what someone has typed after one or two keystrokes) are not ranked: they
 * start most words of most notes, so bm25 would have to count them all and would still say little.
 * A query made only of such words lists its matches newest first.
 */
export const MIN_RANKED_WORD = 3;

/**
 * Turns what a person types into a safe FTS5 query: every word becomes a quoted prefix term, all
 * required. FTS5 operators typed by the user (NEAR, quotes, colons) are treated as plain text.
 */
export function toFtsQuery(text: string): string | null {
  return searchPlan(text)?.query ?? null;
}

function queryWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 20);
}

/** The prefixes a snippet marks: the tokens FTS5 makes of each query word ("foo_bar" is foo, bar). */
export function snippetTerms(text: string): string[] {
  return [...new Set(queryWords(text).flatMap((w) => w.split('_')).filter(Boolean).map(foldToken))];
}

const PAGE = `n.id AS noteId, c.id AS customerId, c.name AS customer, s.id AS siteId, s.name AS site, h.name AS host, n.title, n.body`;
const PLACE = `
    JOIN sites s ON s.id = n.site_id
    JOIN customers c ON c.id = s.customer_id
    LEFT JOIN hosts h ON h.id = n.host_id`;
const VISIBLE = 'n.deleted_at IS NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL AND (h.id IS NULL OR h.deleted_at IS NULL)';

/**
 * The ranking query: bm25 (a title match worth five body matches) over the newest RANK_WINDOW matches,
 * computed inside FTS5; only the page that is returned is joined to its site and customer. Deleted
 * notes, sites, customers and hosts never appear.
 */
export const RANKED_SQL = `
  WITH ranked AS (
    SELECT rowid AS id, bm25(notes_fts, 5.0, 1.0) AS rank FROM notes_fts WHERE notes_fts MATCH :query ORDER BY rowid DESC LIMIT :window
  )
  SELECT ${PAGE}, ranked.rank
    FROM ranked
    JOIN notes n ON n.id = ranked.id ${PLACE}
   WHERE ${VISIBLE}
   ORDER BY ranked.rank, n.id DESC
   LIMIT :limit`;

/** Newest first, for words shorter than MIN_RANKED_WORD: FTS5 walks its doclists backwards and stops at the page. */
export const NEWEST_SQL = `
  SELECT ${PAGE}, 0.0 AS rank
    FROM notes_fts
    JOIN notes n ON n.id = notes_fts.rowid ${PLACE}
   WHERE notes_fts MATCH :query AND ${VISIBLE}
   ORDER BY notes_fts.rowid DESC
   LIMIT :limit`;

/** Which query a search runs, and its FTS5 text (the benchmark runs the same in the sqlite3 shell). */
export function searchPlan(text: string): { ranked: boolean; sql: string; query: string } | null {
  const words = queryWords(text);
  if (words.length === 0) return null;
  const ranked = words.some((w) => [...w].length >= MIN_RANKED_WORD);
  return { ranked, sql: ranked ? RANKED_SQL : NEWEST_SQL, query: words.map((w) => `"${w}"*`).join(' ') };
}

// Prepared once per database: each keystroke runs one.
const statements = new WeakMap<Db, { ranked: Statement; newest: Statement }>();
function prepared(db: Db): { ranked: Statement; newest: Statement } {
  let found = statements.get(db);
  if (!found) statements.set(db, (found = { ranked: db.prepare(RANKED_SQL), newest: db.prepare(NEWEST_SQL) }));
  return found;
}

/**
 * Snippets are made for the returned page only, from the note's text without its Markdown (see
 * markdownToText), so they read as the preview does and carry no markup.
 */
export function searchNotes(db: Db, text: string, limit = 50, window = RANK_WINDOW): NoteMatch[] {
  const plan = searchPlan(text);
  if (!plan) return [];
  const statement = plan.ranked ? prepared(db).ranked : prepared(db).newest;
  const rows = (plan.ranked ? statement.all({ query: plan.query, window, limit }) : statement.all({ query: plan.query, limit })) as
    (Omit<NoteMatch, 'snippet' | 'host'> & { body: string; host: string | null })[];
  const terms = snippetTerms(text);
  return rows.map(({ body, host, ...rest }) => ({ ...rest, ...(host ? { host } : {}), snippet: buildSnippet(markdownToText(snippetSource(body, terms)), terms) }));
}

/** Notes up to this long are made into a snippet whole; a longer one (up to 256 KiB) only around its first match. */
export const SNIPPET_SOURCE_CHARS = 4096;

/**
 * The lines of a long note around the first word that starts with a query word (or its start, when
 * only the title matched), "…" where lines were left out: a snippet shows 16 words, and a page of 50
 * notes of 256 KiB must not cost 12 MB of Markdown clean-up per keystroke.
 */
export function snippetSource(body: string, terms: readonly string[]): string {
  if (body.length <= SNIPPET_SOURCE_CHARS) return body;
  const lower = body.toLowerCase();
  const found = terms.map((t) => firstWordStart(lower, t)).filter((i) => i !== -1);
  const at = found.length > 0 ? Math.min(...found) : 0;
  const lineStart = body.lastIndexOf('\n', Math.max(0, at - SNIPPET_SOURCE_CHARS / 4)) + 1;
  const lineEnd = body.indexOf('\n', Math.min(body.length, at + SNIPPET_SOURCE_CHARS / 2));
  const end = lineEnd === -1 ? body.length : lineEnd;
  return `${lineStart > 0 ? '… ' : ''}${body.slice(lineStart, end)}${end < body.length ? ' …' : ''}`;
}

function firstWordStart(text: string, term: string): number {
  for (let i = text.indexOf(term); i !== -1; i = text.indexOf(term, i + 1)) {
    if (i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1]!)) return i;
  }
  return -1;
}

export function snippetToText(parts: SnippetPart[], mark: (s: string) => string): string {
  return parts.map((p) => (p.match ? mark(p.text) : p.text)).join('');
}
