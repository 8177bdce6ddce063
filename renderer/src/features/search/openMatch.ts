import type { NoteMatch } from '../../../../contract/models';
import { navigate } from '../../stores/ui';

export function openMatch(match: NoteMatch): void {
  navigate({ name: 'site', id: match.siteId, tab: 'notes', noteId: match.noteId });
}

export function matchPlace(match: NoteMatch): string {
  return [match.customer, match.site, match.host].filter(Boolean).join(' / ');
}
