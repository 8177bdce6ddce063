import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { normaliseRemotePath } from '../../../contract/domain/file-transfer';
import { ApiError } from '../../../contract/errors';
import type { RemoteListingView, TransferDirection, TransferState, TransferView } from '../../../contract/files';
import { createLogger } from '../logger';
import type { DirectoryService } from '../services/directory';
import type { SshSession } from '../sessions/ssh-session';
import type { SshConnection } from '../ssh/ssh-connection';
import { ChunkFeed } from './chunk-feed';
import { downloadToFile, type RemoteSource, type TransferHooks } from './download';
import { downloadToEvidence, type EvidenceSink } from './evidence-download';
import { localSafeName } from './local-names';
import { kindOf, listDirectory, mkdirRemote, realpath, remoteError, remoteExists, stat } from './remote-fs';
import { CANCELLED, CONNECTION_GONE, TransferAborted, type PipelineOptions } from './sftp-io';
import { decideTransfer, escapeName, type SiteFileRules } from './transfer-policy';
import { TransferProgress } from './transfer-progress';
import { uploadToRemote } from './upload';

const log = createLogger('files');

export type { EvidenceSink } from './evidence-download';

export interface FileTransfersDeps {
  directory: Pick<DirectoryService, 'getSite'>;
  /** The ticket's evidence store; without it a download to evidence is refused with a sentence. */
  evidence?: EvidenceSink | null;
  /** Where a download goes when no folder is given (default ~/Downloads, else the home folder). */
  downloadsDir?: string;
  pipeline?: Omit<PipelineOptions, 'signal'>;
  /** How long an upload from the window may wait for its next chunk (default 60 s). */
  uploadIdleMs?: number;
}

export interface DownloadRequest { remotePath: string; toEvidence?: boolean | undefined; localDir?: string | undefined }
export interface UploadRequest {
  remoteDir: string;
  name: string;
  size: number;
  overwrite?: boolean | undefined;
  /** The bytes; absent → they come through `uploadChunk` (the window). */
  source?: AsyncIterable<Buffer>;
}

/** A transfer the caller may wait for (the CLI) or only watch (the window). */
export interface Transfer { readonly id: string; view(): TransferView; readonly done: Promise<TransferView> }

interface Live {
  view: Omit<TransferView, 'bytes' | 'total' | 'speed' | 'eta'>;
  progress: TransferProgress | null;
  abort: AbortController;
  feed: ChunkFeed | null;
  /** Where the server says the path really is, when that differs from the path asked for. */
  resolvedPath?: string;
  done: Promise<TransferView>;
}

/** Finished transfers kept per session for `files.transfers`, newest last. */
const KEPT_PER_SESSION = 200;
const DEFAULT_UPLOAD_IDLE_MS = 60_000;

function defaultDownloads(): string {
  const downloads = path.join(os.homedir(), 'Downloads');
  return fs.existsSync(downloads) ? downloads : os.homedir();
}

const joinRemote = (dir: string, name: string): string => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);
const baseName = (remotePath: string): string => remotePath.split('/').filter(Boolean).at(-1) ?? '';

/**
 * File transfers over SSH sessions' SFTP channels: the Files panel beside a terminal and the CLI's
 * `files get/put`. Every transfer is decided by the site's file-transfer setting before a byte moves —
 * on the path asked for and on the server's realpath of it, so a symlink cannot lead out of an allowed
 * folder — and is an event ('transfer') of its SSH session: refused, or how it ended, with its size and
 * SHA-256.
 */
export class FileTransfers {
  private readonly sftps = new WeakMap<SshConnection, Promise<SFTPWrapper>>();
  private readonly live = new Map<string, Live>();

  constructor(private readonly deps: FileTransfersDeps) {}

  /** One SFTP channel per connection, opened on first use and gone with the connection. */
  private sftp(session: SshSession): Promise<SFTPWrapper> {
    let channel = this.sftps.get(session.connection);
    if (!channel) {
      const connection = session.connection;
      channel = connection.sftp().then((sftp) => {
        // A protocol error on the channel is reported here (an 'error' with no listener would end the process); the transfers on it fail by their signals.
        sftp.on('error', (error: Error) => log.info(`SFTP channel of session ${session.sessionId}: ${error.message}`));
        sftp.once('close', () => this.sftps.delete(connection));
        return sftp;
      });
      channel.catch(() => this.sftps.delete(connection));
      this.sftps.set(connection, channel);
    }
    return channel;
  }

  private async rules(session: SshSession): Promise<SiteFileRules> {
    const site = await this.deps.directory.getSite(session.siteId);
    return { ...site.files, site: session.site ?? site.name };
  }

  /** A folder's entries. Browsing needs file transfer on for the site (off means the customer has not approved files at all). */
  async list(session: SshSession, remotePath: string): Promise<RemoteListingView> {
    const rules = await this.rules(session);
    const off = decideTransfer(rules, { direction: 'download', remotePath: '/' });
    if (rules.transfer === 'off' && !off.allowed) throw new ApiError('INVALID_INPUT', off.reason);
    const asked = normaliseRemotePath(remotePath);
    if (!asked.ok) throw new ApiError('INVALID_INPUT', `Cannot list ${escapeName(remotePath)}: ${asked.reason}.`);
    const listing = await listDirectory(await this.sftp(session), asked.path);
    return { sessionId: session.sessionId, ...listing };
  }

  /** The folder a download goes to: the one asked for, else the default (Downloads). */
  downloadsDirFor(localDir: string | undefined): string {
    return path.resolve(localDir ?? this.deps.downloadsDir ?? defaultDownloads());
  }

  async download(session: SshSession, request: DownloadRequest): Promise<Transfer> {
    const toEvidence = request.toEvidence === true;
    const asked = normaliseRemotePath(request.remotePath);
    const remotePath = asked.ok ? asked.path : request.remotePath;
    const live = this.begin(session, 'download', remotePath, localSafeName(baseName(remotePath)), toEvidence);
    const decided = await this.decide(session, live, 'download', remotePath, async (sftp) => realpath(sftp, remotePath));
    if (typeof decided !== 'string') return decided;
    const resolved = decided;
    const localDir = toEvidence ? null : this.downloadsDirFor(request.localDir);
    if (toEvidence && !this.deps.evidence) return this.settled(this.finish(session, live, 'failed', 'The ticket\'s evidence store is not available in this build.'), live);
    if (toEvidence && session.ticketId === null) return this.settled(this.finish(session, live, 'failed', `Ticket ${session.ticket} is not open in Switchboard; open it first to keep evidence on it.`), live);
    if (localDir && !fs.statSync(localDir, { throwIfNoEntry: false })?.isDirectory()) return this.settled(this.finish(session, live, 'failed', `${localDir} is not a folder on this computer.`), live);
    const run = async (): Promise<TransferView> => {
      const sftp = await this.sftp(session);
      const st = await stat(sftp, resolved).catch((error: unknown) => { throw remoteError(error, 'read', remotePath); });
      const kind = kindOf(st.mode);
      if (kind !== 'file') throw new ApiError('INVALID_INPUT', `${escapeName(remotePath)} is a ${kind === 'dir' ? 'folder' : 'special file'}; download files one at a time.`);
      const source: RemoteSource = { path: resolved, size: st.size, mtime: st.mtime };
      const hooks = this.hooks(session, live, 'download');
      if (localDir) {
        const result = await downloadToFile(sftp, source, localDir, live.view.localName, hooks);
        const renamed = result.localName !== live.view.localName ? `${live.view.localName} already exists in ${localDir}; saved as ${result.localName}.` : null;
        Object.assign(live.view, { localName: result.localName, localPath: result.localPath, sha256: result.sha256, resumedFrom: result.resumedFrom, reason: renamed });
        return this.finish(session, live, 'complete', renamed, { size: result.size });
      }
      const kept = await downloadToEvidence(sftp, source, this.deps.evidence!, {
        ticketId: session.ticketId!, name: live.view.localName, fetchedBy: session.engineer, site: session.site, host: session.host, remotePath: resolved, sessionId: session.sessionId,
      }, hooks);
      Object.assign(live.view, { sha256: kept.sha256, resumedFrom: kept.resumedFrom });
      if (kept.rcaWaitCanEnd) live.view.rcaWaitCanEnd = true;
      return this.finish(session, live, 'complete', null, { size: kept.size, evidence: kept.sha256 });
    };
    return this.start(session, live, run);
  }

  async upload(session: SshSession, request: UploadRequest): Promise<Transfer> {
    const dir = normaliseRemotePath(request.remoteDir);
    const target = dir.ok ? joinRemote(dir.path, request.name) : joinRemote(request.remoteDir, request.name);
    const live = this.begin(session, 'upload', target, request.name, false);
    const overwrite = request.overwrite === true;
    const decided = await this.decide(session, live, 'upload', target, async (sftp) => {
      // An existing file is judged where it really is (overwriting a symlink writes to its target); a new one where its folder really is.
      const existing = await realpath(sftp, target).then((p) => stat(sftp, p).then(() => p)).catch(() => null);
      return existing ?? joinRemote(await realpath(sftp, dir.ok ? dir.path : request.remoteDir), request.name);
    });
    if (typeof decided !== 'string') return decided;
    const resolved = decided;
    if (!request.source) {
      live.feed = new ChunkFeed(request.size, this.deps.uploadIdleMs ?? DEFAULT_UPLOAD_IDLE_MS, () => {
        live.feed?.fail(new ApiError('CONFLICT', `No data came from the window for ${Math.round((this.deps.uploadIdleMs ?? DEFAULT_UPLOAD_IDLE_MS) / 1000)} s; the upload was stopped.`));
      });
    }
    const source = request.source ?? live.feed!;
    const run = async (): Promise<TransferView> => {
      const sftp = await this.sftp(session);
      const result = await uploadToRemote(sftp, resolved, source, request.size, overwrite, this.hooks(session, live, 'upload'));
      live.view.sha256 = result.sha256;
      return this.finish(session, live, 'complete', null, { size: result.size });
    };
    return this.start(session, live, run);
  }

  /**
   * Creates a remote folder (a folder upload's), decided like an upload of it; it must not exist yet.
   * Returns null once made, or the refusal or failure (recorded as an upload of that folder).
   */
  async makeRemoteFolder(session: SshSession, remotePath: string): Promise<TransferView | null> {
    const asked = normaliseRemotePath(remotePath);
    const target = asked.ok ? asked.path : remotePath;
    const name = baseName(target);
    const parent = target.slice(0, target.lastIndexOf('/')) || '/';
    const live = this.begin(session, 'upload', target, name, false);
    const decided = await this.decide(session, live, 'upload', target, async (sftp) => joinRemote(await realpath(sftp, parent), name));
    if (typeof decided !== 'string') return decided.view();
    const sftp = await this.sftp(session);
    if (await remoteExists(sftp, decided).catch(() => false)) return this.finish(session, live, 'failed', `${escapeName(target)} already exists on the server; upload the folder somewhere it does not exist yet.`);
    try {
      await mkdirRemote(sftp, decided);
    } catch (error) {
      return this.finish(session, live, 'failed', remoteError(error, 'create', target).message);
    }
    // A folder made is not a file moved: the files uploaded into it are the transfers on the record.
    this.live.delete(live.view.transferId);
    return null;
  }

  /** The window's next piece of an upload it began; resolves once the transfer has taken it. */
  async uploadChunk(transferId: string, offset: number, data: Buffer): Promise<{ received: number }> {
    const live = this.get(transferId);
    if (!live.feed) throw new ApiError('CONFLICT', 'This transfer takes no chunks (it is a download, or its bytes come from a file).');
    if (live.view.state !== 'running') throw new ApiError('CONFLICT', `This upload is ${live.view.state}.`);
    await live.feed.push(offset, data);
    return { received: live.feed.received };
  }

  /** Stops a running transfer; its event says 'cancelled' (a cancelled download leaves no part behind). */
  async cancel(transferId: string): Promise<TransferView> {
    const live = this.get(transferId);
    if (live.view.state !== 'running') return this.viewOf(live);
    live.abort.abort(CANCELLED);
    live.feed?.fail(new TransferAborted(CANCELLED));
    return live.done;
  }

  /** A session's transfers, running and finished, oldest first. */
  transfers(sessionId: string): TransferView[] {
    return [...this.live.values()].filter((l) => l.view.sessionId === sessionId).map((l) => this.viewOf(l));
  }

  private get(transferId: string): Live {
    const live = this.live.get(transferId);
    if (!live) throw new ApiError('NOT_FOUND', `There is no transfer ${transferId}; it may have ended with its session.`);
    return live;
  }

  private begin(session: SshSession, direction: TransferDirection, remotePath: string, localName: string, toEvidence: boolean): Live {
    const transferId = randomUUID();
    const live: Live = {
      view: {
        transferId, sessionId: session.sessionId, direction, remotePath, remoteDisplay: escapeName(remotePath), localName, localPath: null, toEvidence,
        state: 'running', reason: null, sha256: null, resumedFrom: null, startedAt: new Date().toISOString(), endedAt: null,
      },
      progress: null, abort: new AbortController(), feed: null, done: Promise.resolve(null as unknown as TransferView),
    };
    this.live.set(transferId, live);
    this.prune(session.sessionId);
    return live;
  }

  /**
   * The site's setting on the path asked for, then — only if that allows it — on where the server says
   * it really is. Returns that real path, or the refusal (recorded; nothing has been opened or moved).
   */
  private async decide(session: SshSession, live: Live, direction: TransferDirection, remotePath: string, resolve: (sftp: SFTPWrapper) => Promise<string>): Promise<Transfer | string> {
    const rules = await this.rules(session);
    const asked = decideTransfer(rules, { direction, remotePath });
    if (!asked.allowed) return this.refused(session, live, asked.reason);
    let resolved: string;
    try {
      resolved = await resolve(await this.sftp(session));
    } catch (error) {
      return this.settled(this.finish(session, live, 'failed', remoteError(error, direction === 'download' ? 'read' : 'write to', remotePath).message), live);
    }
    const real = decideTransfer(rules, { direction, remotePath, resolvedPath: resolved });
    if (!real.allowed) return this.refused(session, live, real.reason, resolved);
    if (resolved !== remotePath) live.resolvedPath = resolved;
    return resolved;
  }

  private refused(session: SshSession, live: Live, reason: string, resolved?: string): Transfer {
    log.info(`${live.view.direction} of ${live.view.remoteDisplay} over ${session.sessionId} refused: ${reason}`);
    return this.settled(this.finish(session, live, 'refused', reason, resolved ? { resolvedPath: resolved } : {}), live);
  }

  private settled(view: TransferView, live: Live): Transfer {
    live.done = Promise.resolve(view);
    return { id: live.view.transferId, view: () => this.viewOf(live), done: live.done };
  }

  private hooks(session: SshSession, live: Live, direction: TransferDirection): TransferHooks {
    return {
      signal: live.abort.signal,
      onStart: (total, resumedFrom) => {
        live.progress = new TransferProgress(total, resumedFrom);
        if (resumedFrom > 0) live.view.resumedFrom = resumedFrom;
      },
      onBytes: (count) => {
        live.progress?.add(count);
        if (direction === 'download') session.connection.countTransfer(count, 0);
        else session.connection.countTransfer(0, count);
      },
      pipeline: { ...this.deps.pipeline, batchWrites: (send) => session.connection.batchWrites(send) },
    };
  }

  private start(session: SshSession, live: Live, run: () => Promise<TransferView>): Transfer {
    // SFTP requests in flight are never answered once the connection drops: the transfer stops on this instead.
    const gone = (): void => live.abort.abort(CONNECTION_GONE);
    let channel: SFTPWrapper | null = null;
    void session.connection.closed.then(gone);
    void this.sftp(session).then((sftp) => { channel = sftp; sftp.once('close', gone); }, () => undefined);
    live.done = run().finally(() => channel?.removeListener('close', gone)).catch((error: unknown) => {
      const why = live.abort.signal.aborted ? live.abort.signal.reason : error instanceof TransferAborted ? error.why : null;
      if (why === CANCELLED) return this.finish(session, live, 'cancelled', 'Cancelled by the engineer.');
      if (why === CONNECTION_GONE) {
        const lost = session.connection.lost;
        return this.finish(session, live, 'failed', lost ? `The SSH session was lost: ${lost.message}` : 'The SSH session was closed during the transfer.');
      }
      const lost = session.connection.lost;
      const reason = error instanceof ApiError ? error.message : lost ? `The SSH session was lost: ${lost.message}` : remoteError(error, live.view.direction === 'download' ? 'read' : 'write to', live.view.remotePath).message;
      return this.finish(session, live, 'failed', reason);
    });
    session.trackTransfer(live.done);
    return { id: live.view.transferId, view: () => this.viewOf(live), done: live.done };
  }

  /** Ends the transfer once, and records it as an event of its session. */
  private finish(session: SshSession, live: Live, state: Exclude<TransferState, 'running'>, reason: string | null, extra: { size?: number; evidence?: string; resolvedPath?: string } = {}): TransferView {
    if (live.view.state !== 'running') return this.viewOf(live);
    Object.assign(live.view, { state, reason, endedAt: new Date().toISOString() });
    live.feed?.fail(new ApiError('CONFLICT', `This upload is ${state}.`));
    const moved = live.progress ? live.progress.bytes - (live.view.resumedFrom ?? 0) : 0;
    const detail = {
      transferId: live.view.transferId, direction: live.view.direction, remotePath: live.view.remotePath, localName: live.view.localName,
      size: extra.size ?? live.progress?.total ?? null, sha256: live.view.sha256, result: state,
      ...(reason && state !== 'complete' ? { reason } : {}), ...(reason && state === 'complete' ? { note: reason } : {}),
      ...(live.view.resumedFrom ? { resumedFrom: live.view.resumedFrom } : {}),
      ...(extra.evidence ? { evidence: extra.evidence } : {}), ...(extra.resolvedPath ?? live.resolvedPath ? { resolvedPath: extra.resolvedPath ?? live.resolvedPath } : {}),
      ...(state !== 'complete' && state !== 'refused' ? { bytesMoved: moved } : {}),
    };
    try {
      session.recordTransfer(state !== 'refused', state === 'refused' ? reason : null, detail);
    } catch (error) {
      log.error(`could not record the ${state} ${live.view.direction} of ${live.view.remoteDisplay} in session ${session.sessionId}`, error);
    }
    return this.viewOf(live);
  }

  private viewOf(live: Live): TransferView {
    const progress = live.progress;
    const running = live.view.state === 'running';
    return {
      ...live.view,
      bytes: progress?.bytes ?? 0,
      total: progress?.total ?? 0,
      speed: running && progress ? progress.speed : 0,
      eta: running && progress ? progress.eta : null,
    };
  }

  /** Forgets the oldest finished transfers of a session beyond KEPT_PER_SESSION. */
  private prune(sessionId: string): void {
    const finished = [...this.live.values()].filter((l) => l.view.sessionId === sessionId && l.view.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEPT_PER_SESSION))) this.live.delete(old.view.transferId);
  }
}
