import fs from 'node:fs';
import path from 'node:path';
import * as keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVncRecording } from '../../contract/vnc-recording-format';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import { VncRecorder } from '../../main/core/vnc/vnc-recording';
import { call, callError, useCores, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/temp-dir';
import { becomeLead, seedEngineer, seedSessions } from '../helpers/review-seed';

const newCore = useCores();
const stores = new Set<string>();
afterAll(async () => {
  const all = await keytar.findCredentials(KEYCHAIN_SERVICE);
  for (const { account } of all) if ([...stores].some((id) => account.startsWith(`${id}/`))) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
});

const asha = seedEngineer('Asha Rao', 'asha@example.com');

/** A small real VNC recording: a ServerInit for 4×2 and two chunks of server bytes. */
async function vncRecording(): Promise<Buffer> {
  const serverInit = Buffer.alloc(24 + 4);
  serverInit.writeUInt16BE(4, 0);
  serverInit.writeUInt16BE(2, 2);
  serverInit.writeUInt32BE(4, 20);
  serverInit.write('desk', 24);
  const file = path.join(makeTempDir('switchboard-review-vnc-'), 'r.vncrec');
  const recorder = VncRecorder.create({ file, sessionId: 's-1', title: 'desk01', width: 4, height: 2, name: 'desk', serverInit, recordInput: false });
  recorder.output(Buffer.from('first update'));
  recorder.output(Buffer.from('second update'));
  await recorder.close();
  return fs.readFileSync(file);
}

let lead: TestCore;
let id = 0;
let bytes: Buffer;

beforeAll(async () => {
  lead = newCore();
  stores.add(storeId(lead.db));
  await becomeLead(lead, [asha]);
  bytes = await vncRecording();
  [id] = seedSessions(lead, [{ engineer: asha, site: 'Globex/Pune', method: 'vnc', ticket: 'INC-7', startedAt: new Date().toISOString(), recording: bytes }]) as [number];
});

const viewings = () => lead.db.prepare("SELECT detail FROM session_events WHERE kind = 'viewing' ORDER BY seq").pluck().all().map((d) => JSON.parse(d as string) as Record<string, unknown>);

describe('a lead replays an imported VNC recording', () => {
  it('in slices: the first is the opening, checked against the signed record and recorded as a viewing', async () => {
    const first = await call<{ offset: number; total: number; data: string; sha256Matches: boolean | null; viewingSeq: number | null }>(lead, 'review.vncRecording', { id, offset: 0 });
    expect(first).toMatchObject({ offset: 0, total: bytes.length, sha256Matches: true });
    expect(Buffer.from(first.data, 'base64')).toEqual(bytes);
    expect(viewings().at(-1)).toMatchObject({ engineer: 'asha@example.com', result: 'opened', bytes: bytes.length });
    const recording = parseVncRecording(Buffer.from(first.data, 'base64'));
    expect(recording.events.map((e) => Buffer.from(e.data).toString())).toEqual(['first update', 'second update']);
    const later = await call<{ viewingSeq: number | null; sha256Matches: boolean | null }>(lead, 'review.vncRecording', { id, offset: 5 });
    expect(later).toMatchObject({ viewingSeq: null, sha256Matches: null });
    expect(viewings()).toHaveLength(1);
  });

  it('the SSH player refuses it by name', async () => {
    expect((await callError(lead, 'review.recording', { id })).message).toMatch(/VNC recording; it is replayed with review\.vncRecording/);
  });

  it('refuses a recording whose bytes changed after the import, and records the attempt', async () => {
    const file = lead.db.prepare('SELECT file FROM imported_recordings').pluck().get() as string;
    const original = fs.readFileSync(file);
    const changed = Buffer.from(original);
    changed[changed.length - 1]! ^= 1;
    fs.writeFileSync(file, changed);
    try {
      const error = await callError(lead, 'review.vncRecording', { id, offset: 0 });
      expect(error.code).toBe('RECORDING_MISMATCH');
      expect(viewings().at(-1)).toMatchObject({ result: 'hash-mismatch' });
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
