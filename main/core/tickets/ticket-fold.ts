import type { Severity, SupportLevel, TicketCause } from '../../../contract/domain/vocabulary';
import { SEVERITIES, SUPPORT_LEVELS, TICKET_CAUSES } from '../../../contract/domain/vocabulary';
import type { Ticket } from '../../../contract/models';

/** A ticket as opened, before any change. */
export interface TicketOpening { reportedAt: string; computedSeverity: Severity; level: SupportLevel }

export interface FoldableEvent { at: string; kind: string; from: string | null; to: string | null; reason: string | null }

export interface FoldedTicket {
  status: Ticket['status']; level: SupportLevel; severity: Severity; severityReason: string | null; cause: TicketCause;
  firstResponseAt: string | null; resolvedAt: string | null; rcaDeliveredAt: string | null;
  rcaWaits: { startedAt: string; endedAt: string | null; reason: string }[];
}

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * A ticket's state from its opening and its events, in order — what every laptop linked to a team store
 * computes for a ticket changed on more than one laptop, so all of them show the same state once they
 * hold the same events. The rules are those of ticketActions; applied in the order they were recorded
 * on one laptop they give exactly what that laptop recorded. Events from two laptops may interleave in
 * ways no single laptop allows: a transition that no longer applies (a second 'resolved', a wait ended
 * that was not running) changes nothing, an escalation never lowers the level, and a time earlier than
 * the time it follows (two laptops' clocks) is taken as that time, so the SLA clocks stay well-formed.
 */
export function foldTicket(opening: TicketOpening, events: readonly FoldableEvent[]): FoldedTicket {
  const t: FoldedTicket = {
    status: 'open', level: opening.level, severity: opening.computedSeverity, severityReason: null, cause: 'unknown',
    firstResponseAt: null, resolvedAt: null, rcaDeliveredAt: null, rcaWaits: [],
  };
  for (const e of events) {
    const at = later(e.at, opening.reportedAt);
    const openWait = t.rcaWaits.find((w) => w.endedAt === null);
    switch (e.kind) {
      case 'first_response':
        t.firstResponseAt ??= at;
        break;
      case 'resolved':
        if (t.status !== 'open') break;
        t.status = 'resolved';
        t.resolvedAt = at;
        t.firstResponseAt ??= at;
        break;
      case 'closed':
        t.status = 'closed';
        break;
      case 'reopened':
        if (t.status === 'open') break;
        t.status = 'open';
        t.resolvedAt = null;
        t.rcaDeliveredAt = null;
        break;
      case 'escalated':
        if (isLevel(e.to) && SUPPORT_LEVELS.indexOf(e.to) > SUPPORT_LEVELS.indexOf(t.level)) t.level = e.to;
        break;
      case 'severity_override':
        if (isSeverity(e.to)) {
          t.severity = e.to;
          t.severityReason = e.to === opening.computedSeverity ? null : e.reason;
        }
        break;
      case 'cause':
        if (isCause(e.to)) t.cause = e.to;
        break;
      case 'rca_wait_started':
        if (!openWait) t.rcaWaits.push({ startedAt: at, endedAt: null, reason: e.reason ?? '' });
        break;
      case 'rca_wait_ended':
        if (openWait) openWait.endedAt = later(at, openWait.startedAt);
        break;
      case 'rca_delivered':
        if (t.resolvedAt && !t.rcaDeliveredAt) t.rcaDeliveredAt = later(at, t.resolvedAt);
        break;
      default:
        break; // 'opened', and kinds a newer Switchboard may add: history only
    }
  }
  return t;
}

/** The level a ticket was opened at: its first escalation says where it started, else it never moved. */
export function openingLevel(current: SupportLevel, events: readonly FoldableEvent[]): SupportLevel {
  const first = events.find((e) => e.kind === 'escalated')?.from;
  return isLevel(first) ? first : current;
}

const oneOf = <T extends string>(values: readonly T[]) => (value: unknown): value is T => (values as readonly unknown[]).includes(value);
const isLevel = oneOf(SUPPORT_LEVELS);
const isSeverity = oneOf(SEVERITIES);
const isCause = oneOf(TICKET_CAUSES);
