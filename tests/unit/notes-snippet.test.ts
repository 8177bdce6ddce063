import { describe, expect, it } from 'vitest';
import { markdownToText } from '../../main/core/notes/plain-text';
import { SNIPPET_SOURCE_CHARS, snippetSource, snippetTerms, toFtsQuery } from '../../main/core/notes/search';
import { buildSnippet, SNIPPET_TOKENS } from '../../main/core/notes/snippet';

const text = (parts: { text: string }[]) => parts.map((p) => p.text).join('');
const marked = (parts: { text: string; match: boolean }[]) => parts.filter((p) => p.match).map((p) => p.text);

describe('markdownToText: the words a reader sees', () => {
  it.each([
    ['heading', '## Failover runbook ##', 'Failover runbook'],
    ['emphasis', 'a **bold** and *soft* and __strong__ and _light_ and ~~gone~~ word', 'a bold and soft and strong and light and gone word'],
    ['snake_case and 2*3*4 stay', 'run ameyo_db_check with 2*3*4 workers', 'run ameyo_db_check with 2*3*4 workers'],
    ['link', 'see [the runbook](https://wiki.example.com/x "t") now', 'see the runbook now'],
    ['reference link', 'see [the runbook][1]', 'see the runbook'],
    ['image', '![dial plan](https://x/y.png) below', 'dial plan below'],
    ['autolink', '<https://wiki.example.com/a>', 'https://wiki.example.com/a'],
    ['inline code', 'run `systemctl restart acd` first', 'run systemctl restart acd first'],
    ['fenced code keeps the command', '```bash\ntail -f /var/log/acd.log\n```', 'tail -f /var/log/acd.log'],
    ['lists and tasks', '- one\n* two\n1. three\n- [x] four', 'one two three four'],
    ['quote', '> careful\n>> very', 'careful very'],
    ['table', '| host | role |\n|---|:---:|\n| app01 | acd |', 'host role app01 acd'],
    ['rule', 'above\n\n---\n\nbelow', 'above below'],
    ['escapes', 'a \\*literal\\* star', 'a *literal* star'],
    ['raw HTML stays as its characters', 'x <img src=x onerror=alert(1)> y <b>z</b>', 'x <img src=x onerror=alert(1)> y <b>z</b>'],
  ])('%s', (_what, markdown, expected) => {
    expect(markdownToText(markdown)).toBe(expected);
  });
});

describe('buildSnippet', () => {
  it('marks every token that starts with a query word, folding case and accents', () => {
    const parts = buildSnippet('Le Café ferme; CAFES and cafeteria, not acafe', snippetTerms('cafe'));
    expect(marked(parts)).toEqual(['Café', 'CAFES', 'cafeteria']);
    expect(text(parts)).toBe('Le Café ferme; CAFES and cafeteria, not acafe');
  });

  it('shows the window with the most different query words, with ellipses where text was cut', () => {
    const filler = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    const body = `${filler(30, 'pad')} failover once. ${filler(30, 'mid')} failover of the dialer here. ${filler(30, 'end')}`;
    const parts = buildSnippet(body, snippetTerms('failover dialer'));
    expect(marked(parts)).toEqual(['failover', 'dialer']);
    expect(text(parts)).toBe('…mid27 mid28 mid29 failover of the dialer here. end0 end1 end2 end3 end4 end5 end6 end7…');
    expect(text(parts).match(/[\p{L}\p{N}]+/gu)!.length).toBeLessThanOrEqual(SNIPPET_TOKENS);
  });

  it('starts at the beginning when only the title matched', () => {
    const parts = buildSnippet('Switch the dialer to standby.', snippetTerms('failover'));
    expect(parts).toEqual([{ text: 'Switch the dialer to standby.', match: false }]);
  });

  it('keeps HTML and Markdown that survived as plain characters, never as markup', () => {
    const parts = buildSnippet(markdownToText('**Note**: <img src=x onerror=alert(1)> then [click](javascript:alert(2))'), snippetTerms('onerror'));
    expect(text(parts)).toBe('Note: <img src=x onerror=alert(1)> then click');
    expect(marked(parts)).toEqual(['onerror']);
  });

  it('is empty for an empty body', () => {
    expect(buildSnippet('', ['x'])).toEqual([]);
  });
});

describe('query words', () => {
  it.each([
    ['failover dialer', '"failover"* "dialer"*', ['failover', 'dialer']],
    ['ameyo_db', '"ameyo_db"*', ['ameyo', 'db']],
    ['Crème', '"crème"*', ['creme']],
    ['NEAR(a b)', '"near"* "a"* "b"*', ['near', 'a', 'b']],
    ['"; --', null, []],
  ])('%j', (input, fts, terms) => {
    expect(toFtsQuery(input)).toBe(fts);
    expect(snippetTerms(input)).toEqual(terms);
  });
});

describe('snippetSource: a long note is cleaned up only around its first match', () => {
  const line = (i: number) => `line ${i} of the runbook, nothing to see here`;
  const long = [...Array.from({ length: 3000 }, (_, i) => line(i)), 'then **restart** the dialer', ...Array.from({ length: 3000 }, (_, i) => line(i))].join('\n');

  it('keeps a short note whole', () => {
    expect(snippetSource('short **note**', ['note'])).toBe('short **note**');
  });

  it('cuts a long note to whole lines around the match, marked with ellipses, small enough to clean up per keystroke', () => {
    const source = snippetSource(long, snippetTerms('restart'));
    expect(source.length).toBeLessThan(SNIPPET_SOURCE_CHARS + 200);
    expect(source).toMatch(/^… line \d+ of the runbook/);
    expect(source).toMatch(/nothing to see here …$/);
    const parts = buildSnippet(markdownToText(source), snippetTerms('restart'));
    expect(marked(parts)).toEqual(['restart']);
    expect(text(parts)).toContain('then restart the dialer');
  });

  it('takes the start of a long note whose title matched, and a word start, not the inside of a word', () => {
    expect(snippetSource(long, ['unbook'])).toMatch(/^line 0 of the runbook/);
    expect(snippetSource(long, ['zzz'])).toMatch(/^line 0 of the runbook/);
  });
});
