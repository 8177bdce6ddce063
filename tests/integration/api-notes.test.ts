import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Note, NoteMatch, NoteRevision, Site } from '../../contract/models';
import type { TestCore as Core } from '../helpers/core';
import { call, callError, customerFields, siteFields, useCores } from '../helpers/core';

const newCore = useCores();

async function siteOf(core: Core, customerName: string, siteName: string): Promise<Site> {
  const existing = (await call<{ id: number; name: string }[]>(core, 'customers.list', {})).find((c) => c.name === customerName);
  const customer = existing ?? (await call<Customer>(core, 'customers.create', customerFields(customerName)));
  return call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields(siteName) });
}

const addNote = (core: Core, siteId: number, title: string, body: string) =>
  call<Note>(core, 'notes.create', { siteId, fields: { title, body } });
const search = (core: Core, query: string) => call<NoteMatch[]>(core, 'notes.search', { query });

describe('notes.search', () => {
  let core: Core;
  let mumbai: Site;
  let pune: Site;
  beforeAll(async () => {
    core = newCore();
    mumbai = await siteOf(core, 'Acme Telecom', 'mumbai-prod');
    pune = await siteOf(core, 'Acme Telecom', 'pune-dr');
    // Body-only match first, so insertion order cannot explain the ranking.
    await addNote(core, mumbai.id, 'Nightly jobs', 'The ACP cleanup runs after the failover drill on Sundays, then reports rebuild.');
    await addNote(core, pune.id, 'Failover runbook', 'Switch the dialer to the standby node, then check the voice logger.');
    await addNote(core, mumbai.id, 'Retention', 'ameyodb keeps 90 days, reportsdb 180 days.');
  });

  it('ranks a title match above a body-only match', async () => {
    const matches = await search(core, 'failover');
    expect(matches.map((m) => m.title)).toEqual(['Failover runbook', 'Nightly jobs']);
    expect(matches[0]!.rank).toBeLessThan(matches[1]!.rank);
    expect(matches[0]).toMatchObject({ customer: 'Acme Telecom', site: 'pune-dr', siteId: pune.id });
  });

  it('marks the matched word in the snippet', async () => {
    const [match] = await search(core, 'cleanup');
    expect(match!.title).toBe('Nightly jobs');
    expect(match!.snippet.filter((p) => p.match).map((p) => p.text)).toEqual(['cleanup']);
    expect(match!.snippet.map((p) => p.text).join('')).toContain('ACP cleanup runs');
  });

  it('matches a prefix, any case, with every word required', async () => {
    expect((await search(core, 'RETENT')).map((m) => m.title)).toEqual(['Retention']);
    expect((await search(core, 'failover dialer')).map((m) => m.title)).toEqual(['Failover runbook']);
    expect(await search(core, 'failover nonexistentword')).toEqual([]);
  });

  it.each([['"'], ['NEAR('], ['*'], [':'], ['-'], ['title:failover'], ['fail*over'], ['"failover'], ['a OR b AND NOT c'], ['NEAR(failover dialer, 2)'], ['^failover'], ['(('], ["'; DROP TABLE notes; --"]])(
    'treats FTS syntax as text: %j',
    async (query) => {
      const result = await core.dispatch('notes.search', { query });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(Array.isArray((result as { value: unknown }).value)).toBe(true);
    },
  );

  it('finds words typed next to operators', async () => {
    expect((await search(core, 'failover*')).map((m) => m.title)).toEqual(['Failover runbook', 'Nightly jobs']);
    expect((await search(core, '-dialer')).map((m) => m.title)).toEqual(['Failover runbook']);
    expect((await search(core, '"dialer"')).map((m) => m.title)).toEqual(['Failover runbook']);
  });
});

describe('deleted things never appear in search', () => {
  it('a deleted note, a deleted site, a deleted customer', async () => {
    const core = newCore();
    const a = await siteOf(core, 'Acme Telecom', 'mumbai-prod');
    const b = await siteOf(core, 'Acme Telecom', 'pune-dr');
    const c = await siteOf(core, 'Globex', 'berlin');
    const gone = await addNote(core, a.id, 'Zebra one', 'zebra');
    await addNote(core, a.id, 'Zebra two', 'zebra');
    await addNote(core, b.id, 'Zebra three', 'zebra');
    await addNote(core, c.id, 'Zebra four', 'zebra');
    const titles = async () => (await search(core, 'zebra')).map((m) => m.title).sort();
    expect(await titles()).toEqual(['Zebra four', 'Zebra one', 'Zebra three', 'Zebra two']);
    await call(core, 'notes.delete', { id: gone.id });
    expect(await titles()).toEqual(['Zebra four', 'Zebra three', 'Zebra two']);
    await call(core, 'sites.delete', { id: b.id });
    expect(await titles()).toEqual(['Zebra four', 'Zebra two']);
    await call(core, 'customers.delete', { id: c.customerId });
    expect(await titles()).toEqual(['Zebra two']);
    await call(core, 'trash.restore', { kind: 'note', id: gone.id });
    expect(await titles()).toEqual(['Zebra one', 'Zebra two']);
  });

  it('an edited note is found by its new words, not its old ones', async () => {
    const core = newCore();
    const site = await siteOf(core, 'Acme Telecom', 'mumbai-prod');
    const note = await addNote(core, site.id, 'Gateway', 'old words: walrus');
    await call(core, 'notes.update', { id: note.id, fields: { title: 'Gateway', body: 'new words: narwhal' } });
    expect(await search(core, 'walrus')).toEqual([]);
    expect((await search(core, 'narwhal')).map((m) => m.noteId)).toEqual([note.id]);
  });
});

describe('revisions', () => {
  it('create + 2 updates → 3 revisions newest first; restoring revision 1 adds a 4th', async () => {
    const core = newCore();
    const site = await siteOf(core, 'Acme Telecom', 'mumbai-prod');
    const note = await addNote(core, site.id, 'Runbook', 'version one');
    await call(core, 'notes.update', { id: note.id, fields: { title: 'Runbook', body: 'version two' } });
    await call(core, 'notes.update', { id: note.id, fields: { title: 'Runbook v3', body: 'version three' } });
    await call(core, 'notes.update', { id: note.id, fields: { title: 'Runbook v3', body: 'version three' } }); // unchanged: no revision

    const revisions = await call<NoteRevision[]>(core, 'notes.revisions', { id: note.id });
    expect(revisions.map((r) => [r.number, r.title, r.body])).toEqual([
      [3, 'Runbook v3', 'version three'],
      [2, 'Runbook', 'version two'],
      [1, 'Runbook', 'version one'],
    ]);

    const first = revisions.find((r) => r.number === 1)!;
    const restored = await call<Note>(core, 'notes.restoreRevision', { noteId: note.id, revisionId: first.id });
    expect(restored).toMatchObject({ title: 'Runbook', body: 'version one', revisionCount: 4 });
    const after = await call<NoteRevision[]>(core, 'notes.revisions', { id: note.id });
    expect(after.map((r) => [r.number, r.body])).toEqual([[4, 'version one'], [3, 'version three'], [2, 'version two'], [1, 'version one']]);
  });

  it('a revision of another note → NOT_FOUND', async () => {
    const core = newCore();
    const site = await siteOf(core, 'Acme Telecom', 'mumbai-prod');
    const a = await addNote(core, site.id, 'A', 'a');
    const b = await addNote(core, site.id, 'B', 'b');
    const [revisionOfB] = await call<NoteRevision[]>(core, 'notes.revisions', { id: b.id });
    expect((await callError(core, 'notes.restoreRevision', { noteId: a.id, revisionId: revisionOfB!.id })).code).toBe('NOT_FOUND');
    expect((await call<Note>(core, 'notes.get', { id: a.id })).body).toBe('a');
  });
});

describe('note size', () => {
  it('a body over 256 KiB → INVALID_INPUT mentioning KiB; exactly 256 KiB is fine', async () => {
    const core = newCore();
    const site = await siteOf(core, 'Acme Telecom', 'mumbai-prod');
    const error = await callError(core, 'notes.create', { siteId: site.id, fields: { title: 'Big', body: 'x'.repeat(256 * 1024 + 1) } });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'fields.body', message: expect.stringMatching(/256 KiB/) }] });
    // Bytes, not characters: 'é' is two bytes in UTF-8.
    const multibyte = await callError(core, 'notes.create', { siteId: site.id, fields: { title: 'Big', body: 'é'.repeat(128 * 1024 + 1) } });
    expect(multibyte.code).toBe('INVALID_INPUT');
    await call(core, 'notes.create', { siteId: site.id, fields: { title: 'Max', body: 'x'.repeat(256 * 1024) } });
  });
});
