import { describe, expect, it } from 'vitest';
import type { SessionRecordView } from '../../contract/models';
import { fieldDiffs, recordLine } from '../../renderer/src/features/log/record-line';

const record = (over: Partial<SessionRecordView>): SessionRecordView => ({
  kind: 'policy-change', seq: 9, sessionId: 'x', engineer: 'asha', ticket: null, ticketId: null, site: 'Acme/Pune', siteId: 1, host: 'pbx1', method: null,
  target: null, address: null, decision: null, reasons: [], startedAt: '2026-11-25T10:00:00Z', endedAt: '2026-11-25T10:00:00Z', outcome: null,
  bytesIn: null, bytesOut: null, detail: {}, summary: null, summaryBy: null, ...over,
});

describe('recordLine', () => {
  it.each<[string, Partial<SessionRecordView>, string]>([
    ['an allow-list widened', { detail: { entity: 'host', change: 'changed', path: 'Acme/Pune/pbx1', fields: ['allow'], before: { allow: ['10.0.0.0/24'] }, after: { allow: ['10.0.0.0/24', '10.0.1.5'] } } },
      'Acme/Pune · host pbx1 · allow-list 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5'],
    ['two fields of a host', { detail: { entity: 'host', change: 'changed', fields: ['address', 'ssh'], before: { address: '10.0.0.5', ssh: null }, after: { address: '10.0.0.6', ssh: { port: 22, user: 'ops' } } } },
      'Acme/Pune · host pbx1 · address 10.0.0.5 → 10.0.0.6; SSH none → port=22 user=ops'],
    ['a site method approved', { host: null, detail: { entity: 'site', change: 'changed', fields: ['approvedMethods'], before: { approvedMethods: ['ssh'] }, after: { approvedMethods: ['ssh', 'vnc'] } } },
      'site Acme/Pune · approved methods ssh → ssh, vnc'],
    ['a host added', { detail: { entity: 'host', change: 'added', fields: ['name'], before: null, after: { name: 'pbx1' } } }, 'Acme/Pune · host pbx1 · added'],
    ['a customer removed', { site: 'Acme', host: null, detail: { entity: 'customer', change: 'removed', path: 'Acme' } }, 'customer Acme · removed'],
    ['input recording switched on', { host: null, detail: { entity: 'site', change: 'changed', fields: ['recordInput'], before: { recordInput: 0 }, after: { recordInput: 1 } } },
      'site Acme/Pune · input recording off → on'],
    ['file transfer approved in a folder', { host: null, detail: { entity: 'site', change: 'changed', fields: ['fileTransfer', 'fileFolders'], before: { fileTransfer: 'off', fileFolders: [] }, after: { fileTransfer: 'download', fileFolders: ['/var/log/ameyo'] } } },
      'site Acme/Pune · file transfer off → download only; file-transfer folders none → /var/log/ameyo'],
    ['an approval step (its description)', { kind: 'approval', description: 'Exception approval imported', detail: { step: 'import' } }, 'Exception approval imported'],
  ])('%s', (_what, over, line) => {
    expect(recordLine(record(over))).toBe(line);
  });
});

describe('fieldDiffs', () => {
  it('names the items a list gained and lost; a single value has none', () => {
    const diffs = fieldDiffs({ fields: ['allow', 'address'], before: { allow: ['10.0.0.0/24', '10.0.2.0/24'], address: 'a' }, after: { allow: ['10.0.0.0/24', '10.0.1.5'], address: 'b' } });
    expect(diffs).toEqual([
      { field: 'allow', label: 'allow-list', before: ['10.0.0.0/24', '10.0.2.0/24'], after: ['10.0.0.0/24', '10.0.1.5'], added: ['10.0.1.5'], removed: ['10.0.2.0/24'] },
      { field: 'address', label: 'address', before: 'a', after: 'b' },
    ]);
  });

  it('treats a list that appears or disappears as all added or all removed', () => {
    expect(fieldDiffs({ fields: ['allow'], before: null, after: { allow: ['10.0.0.0/24'] } })[0]).toMatchObject({ added: ['10.0.0.0/24'], removed: [] });
  });
});
