import { describe, expect, it } from 'vitest';
import { foldTicket, openingLevel, type FoldableEvent } from '../../main/core/tickets/ticket-fold';

const opening = { reportedAt: '2026-11-30T10:00:00.000Z', computedSeverity: 'major' as const, level: 'L1' as const };
const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
const e = (minute: number, kind: string, patch: Partial<FoldableEvent> = {}): FoldableEvent => ({ at: at(minute), kind, from: null, to: null, reason: null, ...patch });

/** The fold every laptop applies to a ticket's events in the team store's order; events of two laptops may interleave. */
describe('a ticket folded from its events', () => {
  it.each<[string, FoldableEvent[], Record<string, unknown>]>([
    ['opened only', [e(0, 'opened', { to: 'major' })], { status: 'open', level: 'L1', severity: 'major', cause: 'unknown', firstResponseAt: null }],
    ['a first response; a second one does not move it', [e(5, 'first_response'), e(9, 'first_response')], { firstResponseAt: at(5) }],
    ['resolved twice (two laptops): the first counts', [e(10, 'resolved'), e(12, 'resolved')], { status: 'resolved', resolvedAt: at(10), firstResponseAt: at(10) }],
    ['reopened after resolved', [e(10, 'resolved'), e(20, 'reopened', { from: 'resolved' })], { status: 'open', resolvedAt: null }],
    ['reopened while open changes nothing', [e(20, 'reopened')], { status: 'open' }],
    ['closed', [e(10, 'resolved'), e(30, 'closed', { from: 'resolved' })], { status: 'closed', resolvedAt: at(10) }],
    ['escalations never lower the level', [e(1, 'escalated', { from: 'L1', to: 'L3' }), e(2, 'escalated', { from: 'L1', to: 'L2' })], { level: 'L3' }],
    ['an override with its reason', [e(1, 'severity_override', { to: 'critical', reason: 'CEO' })], { severity: 'critical', severityReason: 'CEO' }],
    ['an override back to the computed severity', [e(1, 'severity_override', { to: 'critical', reason: 'x' }), e(2, 'severity_override', { to: 'major', reason: 'y' })], { severity: 'major', severityReason: null }],
    ['the cause', [e(1, 'cause', { from: 'unknown', to: 'software' })], { cause: 'software' }],
    ['an unknown value is ignored', [e(1, 'cause', { to: 'gremlins' }), e(2, 'escalated', { to: 'L9' })], { cause: 'unknown', level: 'L1' }],
    ['a time before the report (another laptop\'s clock) is taken as the report time', [e(0, 'resolved', { at: '2026-11-30T09:58:00.000Z' })], { resolvedAt: opening.reportedAt }],
    ['the RCA only after a resolution', [e(1, 'rca_delivered'), e(10, 'resolved'), e(40, 'rca_delivered')], { rcaDeliveredAt: at(40) }],
    ['waits: a second start and an end without a start change nothing', [e(11, 'rca_wait_ended'), e(12, 'rca_wait_started', { reason: 'logs' }), e(13, 'rca_wait_started'), e(15, 'rca_wait_ended')],
      { rcaWaits: [{ startedAt: at(12), endedAt: at(15), reason: 'logs' }] }],
    ['kinds a newer Switchboard may add are history only', [e(1, 'merged_into', { to: 'INC-2' })], { status: 'open' }],
  ])('%s', (_what, events, expected) => {
    expect(foldTicket(opening, events)).toMatchObject(expected);
  });

  it('the level a ticket was opened at is where its first escalation started', () => {
    expect(openingLevel('L3', [e(1, 'escalated', { from: 'L2', to: 'L3' })])).toBe('L2');
    expect(openingLevel('L2', [e(1, 'cause', { to: 'software' })])).toBe('L2');
  });
});
