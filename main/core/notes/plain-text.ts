/**
 * A note's Markdown as the words a reader sees, on one line, for search snippets: markers (#, *, _,
 * `, >, list bullets, table pipes, link and image syntax) go, their text stays. Anything else, raw
 * HTML included, stays as the characters it is: a snippet is text and is only ever shown as text.
 * Not a Markdown parser: a snippet is a dozen words, so "close to what the preview shows" is enough.
 */
export function markdownToText(markdown: string): string {
  const lines: string[] = [];
  for (const raw of markdown.split(/\r?\n/)) {
    if (/^\s{0,3}(```|~~~)/.test(raw)) continue;
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(raw)) continue;
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(raw)) continue;
    const line = raw
      .replace(/^\s{0,3}#{1,6}\s+/, '')
      .replace(/\s+#+\s*$/, '')
      .replace(/^(\s*>)+\s?/, '')
      .replace(/^\s*([-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s+)?/, '')
      .replace(/\|/g, ' ');
    lines.push(inline(line));
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

// A link's target may hold one level of parentheses: [x](javascript:alert(1)).
const TARGET = String.raw`\((?:[^()]|\([^()]*\))*\)`;
const IMAGE = new RegExp(String.raw`!\[([^\]]*)\]` + TARGET, 'g');
const LINK = new RegExp(String.raw`\[([^\]]+)\]` + TARGET, 'g');
// A backslash-escaped marker is text: it is set aside before the markers are taken out.
const ESCAPED = /\\([\\`*_{}[\]()#+\-.!|<>~])/g;
const SET_ASIDE = /\uE000(\d+)\uE001/g;

/** Each rule runs only on a line that has its marker: most lines of a note have none. */
function inline(line: string): string {
  const escaped: string[] = [];
  let text = line.includes('\\') ? line.replace(ESCAPED, (_m, ch: string) => `\uE000${escaped.push(ch) - 1}\uE001`) : line;
  if (text.includes('[')) {
    text = text
      .replace(IMAGE, '$1')
      .replace(LINK, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  }
  if (text.includes('<')) text = text.replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1');
  if (text.includes('`')) text = text.replace(/`+([^`]+)`+/g, '$1');
  if (text.includes('**') || text.includes('__')) text = text.replace(/(\*\*|__)(?=\S)([^]*?\S)\1/g, '$2');
  if (text.includes('~~')) text = text.replace(/~~(?=\S)([^]*?\S)~~/g, '$1');
  if (text.includes('*')) text = text.replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}*])/gu, '$1$2');
  if (text.includes('_')) text = text.replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1$2');
  return escaped.length > 0 ? text.replace(SET_ASIDE, (_m, i: string) => escaped[Number(i)] ?? '') : text;
}
