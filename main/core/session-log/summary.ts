import { ApiError } from '../../../contract/errors';
import type { NewSessionEvent, SessionRecord } from './types';

/**
 * A closing summary is the session engineer's own account of what they did on the customer's
 * systems. Nobody else may write one: a colleague (or a lead) could otherwise put words into the
 * record of a session they did not run. Each summary event names its writer, like every event.
 */
export function summaryEvent(record: SessionRecord, author: string, summary: string): NewSessionEvent {
  if (author !== record.engineer) {
    throw new ApiError(
      'UNAUTHORIZED',
      `Only ${record.engineer}, who ran session ${record.sessionId}, may write its closing summary (you are ${author}); ask them to add it.`,
    );
  }
  return {
    sessionId: record.sessionId, kind: 'summary', engineer: author,
    ticket: record.ticket, ticketId: record.ticketId, site: record.site, siteId: record.siteId, summary,
  };
}
