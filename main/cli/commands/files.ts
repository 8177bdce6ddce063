import fs from 'node:fs';
import path from 'node:path';
import { ApiError, downloadFolder, localFileChunks, uploadFolder, type Core, type FolderTransferResult, type SshSession } from '../../core';
import type { TransferView } from '../../../contract/files';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';
import { terminalPrompts } from '../ssh-terminal';

export interface FilesFlags {
  site?: string; target?: string; ticket?: string; json: boolean; evidence: boolean; overwrite: boolean; recursive: boolean; 'accept-new-host-key': boolean;
}

const GET_USAGE = 'usage: switchboard files get --site "CUSTOMER/SITE" --target HOST --ticket TICKET REMOTE_PATH [LOCAL_DIR] [--evidence] [-r] [--json]';
const PUT_USAGE = 'usage: switchboard files put --site "CUSTOMER/SITE" --target HOST --ticket TICKET LOCAL_PATH REMOTE_DIR [--overwrite] [-r] [--json]';

/** "12.3 MiB" */
function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const clock = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** One line, redrawn in place, on stderr — only when stderr is a terminal (a script reads the final line). */
function showProgress(view: () => TransferView): () => void {
  if (!process.stderr.isTTY) return () => {};
  const draw = (): void => {
    const v = view();
    const percent = v.total > 0 ? ` ${Math.floor((v.bytes / v.total) * 100)}%` : '';
    const eta = v.eta === null ? '' : `  ${clock(v.eta)} left`;
    process.stderr.write(`\r\u001b[K${v.localName}  ${bytes(v.bytes)} / ${bytes(v.total)}${percent}  ${bytes(v.speed)}/s${eta}`);
  };
  const timer = setInterval(draw, 250);
  return () => {
    clearInterval(timer);
    process.stderr.write('\r\u001b[K');
  };
}

/** Opens the SSH session the transfer is an event of: through the policy, pins, keychain and jump hosts, like `connect --method ssh`. */
async function openSession(ctx: CliContext, flags: FilesFlags, usage: string): Promise<{ core: Core; session: SshSession } | number> {
  if (!flags.target || !flags.ticket) throw new UsageError(usage);
  const core = ctx.core();
  const request = { siteId: await resolveSiteRef(core, flags.site), target: flags.target, ticket: flags.ticket };
  let opened: Awaited<ReturnType<Core['openSsh']>>;
  try {
    opened = await core.openSsh(request, terminalPrompts(flags['accept-new-host-key']));
  } catch (error) {
    if (!(error instanceof ApiError) || !error.code.startsWith('SSH_')) throw error;
    console.error(`switchboard: ${error.message}`);
    return 255;
  }
  if (!opened.session) {
    console.error(`switchboard: connection denied (logged as session ${opened.sessionId}):`);
    for (const reason of opened.decision.reasons) console.error(`  ${reason}`);
    return 1;
  }
  return { core, session: opened.session };
}

/** Runs one transfer to its end: progress on a terminal, Ctrl-C cancels it; the session then ends and is logged. */
async function runTransfer(core: Core, session: SshSession, start: () => ReturnType<Core['files']['download']>, json: boolean): Promise<number> {
  let view: TransferView;
  try {
    const transfer = await start();
    const stop = showProgress(() => transfer.view());
    const cancel = (): void => void core.files.cancel(transfer.id).catch(() => undefined);
    process.once('SIGINT', cancel);
    try {
      view = await transfer.done;
    } finally {
      stop();
      process.off('SIGINT', cancel);
    }
  } finally {
    session.close({ outcome: 'completed', reason: 'The file transfer this session was opened for ended.' });
    await session.finish();
  }
  if (json) console.log(JSON.stringify(view, null, 2));
  const where = `logged in session ${session.sessionId}`;
  switch (view.state) {
    case 'complete': {
      if (view.reason) console.error(`switchboard: ${view.reason}`);
      const what = view.toEvidence ? `evidence on ${session.ticket}` : view.direction === 'download' ? view.localPath : view.remoteDisplay;
      if (!json) console.log(`${what}  ${view.total} bytes  sha256 ${view.sha256}${view.resumedFrom ? `  (resumed at ${view.resumedFrom})` : ''}`);
      if (view.rcaWaitCanEnd) console.error(`The ticket waits for debug data; if this is it: switchboard tickets end-rca-wait ${session.ticket} ${view.sha256}`);
      return 0;
    }
    case 'refused':
      console.error(`switchboard: transfer refused (${where}): ${view.reason}`);
      return 1;
    case 'cancelled':
      console.error(`switchboard: transfer cancelled (${where}).`);
      return 130;
    default:
      console.error(`switchboard: transfer failed (${where}): ${view.reason}`);
      if (view.direction === 'download') console.error(`The bytes received are kept${view.toEvidence ? ' in the data dir\'s evidence folder (for a day)' : ''}; the same command again resumes the download.`);
      return 1;
  }
}

/** A folder, file by file: each one's line as it completes, then what was skipped; the session ends after the last. */
async function runFolder(session: SshSession, run: (hooks: { onTransfer(view: () => TransferView): void; signal: AbortSignal }) => Promise<FolderTransferResult>, json: boolean): Promise<number> {
  const abort = new AbortController();
  const cancel = (): void => abort.abort();
  process.once('SIGINT', cancel);
  let stop = (): void => {};
  let result: FolderTransferResult;
  try {
    result = await run({ signal: abort.signal, onTransfer: (view) => { stop(); stop = showProgress(view); } });
  } finally {
    stop();
    process.off('SIGINT', cancel);
    session.close({ outcome: 'completed', reason: 'The folder transfer this session was opened for ended.' });
    await session.finish();
  }
  if (json) console.log(JSON.stringify(result, null, 2));
  for (const v of result.transfers) {
    if (!json && v.state === 'complete') console.log(`${v.direction === 'download' ? v.localPath : v.remoteDisplay}  ${v.total} bytes  sha256 ${v.sha256}`);
  }
  for (const s of result.skipped) console.error(`skipped ${s.path}: ${s.why}`);
  const last = result.transfers.at(-1);
  if (last && last.state !== 'complete') {
    console.error(`switchboard: ${last.remoteDisplay}: transfer ${last.state} (logged in session ${session.sessionId}): ${last.reason ?? ''}`);
    console.error(`${result.transfers.length - 1} file(s) done before it; the rest not started.`);
    return last.state === 'cancelled' ? 130 : 1;
  }
  if (abort.signal.aborted) return 130;
  console.error(`${result.transfers.length} file(s) transferred (logged in session ${session.sessionId}).`);
  return 0;
}

/** `files get`: a remote file to LOCAL_DIR (default: here), or with --evidence into the ticket's evidence. */
export async function filesGet(ctx: CliContext, args: string[], flags: FilesFlags): Promise<number> {
  const [remotePath, localDir, extra] = args;
  if (!remotePath || extra !== undefined) throw new UsageError(GET_USAGE);
  if (flags.evidence && localDir) throw new UsageError('--evidence keeps the file in the ticket\'s evidence; leave out LOCAL_DIR');
  const dir = path.resolve(localDir ?? '.');
  if (!flags.evidence && !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const opened = await openSession(ctx, flags, GET_USAGE);
  if (typeof opened === 'number') return opened;
  const { core, session } = opened;
  if (flags.recursive) {
    if (flags.evidence) throw new UsageError('--evidence takes files one at a time; leave out -r');
    return runFolder(session, (hooks) => downloadFolder(core.files, session, remotePath, dir, hooks), flags.json);
  }
  return runTransfer(core, session, () => core.files.download(session, { remotePath, ...(flags.evidence ? { toEvidence: true } : { localDir: dir }) }), flags.json);
}

/** `files put`: a local file to REMOTE_DIR/its name; an existing remote file is refused unless --overwrite. */
export async function filesPut(ctx: CliContext, args: string[], flags: FilesFlags): Promise<number> {
  const [localPath, remoteDir, extra] = args;
  if (!localPath || !remoteDir || extra !== undefined) throw new UsageError(PUT_USAGE);
  const file = path.resolve(localPath);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || (flags.recursive ? !stat.isDirectory() : !stat.isFile())) throw new UsageError(`${file} is not a ${flags.recursive ? 'folder' : 'file'}${stat?.isDirectory() ? ' (a folder takes -r)' : ''}`);
  const opened = await openSession(ctx, flags, PUT_USAGE);
  if (typeof opened === 'number') return opened;
  const { core, session } = opened;
  if (flags.recursive) return runFolder(session, (hooks) => uploadFolder(core.files, session, file, remoteDir, hooks), flags.json);
  return runTransfer(core, session, () => core.files.upload(session, {
    remoteDir, name: path.basename(file), size: stat.size, overwrite: flags.overwrite,
    // Opened only once the site's setting has allowed the upload.
    source: localFileChunks(file),
  }), flags.json);
}
