import type { ParsedInputOf } from '../../../contract/api';
import type { Deleted, Note, NoteMatch, NoteRevision } from '../../../contract/models';
import { softDelete } from '../directory/trash';
import { createNote, getNote, listRevisions, restoreRevision, updateNote } from '../notes/notes';
import { searchNotes } from '../notes/search';
import type { Db } from '../store/database';

/** Markdown notes per site (or host) with every revision kept, and full-text search that works offline. */
export interface NoteService {
  get(id: number): Promise<Note>;
  create(input: ParsedInputOf<'notes.create'>): Promise<Note>;
  update(id: number, fields: ParsedInputOf<'notes.update'>['fields']): Promise<Note>;
  remove(id: number): Promise<Deleted>;
  search(query: string, limit?: number): Promise<NoteMatch[]>;
  revisions(id: number): Promise<NoteRevision[]>;
  restoreRevision(noteId: number, revisionId: number): Promise<Note>;
}

export class SqliteNotes implements NoteService {
  constructor(private readonly db: Db) {}

  async get(id: number): Promise<Note> { return getNote(this.db, id); }
  async create({ siteId, hostId, fields }: ParsedInputOf<'notes.create'>): Promise<Note> { return getNote(this.db, createNote(this.db, siteId, hostId, fields)); }
  async update(id: number, fields: ParsedInputOf<'notes.update'>['fields']): Promise<Note> {
    updateNote(this.db, id, fields);
    return getNote(this.db, id);
  }
  async remove(id: number): Promise<Deleted> { return softDelete(this.db, 'note', id); }
  async search(query: string, limit?: number): Promise<NoteMatch[]> { return searchNotes(this.db, query, limit); }
  async revisions(id: number): Promise<NoteRevision[]> { return listRevisions(this.db, id); }
  async restoreRevision(noteId: number, revisionId: number): Promise<Note> {
    restoreRevision(this.db, noteId, revisionId);
    return getNote(this.db, noteId);
  }
}
