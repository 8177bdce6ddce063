import type { SnippetPart } from '../../../contract/models';

/** Words around the best match, as FTS5's snippet() would pick them (it counts tokens, not characters). */
export const SNIPPET_TOKENS = 16;
const ELLIPSIS = '…';
const TOKEN = /[\p{L}\p{N}]+/gu;

/** What unicode61 with remove_diacritics compares: lower case, accents gone. */
export function foldToken(token: string): string {
  // Most tokens are ASCII; normalize() is what a snippet would spend most of its time on.
  if (!NON_ASCII.test(token)) return token.toLowerCase();
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The window of `SNIPPET_TOKENS` words of `text` with the most different query words (then the most
 * matches, then the earliest), the tokens that start with a query word marked. `terms` are prefixes,
 * folded like foldToken. No match (the title matched): the start of the text.
 */
export function buildSnippet(text: string, terms: readonly string[]): SnippetPart[] {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length, term: matchedTerm(m[0], terms) }));
  if (tokens.length === 0) return text.trim() ? [{ text: text.trim().slice(0, 200), match: false }] : [];
  const first = bestWindowStart(tokens.map((t) => t.term));
  const last = Math.min(tokens.length, first + SNIPPET_TOKENS) - 1;
  const parts: SnippetPart[] = [];
  const push = (part: string, match: boolean) => {
    if (!part) return;
    const previous = parts[parts.length - 1];
    if (previous && previous.match === match) previous.text += part;
    else parts.push({ text: part, match });
  };
  const begin = first === 0 ? 0 : tokens[first]!.start;
  const finish = last === tokens.length - 1 ? text.length : tokens[last]!.end;
  if (first > 0) push(ELLIPSIS, false);
  let at = begin;
  for (let i = first; i <= last; i++) {
    const token = tokens[i]!;
    push(text.slice(at, token.start), false);
    push(text.slice(token.start, token.end), token.term !== -1);
    at = token.end;
  }
  push(text.slice(at, finish), false);
  if (last < tokens.length - 1) push(ELLIPSIS, false);
  return parts;
}

function matchedTerm(token: string, terms: readonly string[]): number {
  const folded = foldToken(token);
  return terms.findIndex((t) => folded.startsWith(t));
}

/** Start a little before the densest run of matches, so the first match has some words before it. */
function bestWindowStart(termOf: number[]): number {
  let best = { start: 0, distinct: 0, hits: 0 };
  // The text's own start first: it wins a tie, so a match near the top is shown from the top.
  for (let i = -1; i < termOf.length; i++) {
    if (i >= 0 && termOf[i] === -1) continue;
    const start = Math.max(0, i - 3);
    const seen = new Set<number>();
    let hits = 0;
    for (let j = start; j < Math.min(termOf.length, start + SNIPPET_TOKENS); j++) {
      if (termOf[j] !== -1) { seen.add(termOf[j]!); hits++; }
    }
    if (seen.size > best.distinct || (seen.size === best.distinct && hits > best.hits)) best = { start, distinct: seen.size, hits };
  }
  return best.start;
}
