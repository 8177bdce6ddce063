import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceAdded, EvidenceExportView, Site, Ticket, TicketEvidenceList } from '../../contract/models';
import type { EvidenceManifest } from '../../main/core/files/evidence-archive';
import { EvidenceFiles, evidenceDir } from '../../main/core/files/evidence-files';
import { EvidencePartial } from '../../main/core/files/evidence-partials';
import { call, callError, customerFields, siteFields, useCores, type TestCore } from '../helpers/core';
import { makeTempDir } from '../helpers/temp-dir';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
/** The files kept in the store (temp files start with a dot). */
const keptFiles = (core: TestCore) => fs.readdirSync(evidenceDir(core.dataDir)).filter((n) => !n.startsWith('.'));

describe('a ticket\'s evidence: kept by hash, checked on every opening, exported with a manifest', () => {
  const openCore = useCores();
  let core: TestCore;
  let siteId: number;
  let ref = 0;
  const newTicket = async (): Promise<Ticket> =>
    call<Ticket>(core, 'tickets.open', { siteId, ref: `INC-${++ref}`, type: 'incident', component: 'acd', impact: { cannotTakeCalls: 3 } });
  const add = (ticket: Ticket, data: Buffer, name: string, from: Partial<{ site: string; host: string; remotePath: string; sessionId: string }> = {}) =>
    core.services.evidence.add(Readable.from([data]), { ticketId: ticket.id, name, ...from });
  const list = (ticket: Ticket) => call<TicketEvidenceList>(core, 'tickets.evidence', { id: ticket.id });

  beforeAll(async () => {
    core = openCore({ engineer: 'asha@vendor.example' });
    const customerId = (await call<{ id: number }>(core, 'customers.create', customerFields('Acme'))).id;
    siteId = (await call<Site>(core, 'sites.create', { customerId, fields: siteFields('Pune'), ticket: 'EXO-1' })).id;
  });

  it('streams a file past 2 GiB into the store with the core\'s memory bounded, owner-only, under its SHA-256', async () => {
    const ticket = await newTicket();
    // Past 2^31 bytes, where an offset or a size kept in 32 bits would wrap (the issue: "a 2 GB log must work").
    const total = 2048 * MiB + MiB;
    const chunk = randomBytes(MiB);
    const expected = createHash('sha256');
    // Generated as it is read, never held: the same MiB with its first bytes counting up.
    async function* generate(): AsyncGenerator<Buffer> {
      for (let i = 0; i < total / MiB; i += 1) {
        chunk.writeUInt32BE(i, 0);
        expected.update(chunk);
        yield chunk;
      }
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    let added: EvidenceAdded;
    try {
      added = await core.services.evidence.add(generate(), { ticketId: ticket.id, name: 'acd-2026-11-30.log', site: 'Acme/Pune', host: 'acd01', remotePath: '/var/log/ameyo/acd-2026-11-30.log' });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(added.evidence.size).toBe(total);
    expect(added.evidence.sha256).toBe(expected.digest('hex'));
    expect((peak - before) / MiB).toBeLessThan(64);
    const file = path.join(evidenceDir(core.dataDir), added.evidence.sha256);
    expect(fs.statSync(file).size).toBe(total);
    if (process.platform !== 'win32') {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(evidenceDir(core.dataDir)).mode & 0o777).toBe(0o700);
    }
    expect(fs.readdirSync(evidenceDir(core.dataDir)).filter((n) => n.startsWith('.incoming-'))).toEqual([]);
    const listed = await list(ticket);
    expect(listed.files).toEqual([expect.objectContaining({ name: 'acd-2026-11-30.log', size: total, fetchedBy: 'asha@vendor.example', host: 'acd01', sha256Matches: true })]);
    fs.rmSync(file);
    expect((await list(ticket)).files[0]!.sha256Matches).toBeNull();
  }, 300_000);

  it('keeps the same bytes once, on a ticket once, and on a second ticket without a second copy', async () => {
    const first = await newTicket();
    const second = await newTicket();
    const data = Buffer.from('dialer: campaign 7 stalled at 10:42\n');
    const filesBefore = keptFiles(core).length;
    const a = await add(first, data, 'dialer.log', { host: 'dialer01', remotePath: '/var/log/ameyo/dialer.log' });
    const again = await add(first, data, 'dialer-copy.log');
    const other = await add(second, data, 'dialer.log');
    expect(a.alreadyOnTicket).toBe(false);
    expect(again).toMatchObject({ alreadyOnTicket: true, evidence: { name: 'dialer.log', host: 'dialer01' } });
    expect(other.alreadyOnTicket).toBe(false);
    expect(keptFiles(core).length).toBe(filesBefore + 1);
    expect((await list(first)).files.map((f) => f.name)).toEqual(['dialer.log']);
    expect((await list(second)).files.map((f) => f.sha256)).toEqual([sha256(data)]);
  });

  it('says when a kept file was altered: the list, every opening and the export; the same bytes again repair it', async () => {
    const ticket = await newTicket();
    const data = Buffer.from('ivr: prompt 12 missing\n'.repeat(1000));
    const { evidence } = await add(ticket, data, 'ivr.log');
    const file = path.join(evidenceDir(core.dataDir), evidence.sha256);
    expect((await list(ticket)).files[0]!.sha256Matches).toBe(true);

    const altered = Buffer.from(data);
    altered[100] = altered[100]! ^ 1;
    fs.writeFileSync(file, altered);
    expect((await list(ticket)).files[0]!.sha256Matches).toBe(false);

    const { stream } = await core.services.evidence.open(ticket.id, evidence.sha256);
    const read = (async () => { for await (const _ of stream) { /* read to the end */ } })();
    await expect(read).rejects.toMatchObject({ code: 'EVIDENCE_MISMATCH' });
    await read.catch((error: Error) => {
      expect(error.message).toContain('"ivr.log"');
      expect(error.message).toContain(file);
      expect(error.message).toContain(evidence.sha256);
      expect(error.message).toContain(sha256(altered));
    });

    const out = path.join(makeTempDir('switchboard-evidence-out-'), 'altered.tar');
    const refused = await callError(core, 'tickets.evidenceExport', { id: ticket.id, path: out });
    expect(refused.code).toBe('EVIDENCE_MISMATCH');
    expect(fs.existsSync(out)).toBe(false);

    await add(ticket, data, 'ivr-again.log');
    expect((await list(ticket)).files[0]!.sha256Matches).toBe(true);
  });

  it('exports one tar whose every file has the SHA-256 and size its manifest says, with who fetched it from where', async () => {
    const ticket = await newTicket();
    const files = [
      { data: randomBytes(3 * MiB + 17), name: 'core.12345', host: 'acd01', remotePath: '/var/crash/core.12345', sessionId: '7d5b4a1e-55b0-4c7e-9a77-2b1f0c6f9a10' },
      { data: Buffer.from('two\tcolumns\n'), name: 'odd\u001b[31mname\n.txt', host: 'ivr01', remotePath: '/tmp/support/odd\u0007' },
      { data: Buffer.from('x'.repeat(513)), name: `${'très-long-nom-'.repeat(12)}.log`, host: 'rep01', remotePath: '/var/log/reports/long.log' },
      { data: Buffer.alloc(0), name: 'empty.log', host: 'rep01', remotePath: '/var/log/reports/empty.log' },
    ];
    for (const f of files) await add(ticket, f.data, f.name, { site: 'Acme/Pune', host: f.host, remotePath: f.remotePath, ...(f.sessionId ? { sessionId: f.sessionId } : {}) });

    const folder = makeTempDir('switchboard-evidence-out-');
    const out = path.join(folder, 'INC-evidence.tar');
    const exported = await call<EvidenceExportView>(core, 'tickets.evidenceExport', { id: ticket.id, path: out });
    expect(exported).toMatchObject({ file: out, files: files.length, bytes: fs.statSync(out).size });
    expect(exported.bytes % 512).toBe(0);

    // Read back by another implementation (GNU tar), then every file against the manifest.
    const unpacked = path.join(folder, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xf', out, '-C', unpacked]);
    const root = path.join(unpacked, `${ticket.ref}-evidence`);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8')) as EvidenceManifest;
    expect(manifest).toMatchObject({ format: 'switchboard-evidence/1', ticket: { ref: ticket.ref, customer: 'Acme', site: 'Pune' }, createdAt: exported.createdAt, createdBy: 'asha@vendor.example' });
    expect(manifest.files).toHaveLength(files.length);
    for (const f of files) {
      const entry = manifest.files.find((m) => m.name === f.name)!;
      expect(entry).toMatchObject({ size: f.data.length, sha256: sha256(f.data), fetchedBy: 'asha@vendor.example', site: 'Acme/Pune', host: f.host, remotePath: f.remotePath, sessionId: f.sessionId ?? null });
      const bytes = fs.readFileSync(path.join(root, entry.path));
      expect(bytes.length).toBe(entry.size);
      expect(sha256(bytes)).toBe(entry.sha256);
    }
    const text = fs.readFileSync(path.join(root, 'MANIFEST.txt'), 'utf8');
    expect(text).toContain(`Evidence for ticket ${ticket.ref} (Acme / Pune)`);
    expect(text).toMatch(/odd\\(x1b|e)\[31mname\\n\.txt/);
    expect(text).not.toMatch(/[\u0007\u001b]/);
    expect(text).toContain('ivr01:/tmp/support/odd\\x07');
    expect(text).toContain(`acd01:/var/crash/core.12345 (session ${files[0]!.sessionId})`);
    execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: root });

    const again = await callError(core, 'tickets.evidenceExport', { id: ticket.id, path: out });
    expect(again.code).toBe('CONFLICT');
  });

  it('clears temp files a crash left a day ago, never one that may still be written', () => {
    const files = new EvidenceFiles(core.dataDir);
    const old = path.join(files.dir, '.incoming-crashed');
    const fresh = path.join(files.dir, '.incoming-writing');
    fs.writeFileSync(old, 'half a log');
    fs.writeFileSync(fresh, 'being written');
    const dayAndMore = new Date(Date.now() - 25 * 3_600_000);
    fs.utimesSync(old, dayAndMore, dayAndMore);
    expect(files.removeStaleIncoming()).toEqual([old]);
    expect(fs.existsSync(fresh)).toBe(true);
    fs.rmSync(fresh);
  });

  it('clears a download\'s kept partial a day after it was last written, with its note — never one still being written, never a kept file', () => {
    const files = new EvidenceFiles(core.dataDir);
    fs.mkdirSync(files.dir, { recursive: true });
    const dayAndMore = new Date(Date.now() - 25 * 3_600_000);
    const at = (name: string, content: string, old: boolean) => {
      const file = path.join(files.dir, name);
      fs.writeFileSync(file, content);
      if (old) fs.utimesSync(file, dayAndMore, dayAndMore);
      return file;
    };
    const abandoned = [at('.partial-abandoned', 'half a core dump', true), at('.partial-abandoned.resume', '{}', true), at('.partial-abandoned.lock', '999999999', true)];
    // A download that began more than a day ago and still writes: its note is old, its bytes are not.
    const long = [at('.partial-long', 'still coming', false), at('.partial-long.resume', '{}', true)];
    const kept = at('0'.repeat(64), 'an old evidence file', true);
    expect(files.removeStaleIncoming().sort()).toEqual(abandoned.sort());
    for (const file of [...long, kept]) expect(fs.existsSync(file)).toBe(true);
    for (const file of [...long, kept]) fs.rmSync(file);
  });

  it('lets one process at a time write a download\'s partial: another running process\'s lock is respected, a crashed one\'s taken over', async () => {
    const dir = new EvidenceFiles(core.dataDir).dir;
    const identity = { ticketId: 1, site: 'Acme/prod', host: 'app01', remotePath: '/var/log/ameyo/core.1', size: 10, mtime: 1 };
    const partial = () => new EvidencePartial(dir, identity);
    const lockFile = `${partial().file}.lock`;
    // Another process (the CLI beside the app) writing the partial now: a real, running process named by its lock.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(lockFile, String(other.pid));
      expect(partial().claim(), 'a running process holds it').toBe(false);
      expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
    }
    await new Promise((resolve) => other.once('exit', resolve));
    // That process is gone (a crash): its lock no longer holds anyone back.
    const mine = partial();
    expect(mine.claim(), 'a crashed process\'s lock is taken over').toBe(true);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    expect(fs.statSync(lockFile).mode & 0o777).toBe(0o600);
    expect(partial().claim(), 'a second download in this process').toBe(false);
    mine.release();
    expect(fs.existsSync(lockFile), 'released with the download').toBe(false);
    // A lock cut short by a crash while it was written names nobody.
    fs.writeFileSync(lockFile, '');
    const next = partial();
    expect(next.claim()).toBe(true);
    next.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('ends an RCA wait for debug data only when the engineer confirms the first file that came, and the history names it', async () => {
    const ticket = await newTicket();
    const before = await add(ticket, Buffer.from('collected before the wait'), 'old.log');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(core, 'tickets.act', { id: ticket.id, action: 'rcaWait', waiting: true, reason: 'debug logs enabled on acd01, waiting for recurrence' });
    expect((await list(ticket)).rcaWaitCanEndWith).toBeNull();

    const first = await add(ticket, Buffer.from('recurrence at 03:12, debug on'), 'acd-debug.log', { host: 'acd01', remotePath: '/var/log/ameyo/acd-debug.log' });
    expect(first.rcaWaitCanEnd).toBe(true);
    const later = await add(ticket, Buffer.from('a second capture'), 'acd-debug-2.log');
    expect(later.rcaWaitCanEnd).toBe(false);
    expect((await call<Ticket>(core, 'tickets.get', { id: ticket.id })).rcaWaiting).toBe(true);
    expect((await list(ticket)).rcaWaitCanEndWith).toMatchObject({ sha256: first.evidence.sha256, name: 'acd-debug.log' });

    expect((await callError(core, 'tickets.evidenceEndRcaWait', { id: ticket.id, sha256: before.evidence.sha256 })).code).toBe('CONFLICT');
    const ended = await call<Ticket>(core, 'tickets.evidenceEndRcaWait', { id: ticket.id, sha256: first.evidence.sha256 });
    expect(ended.rcaWaiting).toBe(false);
    expect(ended.events.at(-1)).toMatchObject({
      kind: 'rca_wait_ended', engineer: 'asha@vendor.example', reason: `debug data received: acd-debug.log (sha256 ${first.evidence.sha256})`,
    });
    expect((await list(ticket)).rcaWaitCanEndWith).toBeNull();
    expect((await callError(core, 'tickets.evidenceEndRcaWait', { id: ticket.id, sha256: first.evidence.sha256 })).code).toBe('CONFLICT');
  });
});
