import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Note, NoteMatch, Site } from '../../contract/models';
import { NEXT_POSITION_SQL } from '../../main/core/notes/notes';
import { NEWEST_SQL, RANKED_SQL, searchNotes } from '../../main/core/notes/search';
import { DATABASE_FILE, openDatabase, type Db } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import type { TestCore } from '../helpers/core';
import { call, customerFields, siteFields, useCores } from '../helpers/core';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * Notes search at 100k notes (issue 13): what keeps it fast is tested as behaviour and as query plans,
 * never as timings — bench/notes-search.mjs measures the time.
 */
const newCore = useCores();
const tempDir = useTempDirs('switchboard-notes-search-');
const plan = (db: Db | Database.Database, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');

async function siteWithNotes(core: TestCore, name: string, notes: [string, string][]): Promise<Site> {
  const customer = await call<Customer>(core, 'customers.create', customerFields(`${name} customer`));
  const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields(name) });
  for (const [title, body] of notes) await call<Note>(core, 'notes.create', { siteId: site.id, fields: { title, body } });
  return site;
}

describe('ranking without sorting every match', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = newCore();
    // Oldest first: the best match (the word in its title) is the oldest of five.
    await siteWithNotes(core, 'ranking', [
      ['Quokka migration', 'how the quokka cluster moved'],
      ['Weekly', 'quokka checked'],
      ['Monthly', 'quokka rotated'],
      ['Yearly', 'quokka archived'],
      ['Daily', 'quokka restarted'],
    ]);
  });

  it('ranks every match by bm25 when there are fewer than the window', () => {
    expect(searchNotes(core.db, 'quokka').map((m) => m.title)[0]).toBe('Quokka migration');
  });

  it('ranks only the newest window of matches of a common word', () => {
    const titles = searchNotes(core.db, 'quokka', 50, 3).map((m) => m.title);
    expect(titles).toHaveLength(3);
    expect(titles).not.toContain('Quokka migration');
    expect(titles.sort()).toEqual(['Daily', 'Monthly', 'Yearly']);
  });

  it('lets FTS5 give the matches newest first, so the window stops early, and sorts only the window', () => {
    const detail = plan(core.db, RANKED_SQL, { query: '"quo"*', window: 1000, limit: 50 });
    // FTS5 takes the ORDER BY rowid DESC itself (idxNum 192 = FTS5_BI_ORDER_ROWID | FTS5_BI_ORDER_DESC):
    // no sorter over the matches, and the LIMIT stops reading them.
    expect(detail).toMatch(/SCAN notes_fts VIRTUAL TABLE INDEX 192:/);
    expect(detail).toMatch(/SEARCH n USING INTEGER PRIMARY KEY/);
    expect(detail.match(/USE TEMP B-TREE FOR ORDER BY/g) ?? []).toHaveLength(1);
  });
});

describe('one or two letters: newest first, not ranked', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = newCore();
    await siteWithNotes(core, 'newest', [['Quota', 'qa qa qa qa quorum'], ['Other', 'nothing'], ['Queue', 'one q word'], ['Quiet', 'q']]);
  });

  it.each([
    ['q', ['Quiet', 'Queue', 'Quota']],
    ['qu', ['Quiet', 'Queue', 'Quota']],
    ['q o', ['Queue']],
  ])('%j lists %j', (query, titles) => {
    const matches = searchNotes(core.db, query);
    expect(matches.map((m) => m.title)).toEqual(titles);
    expect(matches.every((m) => m.rank === 0)).toBe(true);
  });

  it('ranks as soon as one word has three letters', () => {
    const matches = searchNotes(core.db, 'quo');
    expect(matches.map((m) => m.title)).toEqual(['Quota']);
    expect(matches[0]!.rank).toBeLessThan(0);
  });

  it('walks the doclists newest first and stops at the page: no sort, no count of every match', () => {
    const detail = plan(core.db, NEWEST_SQL, { query: '"q"*', limit: 50 });
    expect(detail).toMatch(/^SCAN notes_fts VIRTUAL TABLE INDEX 192:/);
    expect(detail).not.toMatch(/TEMP B-TREE|CO-ROUTINE/);
  });
});

describe('prefixes', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = newCore();
    await siteWithNotes(core, 'prefixes', [['Restart', 'Restart the reportsdb after the rotation'], ['Café notes', 'déjà vu on the résumé']]);
  });

  it('keeps prefix indexes for 1, 2 and 3 characters on notes_fts', () => {
    const sql = core.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'notes_fts'").pluck().get() as string;
    expect(sql).toMatch(/prefix\s*=\s*'1 2 3'/);
  });

  it.each([
    ['r', ['Restart', 'Café notes']],
    ['re', ['Restart', 'Café notes']],
    ['rep', ['Restart']],
    ['repo', ['Restart']],
    ['cafe', ['Café notes']],
    ['d v', ['Café notes']],
    ['rés', ['Restart', 'Café notes']],
    ['x', []],
  ])('%j finds %j', (query, titles) => {
    expect(searchNotes(core.db, query).map((m) => m.title).sort()).toEqual([...titles].sort());
  });
});

describe('snippets are text', () => {
  it('shows a note with Markdown and HTML as the words it contains, with no markup', async () => {
    const core = newCore();
    await siteWithNotes(core, 'snippets', [['Dialer', '## Failover\n\n**Switch** the [dialer](https://wiki.example.com/d) to standby: `acdctl failover` <img src=x onerror=alert(1)>']]);
    const [match] = await call<NoteMatch[]>(core, 'notes.search', { query: 'onerror' });
    const text = match!.snippet.map((p) => p.text).join('');
    expect(text).toBe('Failover Switch the dialer to standby: acdctl failover <img src=x onerror=alert(1)>');
    expect(match!.snippet.filter((p) => p.match).map((p) => p.text)).toEqual(['onerror']);
    const dialer = await call<NoteMatch[]>(core, 'notes.search', { query: 'failover' });
    expect(dialer[0]!.snippet.filter((p) => p.match).map((p) => p.text)).toEqual(['Failover', 'failover']);
  });
});

describe('creating a note costs the same on any site', () => {
  it('finds the next position in one index entry, not by reading every note of the site', async () => {
    const core = newCore();
    const detail = plan(core.db, NEXT_POSITION_SQL, 1);
    expect(detail).toMatch(/SEARCH notes USING COVERING INDEX notes_bySitePosition \(site_id=\?\)/);
  });

  it('still puts a new note after the last one', async () => {
    const core = newCore();
    const site = await siteWithNotes(core, 'positions', [['one', 'a'], ['two', 'b'], ['three', 'c']]);
    const positions = core.db.prepare('SELECT position FROM notes WHERE site_id = ? ORDER BY id').pluck().all(site.id);
    expect(positions).toEqual([0, 1, 2]);
  });
});

const open: Database.Database[] = [];
afterEach(() => { for (const db of open.splice(0)) if (db.open) db.close(); });

describe('migration 19 on a data dir with notes', () => {
  it('rebuilds notes_fts with the prefix indexes and keeps it in step with notes', () => {
    const dir = tempDir();
    const raw = new Database(path.join(dir, DATABASE_FILE));
    open.push(raw);
    migrate(raw, MIGRATIONS, 18);
    raw.pragma('foreign_keys = OFF');
    const at = '2026-11-01T00:00:00.000Z';
    raw.prepare('INSERT INTO notes (id, site_id, title, body, created_at, updated_at) VALUES (1, 1, ?, ?, ?, ?)').run('Old note', 'written before 19', at, at);
    raw.close();
    const db = openDatabase(dir);
    open.push(db);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'notes_fts'").pluck().get()).toMatch(/prefix\s*=\s*'1 2 3'/);
    const ids = (q: string) => db.prepare("SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?").pluck().all(q);
    expect(ids('"w"*')).toEqual([1]);
    db.prepare("UPDATE notes SET body = 'rewritten' WHERE id = 1").run();
    expect(ids('"w"*')).toEqual([]);
    expect(ids('"rew"*')).toEqual([1]);
    db.prepare('DELETE FROM notes WHERE id = 1').run();
    expect(ids('"o"*')).toEqual([]);
  });
});
