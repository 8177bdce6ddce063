import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFolder } from '../../main/core/files/folder-transfers';
import { localFileChunks } from '../../main/core/files/local-file-source';
import { evidenceDir } from '../../main/core/files/evidence-files';
import type { SshSession } from '../../main/core/sessions/ssh-session';
import { openTicket } from '../../main/core/tickets/tickets';
import type { FolderDownloadView, RemoteListingView, TransferView } from '../../contract/files';
import { call, callError, useCores, type TestCore } from '../helpers/core';
import { sshdUnavailable, startSshd, TEST_USER, type TestSshd } from '../helpers/sshd';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();
/** A macrotask's pause: polling through the contract alone resolves in microtasks and would starve the SFTP socket. */
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  try {
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

const uid = (): number => Number(execFileSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).trim());
const gid = (): number => Number(execFileSync('id', ['-g', TEST_USER], { encoding: 'utf8' }).trim());

/**
 * SFTP transfers against a real OpenSSH sshd (its internal-sftp), on the SSH session's own connection:
 * every transfer decided by the site's file-transfer setting before a byte moves, on the path asked for
 * and on the server's realpath, and recorded as a 'transfer' event of its session.
 */
describe.skipIf(unavailable).sequential(`SFTP transfers${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let core: TestCore;
  let remote: string;
  let local: string;
  const credential = `sftp-sbtest-${process.pid}`;
  const sessions: SshSession[] = [];
  const siteIds: Record<string, number> = {};

  /** A file on the sshd side, owned by the login, with `content`. */
  function remoteFile(rel: string, content: Buffer | string): string {
    const file = path.join(remote, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    fs.chownSync(file, uid(), gid());
    return file;
  }

  async function open(site: 'both' | 'download' | 'off', ticket = `FILES-${site}`): Promise<SshSession> {
    const { decision, session } = await core.openSsh({ siteId: siteIds[site]!, ticket, target: `${site}01` }, { confirmHostKey: async () => false });
    expect(decision.allowed, decision.reasons.join(' ')).toBe(true);
    sessions.push(session!);
    return session!;
  }

  const transferEvents = (sessionId: string) => core.sessionLog.get(sessionId).events.filter((e) => e.kind === 'transfer');

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    core = cores({ engineer: 'files-tester' });
    remote = makeTempDir('sb-sftp-remote-');
    fs.chmodSync(remote, 0o755);
    fs.chownSync(remote, uid(), gid());
    for (const dir of ['allowed', 'outside', 'allowed/up']) {
      fs.mkdirSync(path.join(remote, dir), { recursive: true });
      fs.chownSync(path.join(remote, dir), uid(), gid());
    }
    local = makeTempDir('sb-sftp-local-');
    const host = (name: string) => ({ name, address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } });
    const site = (name: string, files: unknown) => ({ name, seats: 10, peak_calls: 10, approved_methods: ['ssh'], files, hosts: [host(`${name}01`)] });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [
          site('both', { transfer: 'both', folders: [path.join(remote, 'allowed')] }),
          site('download', { transfer: 'download', folders: [] }),
          site('off', { transfer: 'off', folders: [] }),
        ],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    for (const name of ['both', 'download', 'off']) {
      siteIds[name] = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get(name) as { id: number }).id;
      openTicket(core.db, { ref: `FILES-${name}`, siteId: siteIds[name]!, type: 'incident', component: 'other', impact: {} }, 'files-tester');
    }
  }, 60_000);

  afterAll(async () => {
    for (const session of sessions) session.close();
    await core?.dispatch('credentials.delete', { name: credential });
    await sshd?.stop();
    if (remote) removeTempDir(remote);
    if (local) removeTempDir(local);
  });

  it('lists a folder: types, sizes, times, a symlink\'s target, and a name with control characters escaped', async () => {
    remoteFile('allowed/acd.log', 'call 1\ncall 2\n');
    remoteFile('allowed/evil\u001b[31mname.txt', 'x');
    fs.symlinkSync(path.join(remote, 'outside'), path.join(remote, 'allowed', 'escape'));
    const session = await open('both');
    const listing = await core.files.list(session, path.join(remote, 'allowed') + '/');
    expect(listing.path).toBe(path.join(remote, 'allowed'));
    const byName = Object.fromEntries(listing.entries.map((e) => [e.name, e]));
    expect(byName['acd.log']).toMatchObject({ type: 'file', size: 14, path: path.join(remote, 'allowed', 'acd.log') });
    expect(Date.parse(byName['acd.log']!.mtime)).toBeGreaterThan(Date.now() - 60_000);
    expect(byName.up).toMatchObject({ type: 'dir' });
    expect(byName.escape).toMatchObject({ type: 'symlink', linkTarget: path.join(remote, 'outside') });
    expect(byName['evil\u001b[31mname.txt']!.display).toBe('evil\\e[31mname.txt');
    expect(listing.entries[0]!.type).toBe('dir');
  });

  it('downloads a file, hashed on the way, and records it as an event of the session', async () => {
    const content = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) % 251));
    const file = remoteFile('allowed/dialer.log', content);
    const session = await open('both');
    const transfer = await core.files.download(session, { remotePath: file, localDir: local });
    const view = await transfer.done;
    expect(view, view.reason ?? '').toMatchObject({ state: 'complete', localName: 'dialer.log', bytes: content.length, total: content.length });
    const expected = sha256File(file);
    expect(view.sha256).toBe(expected);
    expect(sha256File(path.join(local, 'dialer.log'))).toBe(expected);
    expect(fs.existsSync(path.join(local, 'dialer.log.part'))).toBe(false);
    const [event] = transferEvents(session.sessionId);
    expect(event).toMatchObject({ decision: 'allow', detail: { direction: 'download', remotePath: file, localName: 'dialer.log', size: content.length, sha256: expected, result: 'complete' } });
    expect(session.connection.bytesIn).toBeGreaterThanOrEqual(content.length);

    // The same file again: the local one is never replaced.
    const again = await (await core.files.download(session, { remotePath: file, localDir: local })).done;
    expect(again).toMatchObject({ state: 'complete', localName: 'dialer (1).log', sha256: expected });
    expect(again.reason).toContain('dialer.log already exists');
  });

  it('downloads one file twice at once into one folder without the two sharing a part', async () => {
    const file = remoteFile('allowed/twice.bin', Buffer.from(Array.from({ length: 4 * 1024 * 1024 }, (_, i) => (i * 17) % 255)));
    const dir = makeTempDir('sb-sftp-twice-');
    try {
      const session = await open('both');
      const both = await Promise.all([0, 1].map(async () => (await core.files.download(session, { remotePath: file, localDir: dir })).done));
      expect(both.map((v) => v.state)).toEqual(['complete', 'complete']);
      expect(both.map((v) => v.localName).sort()).toEqual(['twice (1).bin', 'twice.bin']);
      for (const name of ['twice.bin', 'twice (1).bin']) expect(sha256File(path.join(dir, name))).toBe(sha256File(file));
      expect(fs.readdirSync(dir).sort()).toEqual(['twice (1).bin', 'twice.bin']);
    } finally {
      removeTempDir(dir);
    }
  });

  it('gives the SFTP channel an 8 MiB receive window, while a terminal keeps ssh2\'s 2 MiB', async () => {
    const session = await open('both');
    const sftp = await session.connection.sftp();
    const shell = await session.connection.shell({ cols: 80, rows: 24, term: 'xterm-256color' });
    try {
      const windowOf = (channel: unknown) => (channel as { incoming: { window: number } }).incoming.window;
      expect(windowOf(sftp)).toBe(8 * 1024 * 1024);
      expect(windowOf((shell as unknown as { stream?: unknown }).stream ?? shell)).toBeLessThanOrEqual(2 * 1024 * 1024);
    } finally {
      sftp.end();
      shell.close();
    }
  });

  it('uploads a file, hashed on both ends, and refuses to replace a remote file unless asked', async () => {
    const source = path.join(local, 'patch.sh');
    fs.writeFileSync(source, Buffer.from(Array.from({ length: 700_001 }, (_, i) => (i * 7) % 256)));
    const session = await open('both');
    const dir = path.join(remote, 'allowed');
    // The CLI's source: every chunk read into one reused buffer (255 KiB: two whole chunks and a short one).
    const put = (overwrite = false) => core.files.upload(session, { remoteDir: dir, name: 'patch.sh', size: fs.statSync(source).size, overwrite, source: localFileChunks(source) });
    const view = await (await put()).done;
    expect(view, view.reason ?? '').toMatchObject({ state: 'complete', bytes: 700_001 });
    expect(view.sha256).toBe(sha256File(source));
    expect(sha256File(path.join(dir, 'patch.sh'))).toBe(sha256File(source));

    fs.writeFileSync(path.join(dir, 'patch.sh'), 'the customer changed it');
    const refused = await (await put()).done;
    expect(refused).toMatchObject({ state: 'failed' });
    expect(refused.reason).toContain('already exists');
    expect(fs.readFileSync(path.join(dir, 'patch.sh'), 'utf8')).toBe('the customer changed it');
    expect((await (await put(true)).done).state).toBe('complete');
    expect(sha256File(path.join(dir, 'patch.sh'))).toBe(sha256File(source));
    expect(transferEvents(session.sessionId).map((e) => e.detail.result)).toEqual(['complete', 'failed', 'complete']);
  });

  it('refuses an upload on a download-only site, and anything on a site with transfer off — logged, no byte moved', async () => {
    const source = path.join(local, 'config.xml');
    fs.writeFileSync(source, '<config/>');
    const session = await open('download');
    const view = await (await core.files.upload(session, { remoteDir: path.join(remote, 'outside'), name: 'config.xml', size: 9, source: fs.createReadStream(source) })).done;
    expect(view).toMatchObject({ state: 'refused', bytes: 0 });
    expect(view.reason).toMatch(/download-only/);
    expect(fs.existsSync(path.join(remote, 'outside', 'config.xml'))).toBe(false);
    const [event] = transferEvents(session.sessionId);
    expect(event).toMatchObject({ decision: 'deny', detail: { direction: 'upload', result: 'refused' } });
    expect(event!.reasons[0]).toMatch(/download-only/);

    const off = await open('off');
    const file = remoteFile('outside/secret.txt', 'secret');
    const dir = makeTempDir('sb-sftp-off-');
    try {
      const denied = await (await core.files.download(off, { remotePath: file, localDir: dir })).done;
      expect(denied.state).toBe('refused');
      expect(denied.reason).toMatch(/off/);
      expect(fs.readdirSync(dir)).toEqual([]);
      await expect(core.files.list(off, remote)).rejects.toThrow(/off/);
    } finally {
      removeTempDir(dir);
    }
    expect(transferEvents(off.sessionId).map((e) => [e.decision, e.detail.result])).toEqual([['deny', 'refused']]);
  });

  it('refuses a file outside the allowed folders, by path and through a symlink', async () => {
    const secret = remoteFile('outside/shadow.txt', 'not for you');
    fs.symlinkSync(secret, path.join(remote, 'allowed', 'innocent.txt'));
    const session = await open('both');
    const dir = makeTempDir('sb-sftp-refused-');
    try {
      for (const remotePath of [secret, path.join(remote, 'allowed', '..', 'outside', 'shadow.txt'), path.join(remote, 'allowed', 'innocent.txt'), path.join(remote, 'allowed', 'escape', 'shadow.txt')]) {
        const view = await (await core.files.download(session, { remotePath, localDir: dir })).done;
        expect(view.state, remotePath).toBe('refused');
        expect(view.reason).toMatch(/outside the folders allowed/);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
      const events = transferEvents(session.sessionId);
      expect(events.map((e) => e.decision)).toEqual(['deny', 'deny', 'deny', 'deny']);
      expect(events[2]!.detail).toMatchObject({ resolvedPath: secret });
      expect(events[2]!.reasons[0]).toMatch(/symbolic link/);
    } finally {
      removeTempDir(dir);
    }
  });

  it('resumes a download cut off with its connection: the kept part re-hashed, the rest fetched, the final hash right', async () => {
    const file = path.join(remote, 'allowed', 'core.1234');
    execFileSync('sh', ['-c', 'head -c 100663296 /dev/urandom > "$1"', 'sh', file]);
    fs.chownSync(file, uid(), gid());
    const expected = sha256File(file);
    const dir = makeTempDir('sb-sftp-resume-');
    try {
      const first = await open('both');
      const transfer = await core.files.download(first, { remotePath: file, localDir: dir });
      while (transfer.view().state === 'running' && transfer.view().bytes < 8 * 1024 * 1024) await new Promise((resolve) => setImmediate(resolve));
      first.close();
      const cut = await transfer.done;
      expect(cut.state, 'the connection closed mid-file').toBe('failed');
      await first.finish();
      const kept = fs.statSync(path.join(dir, 'core.1234.part')).size;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(96 * 1024 * 1024);

      const second = await open('both');
      const resumed = await (await core.files.download(second, { remotePath: file, localDir: dir })).done;
      expect(resumed, resumed.reason ?? '').toMatchObject({ state: 'complete', localName: 'core.1234', resumedFrom: kept, sha256: expected });
      expect(sha256File(path.join(dir, 'core.1234'))).toBe(expected);
      expect(fs.readdirSync(dir)).toEqual(['core.1234']);
      expect(transferEvents(second.sessionId)[0]!.detail).toMatchObject({ result: 'complete', resumedFrom: kept, sha256: expected });
      expect(transferEvents(first.sessionId)[0]!.detail).toMatchObject({ result: 'failed' });
      // The failure is recorded before the session's end.
      expect(core.sessionLog.get(first.sessionId).events.map((e) => e.kind).slice(-2)).toEqual(['transfer', 'ended']);
    } finally {
      removeTempDir(dir);
      fs.rmSync(file, { force: true });
    }
  }, 60_000);

  describe('to the ticket\'s evidence', () => {
    // A ticket of their own: the Files panel test below expects its ticket's evidence to hold one file.
    const ticket = 'FILES-evidence';
    beforeAll(() => {
      openTicket(core.db, { ref: ticket, siteId: siteIds.both!, type: 'incident', component: 'other', impact: {} }, 'files-tester');
    });
    const evidenceFolder = () => evidenceDir(core.dataDir);
    /** What the evidence folder holds beside the kept files: partials and their notes, temp files. */
    const staged = () => fs.readdirSync(evidenceFolder()).filter((n) => !/^[0-9a-f]{64}$/.test(n)).sort();
    const recordsOf = async (session: SshSession, remotePath: string) => (await core.services.evidence.list(session.ticketId!)).files.filter((f) => f.remotePath === remotePath);

    /** A file of random bytes on the server; its SHA-256. */
    function randomRemote(rel: string, mib: number): { file: string; sha256: string } {
      const file = path.join(remote, rel);
      execFileSync('sh', ['-c', `head -c ${mib * 1024 * 1024} /dev/urandom > "$1"`, 'sh', file]);
      fs.chownSync(file, uid(), gid());
      return { file, sha256: sha256File(file) };
    }

    /** Starts a download of `file` to the evidence and closes its session mid-file; the bytes kept. */
    async function cutOff(file: string): Promise<number> {
      const first = await open('both', ticket);
      const transfer = await core.files.download(first, { remotePath: file, toEvidence: true });
      while (transfer.view().state === 'running' && transfer.view().bytes < 8 * 1024 * 1024) await new Promise((resolve) => setImmediate(resolve));
      first.close();
      const cut = await transfer.done;
      expect(cut.state, 'the connection closed mid-file').toBe('failed');
      await first.finish();
      expect(transferEvents(first.sessionId)[0]!.detail).toMatchObject({ result: 'failed', bytesMoved: cut.bytes });
      const partials = staged().filter((n) => n.startsWith('.partial-') && !n.endsWith('.resume'));
      expect(partials, 'one partial kept in the evidence folder').toHaveLength(1);
      const part = path.join(evidenceFolder(), partials[0]!);
      expect(fs.statSync(part).mode & 0o777).toBe(0o600);
      expect(fs.statSync(`${part}.resume`).mode & 0o777).toBe(0o600);
      expect(await recordsOf(first, file), 'a partial is never evidence').toEqual([]);
      return fs.statSync(part).size;
    }

    it('resumes a download cut off with its connection: the kept bytes re-hashed, only the rest fetched, one record with the whole file\'s hash', async () => {
      const { file, sha256: expected } = randomRemote('allowed/core.evidence', 96);
      const size = 96 * 1024 * 1024;
      try {
        const kept = await cutOff(file);
        expect(kept).toBeGreaterThan(0);
        expect(kept).toBeLessThan(size);

        const second = await open('both', ticket);
        const resumed = await (await core.files.download(second, { remotePath: file, toEvidence: true })).done;
        expect(resumed, resumed.reason ?? '').toMatchObject({ state: 'complete', toEvidence: true, resumedFrom: kept, sha256: expected, bytes: size, total: size });
        expect(second.connection.bytesIn, 'only the rest was fetched').toBeLessThan(size - kept + 1024 * 1024);
        expect(transferEvents(second.sessionId)[0]!.detail).toMatchObject({ result: 'complete', resumedFrom: kept, sha256: expected, evidence: expected, size });
        expect(await recordsOf(second, file)).toEqual([expect.objectContaining({ sha256: expected, size, name: 'core.evidence', sessionId: second.sessionId, sha256Matches: true })]);
        expect(staged(), 'nothing left beside the kept files').toEqual([]);
        expect(fs.statSync(path.join(evidenceFolder(), expected)).mode & 0o777).toBe(0o600);
      } finally {
        fs.rmSync(file, { force: true });
      }
    }, 60_000);

    it.each([
      ['a different size', (file: string) => fs.appendFileSync(file, 'one more line\n')],
      ['a different time', (file: string) => { const earlier = new Date(Date.now() - 3_600_000); fs.utimesSync(file, earlier, earlier); }],
    ])('starts over when the remote file has %s since it was cut off', async (what, change) => {
      const { file } = randomRemote(`allowed/changed (${what}).evidence`, 64);
      try {
        expect(await cutOff(file)).toBeGreaterThan(0);
        change(file);
        const expected = sha256File(file);
        const session = await open('both', ticket);
        const again = await (await core.files.download(session, { remotePath: file, toEvidence: true })).done;
        expect(again, again.reason ?? '').toMatchObject({ state: 'complete', resumedFrom: null, sha256: expected });
        expect(transferEvents(session.sessionId)[0]!.detail).not.toHaveProperty('resumedFrom');
        expect((await recordsOf(session, file)).map((f) => f.sha256)).toEqual([expected]);
        expect(staged()).toEqual([]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    }, 60_000);

    it('keeps nothing after a cancel, also of a resumed download', async () => {
      const { file } = randomRemote('allowed/cancel.evidence', 96);
      try {
        expect(await cutOff(file)).toBeGreaterThan(0);
        const session = await open('both', ticket);
        const transfer = await core.files.download(session, { remotePath: file, toEvidence: true });
        while (transfer.view().state === 'running' && (transfer.view().resumedFrom === null || transfer.view().bytes - transfer.view().resumedFrom! < 1024 * 1024)) await new Promise((resolve) => setImmediate(resolve));
        const view = await core.files.cancel(transfer.id);
        expect(view.state).toBe('cancelled');
        expect(transferEvents(session.sessionId)[0]!.detail).toMatchObject({ result: 'cancelled' });
        expect(staged()).toEqual([]);
        expect(await recordsOf(session, file)).toEqual([]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    }, 60_000);

    it('downloads one file twice at once to one ticket without the two sharing a partial', async () => {
      const { file, sha256: expected } = randomRemote('allowed/twice.evidence', 4);
      try {
        const session = await open('both', ticket);
        const both = await Promise.all([0, 1].map(async () => (await core.files.download(session, { remotePath: file, toEvidence: true })).done));
        expect(both.map((v) => [v.state, v.sha256])).toEqual([['complete', expected], ['complete', expected]]);
        expect((await recordsOf(session, file)).map((f) => f.sha256)).toEqual([expected]);
        expect(staged()).toEqual([]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  });

  it('uploads a folder file by file into a new remote folder, and refuses one outside the allowed folders', async () => {
    const tree = makeTempDir('sb-sftp-tree-');
    try {
      fs.mkdirSync(path.join(tree, 'patch', 'conf'), { recursive: true });
      fs.writeFileSync(path.join(tree, 'patch', 'apply.sh'), 'echo apply\n');
      fs.writeFileSync(path.join(tree, 'patch', 'conf', 'acd.xml'), '<acd/>');
      const session = await open('both');
      const result = await uploadFolder(core.files, session, path.join(tree, 'patch'), path.join(remote, 'allowed'));
      expect(result.transfers.map((t) => [t.localName, t.state])).toEqual([['apply.sh', 'complete'], ['acd.xml', 'complete']]);
      expect(fs.readFileSync(path.join(remote, 'allowed', 'patch', 'conf', 'acd.xml'), 'utf8')).toBe('<acd/>');
      const again = await uploadFolder(core.files, session, path.join(tree, 'patch'), path.join(remote, 'allowed'));
      expect(again.transfers.map((t) => t.state)).toEqual(['failed']);
      expect(again.transfers[0]!.reason).toMatch(/already exists/);
      const outside = await uploadFolder(core.files, session, path.join(tree, 'patch'), path.join(remote, 'outside'));
      expect(outside.transfers.map((t) => t.state)).toEqual(['refused']);
      expect(fs.existsSync(path.join(remote, 'outside', 'patch'))).toBe(false);
    } finally {
      removeTempDir(tree);
      fs.rmSync(path.join(remote, 'allowed', 'patch'), { recursive: true, force: true });
    }
  });

  it('cancels a download: the event says cancelled and no part is left behind', async () => {
    const file = remoteFile('allowed/big.bin', Buffer.alloc(0));
    fs.truncateSync(file, 512 * 1024 * 1024);
    const dir = makeTempDir('sb-sftp-cancel-');
    try {
      const session = await open('both');
      const transfer = await core.files.download(session, { remotePath: file, localDir: dir });
      while (transfer.view().bytes < 1024 * 1024) await new Promise((resolve) => setImmediate(resolve));
      const view = await core.files.cancel(transfer.id);
      expect(view.state).toBe('cancelled');
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(transferEvents(session.sessionId)[0]!.detail).toMatchObject({ result: 'cancelled' });
    } finally {
      removeTempDir(dir);
      fs.rmSync(file, { force: true });
    }
  });

  it('serves the Files panel through the contract on a live terminal\'s connection: list, evidence, chunked upload, transfers', async () => {
    const { sessionId, decision } = await call<{ sessionId: string; decision: { allowed: boolean; reasons: string[] } }>(core, 'terminals.open', { siteId: siteIds.both, ticket: 'FILES-both', target: 'both01', cols: 80, rows: 24 });
    expect(decision.allowed, decision.reasons.join(' ')).toBe(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('terminal did not connect')), 15_000);
      core.terminals.attach(sessionId, (event) => {
        if (event.type === 'connected') { clearTimeout(timer); resolve(); }
        if (event.type === 'exit') { clearTimeout(timer); reject(new Error(`terminal ended: ${event.exit.error}`)); }
      });
    });
    const dir = path.join(remote, 'allowed');
    const listing = await call<RemoteListingView>(core, 'files.list', { sessionId, path: dir });
    expect(listing.entries.some((e) => e.name === 'acd.log')).toBe(true);

    const toEvidence = await call<TransferView>(core, 'files.download', { sessionId, remotePath: path.join(dir, 'acd.log'), toEvidence: true });
    let done = toEvidence;
    while (done.state === 'running') done = (await pause(), await call<TransferView[]>(core, 'files.transfers', { sessionId })).find((t) => t.transferId === toEvidence.transferId)!;
    expect(done, done.reason ?? '').toMatchObject({ state: 'complete', toEvidence: true, sha256: sha256File(path.join(dir, 'acd.log')) });
    const ticketId = core.sessionLog.get(sessionId).events[0]!.ticketId!;
    const evidence = await core.services.evidence.list(ticketId);
    expect(evidence.files).toEqual([expect.objectContaining({ sha256: done.sha256, name: 'acd.log', sessionId, sha256Matches: true })]);

    const content = Buffer.from(Array.from({ length: 2.5 * 1024 * 1024 }, (_, i) => (i * 13) % 256));
    const begun = await call<TransferView>(core, 'files.upload', { sessionId, remoteDir: dir, name: 'from-window.bin', size: content.length });
    expect(begun.state).toBe('running');
    const chunk = 1024 * 1024;
    expect((await callError(core, 'files.uploadChunk', { transferId: begun.transferId, offset: 5, data: 'AAAA' })).code).toBe('CONFLICT');
    for (let offset = 0; offset < content.length; offset += chunk) {
      const { received } = await call<{ received: number }>(core, 'files.uploadChunk', { transferId: begun.transferId, offset, data: content.subarray(offset, offset + chunk).toString('base64') });
      expect(received).toBe(Math.min(offset + chunk, content.length));
    }
    let uploaded = begun;
    while (uploaded.state === 'running') uploaded = (await pause(), await call<TransferView[]>(core, 'files.transfers', { sessionId })).find((t) => t.transferId === begun.transferId)!;
    expect(uploaded, uploaded.reason ?? '').toMatchObject({ state: 'complete', bytes: content.length });
    expect(sha256File(path.join(dir, 'from-window.bin'))).toBe(createHash('sha256').update(content).digest('hex'));
    expect(transferEvents(sessionId).map((e) => [e.detail.direction, e.detail.result])).toEqual([['download', 'complete'], ['upload', 'complete']]);

    // A folder: made remotely for the window's file-by-file upload, and downloaded whole.
    const made = await call<{ created: boolean; path: string }>(core, 'files.makeFolder', { sessionId, remoteDir: dir, name: 'from-window' });
    expect(made).toMatchObject({ created: true, path: path.join(dir, 'from-window') });
    expect(fs.statSync(path.join(dir, 'from-window')).isDirectory()).toBe(true);
    const outside = await call<{ created: boolean; refusal: TransferView | null }>(core, 'files.makeFolder', { sessionId, remoteDir: path.join(remote, 'outside'), name: 'nope' });
    expect(outside).toMatchObject({ created: false, refusal: { state: 'refused' } });
    expect(fs.existsSync(path.join(remote, 'outside', 'nope'))).toBe(false);
    remoteFile('allowed/from-window/a.txt', 'a');
    const into = makeTempDir('sb-sftp-folder-');
    try {
      const folder = await call<{ localDir: string }>(core, 'files.downloadFolder', { sessionId, remotePath: path.join(dir, 'from-window'), localDir: into });
      expect(folder.localDir).toBe(path.join(into, 'from-window'));
      let watched = await call<FolderDownloadView[]>(core, 'files.folderDownloads', { sessionId });
      while (watched[0]?.state === 'running') watched = (await pause(), await call<FolderDownloadView[]>(core, 'files.folderDownloads', { sessionId }));
      expect(watched).toMatchObject([{ remotePath: path.join(dir, 'from-window'), localDir: folder.localDir, state: 'complete', reason: null, skipped: [] }]);
      expect(watched[0]!.transferIds).toHaveLength(1);
      expect(fs.readFileSync(path.join(into, 'from-window', 'a.txt'), 'utf8')).toBe('a');
      expect((await callError(core, 'files.cancelFolder', { folderId: randomUUID() })).code).toBe('NOT_FOUND');
      expect((await callError(core, 'files.downloadFolder', { sessionId, remotePath: path.join(dir, 'acd.log'), localDir: into })).code).toBe('NOT_FOUND');
      expect(fs.readdirSync(into)).toEqual(['from-window']);
    } finally {
      removeTempDir(into);
      fs.rmSync(path.join(dir, 'from-window'), { recursive: true, force: true });
    }
    await call(core, 'terminals.close', { sessionId });
  });

  it('streams a 1 GiB download and upload with the core\'s memory bounded (RSS growth < 64 MB each)', async () => {
    const file = remoteFile('allowed/huge.img', Buffer.alloc(0));
    fs.truncateSync(file, 1024 * 1024 * 1024);
    const dir = makeTempDir('sb-sftp-huge-');
    try {
      const session = await open('both');
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
      const started = Date.now();
      const view = await (await core.files.download(session, { remotePath: file, localDir: dir })).done;
      clearInterval(sampler);
      const seconds = (Date.now() - started) / 1000;
      expect(view, view.reason ?? '').toMatchObject({ state: 'complete', bytes: 1024 * 1024 * 1024 });
      expect(view.sha256).toBe(sha256File(file));
      const growth = (peak - before) / (1024 * 1024);
      console.log(`1 GiB download: ${seconds.toFixed(1)} s (${(1024 / seconds).toFixed(0)} MiB/s), RSS growth ${growth.toFixed(1)} MB`);
      expect(growth).toBeLessThan(64);

      // And back up: the same GiB uploaded, streamed from the local file.
      global.gc?.();
      const beforeUp = process.memoryUsage().rss;
      let peakUp = beforeUp;
      const upSampler = setInterval(() => { peakUp = Math.max(peakUp, process.memoryUsage().rss); }, 50);
      const local = path.join(dir, view.localName);
      const upStarted = Date.now();
      const up = await (await core.files.upload(session, { remoteDir: path.join(remote, 'allowed'), name: 'huge-up.img', size: 1024 * 1024 * 1024, source: localFileChunks(local) })).done;
      clearInterval(upSampler);
      const upGrowth = (peakUp - beforeUp) / (1024 * 1024);
      console.log(`1 GiB upload: ${((Date.now() - upStarted) / 1000).toFixed(1)} s, RSS growth ${upGrowth.toFixed(1)} MB`);
      expect(up, up.reason ?? '').toMatchObject({ state: 'complete', sha256: view.sha256 });
      expect(upGrowth).toBeLessThan(64);
    } finally {
      fs.rmSync(path.join(remote, 'allowed', 'huge-up.img'), { force: true });
      removeTempDir(dir);
      fs.rmSync(file, { force: true });
    }
  }, 120_000);
});
