import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestCore as openCore } from '../helpers/core';
import { recordingFile, recordingsDir } from '../../main/core/paths';
import { AsciicastRecorder } from '../../main/core/ssh/recording';
import { databaseFiles } from '../../main/core/store/database';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-modes-');
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const SESSION = '33333333-3333-4333-8333-333333333333';

/** The session log, its WAL and the recordings are evidence and customer data: owner-only, whatever the umask. */
describe.skipIf(process.platform === 'win32')('data dir file modes', () => {
  it('creates the data dir 0700 and the database, its WAL and SHM and each recording 0600', async () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const previous = process.umask(0); // the widest umask: modes must come from the code, not the shell
    try {
      const core = openCore({ dataDir, mode: 'cli' });
      try {
        const recorder = AsciicastRecorder.create({ file: recordingFile(dataDir, SESSION), sessionId: SESSION, width: 80, height: 24, recordInput: false });
        recorder.output('hello\r\n');
        await recorder.close();
        expect(mode(dataDir).toString(8)).toBe('700');
        expect(mode(recordingsDir(dataDir)).toString(8)).toBe('700');
        expect(mode(recordingFile(dataDir, SESSION)).toString(8)).toBe('600');
        const [db, wal, shm] = databaseFiles(dataDir);
        expect(fs.existsSync(wal!) && fs.existsSync(shm!), 'WAL mode keeps -wal and -shm while open').toBe(true);
        for (const file of [db!, wal!, shm!]) expect(`${path.basename(file)} ${mode(file).toString(8)}`).toBe(`${path.basename(file)} 600`);
      } finally {
        await core.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('takes group and other access away from an existing data dir, database, WAL, SHM and recordings at open', async () => {
    const dataDir = tempDir();
    await openCore({ dataDir, mode: 'cli' }).close();
    const [db, wal, shm] = databaseFiles(dataDir);
    // As a copy, a restore or an older version may have left them.
    fs.writeFileSync(wal!, '');
    fs.writeFileSync(shm!, '');
    fs.mkdirSync(recordingsDir(dataDir));
    fs.writeFileSync(recordingFile(dataDir, SESSION), '{"version":2,"width":80,"height":24}\n');
    for (const file of [db!, wal!, shm!, recordingFile(dataDir, SESSION)]) fs.chmodSync(file, 0o644);
    fs.chmodSync(recordingsDir(dataDir), 0o755);
    fs.chmodSync(dataDir, 0o755);

    const core = openCore({ dataDir, mode: 'cli' });
    try {
      const modes = Object.fromEntries([dataDir, recordingsDir(dataDir), db!, wal!, shm!, recordingFile(dataDir, SESSION)]
        .map((file) => [path.relative(dataDir, file) || '.', mode(file).toString(8)]));
      expect(modes).toEqual({
        '.': '700', recordings: '700', 'switchboard.db': '600', 'switchboard.db-wal': '600', 'switchboard.db-shm': '600',
        [`recordings/${SESSION}.cast`]: '600',
      });
    } finally {
      await core.close();
    }
  });
});
