import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../contract/files';
import { panelMemory } from '../../renderer/src/features/files/panel-memory';
import type { TerminalTab } from '../../renderer/src/stores/terminals';

const tab = (sessionId: string): TerminalTab => ({ sessionId, host: 'acd01', ticket: 'MEM-1', siteId: 7, target: 'acd01' });

function transfer(sessionId: string, toEvidence: boolean, state: TransferView['state'], bytes: number): TransferView {
  return {
    transferId: `${sessionId}-${toEvidence}-${state}`, sessionId, direction: 'download', remotePath: '/var/crash/core.1', remoteDisplay: '/var/crash/core.1',
    localName: 'core.1', localPath: null, toEvidence, bytes, total: 100, speed: 0, eta: null, state, reason: null, sha256: null, resumedFrom: null,
    startedAt: '2026-11-30T10:00:00.000Z', endedAt: null,
  };
}

describe('the Files panel remembers downloads cut off in an earlier session', () => {
  it('offers a download to the evidence and one to a folder of the same file each on its own, and forgets each when it completes', () => {
    const before = tab('s1');
    panelMemory.noteTransfers(before, [transfer('s1', false, 'failed', 40), transfer('s1', true, 'failed', 30)]);
    const after = tab('s2');
    expect(panelMemory.interrupted(after).map((t) => [t.toEvidence, t.bytes])).toEqual([[false, 40], [true, 30]]);
    panelMemory.noteTransfers(after, [transfer('s2', true, 'complete', 100)]);
    expect(panelMemory.interrupted(tab('s3')).map((t) => t.toEvidence)).toEqual([false]);
    panelMemory.forget(after, { remotePath: '/var/crash/core.1', toEvidence: false });
    expect(panelMemory.interrupted(tab('s3'))).toEqual([]);
  });
});
