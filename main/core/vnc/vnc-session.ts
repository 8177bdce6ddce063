import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import type { PolicyDecision, VncScreenshotView } from '../../../contract/models';
import type { EndOutcome } from '../../../contract/domain/outcomes';
import { getSite } from '../directory/sites';
import { createLogger } from '../logger';
import { vncRecordingFile } from '../paths';
import type { ConnectionRequest } from '../policy/authorize';
import type { SessionLifecycle, SessionRun } from '../sessions/lifecycle';
import { encodePng } from './png';
import { relayRfb, type RelayRules } from './relay';
import { rfbHandshake, VncCertificateRefused, type RfbServer } from './rfb-handshake';
import { takeSnapshot } from './snapshot';
import { saveScreenshot } from './screenshots';
import { greetViewer } from './viewer-handshake';
import { describeVncPlan, vncPlan, type VncPlan } from './vnc-plan';
import { VncRecorder, type VncRecorderFs } from './vnc-recording';
import { decideVncJump, openVncTransport, type VncTransport, type VncTransportDeps } from './vnc-transport';

const log = createLogger('vnc');

export interface VncSessionDeps extends VncTransportDeps {
  lifecycle: SessionLifecycle;
  dataDir: string;
  /** The recorder's file system; tests inject failing writes here. */
  recorderFs?: VncRecorderFs;
}

export interface VncOpenRequest { siteId: number; ticket: string; target: string; viewOnly?: boolean }

/** How a VNC session ended, as the window and the CLI are told (and the log records). */
export interface VncEnd { outcome: EndOutcome; reason: string; error: string | null; recording: string | null; sha256: string | null }

/** What the window shows about a connected session: the server, and the rules the relay enforces. */
export interface VncConnected { width: number; height: number; name: string; security: string; plan: VncPlan }

/**
 * One VNC session: the server reached at the approved IP (directly or through the jump host), signed in
 * by the core, its screen recorded from the ServerInit on; then relayed to one viewer, or asked for one
 * snapshot. Ends exactly once, with the recording's hash in the log.
 */
export class VncSession {
  private readonly recorder: VncRecorder;
  private closeReason: string | null = null;
  private bytesIn = 0;
  private bytesOut = 0;
  private busy = false;
  /** The relay (or the snapshot) is over: the end is being logged. */
  private over = false;
  private readonly screenshots: VncScreenshotView[] = [];
  /** What the session's 'ended' event adds (a snapshot's hash). */
  private endDetail: Record<string, unknown> = {};
  private resolveDone!: (end: VncEnd) => void;
  /** Settles once the session has ended, however, and its end is logged. */
  readonly done = new Promise<VncEnd>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly run: SessionRun, private readonly transport: VncTransport, readonly server: RfbServer, readonly plan: VncPlan, private readonly deps: VncSessionDeps) {
    this.recorder = VncRecorder.create({
      file: vncRecordingFile(deps.dataDir, run.sessionId), sessionId: run.sessionId,
      title: `${run.base.site ?? ''} ${run.base.host ?? ''} (${run.base.ticket ?? ''})`.trim(),
      width: server.width, height: server.height, name: server.name, serverInit: server.serverInit, recordInput: plan.inputRecorded,
      ...(deps.recorderFs ? { fs: deps.recorderFs } : {}),
    });
    // A recording that cannot be written ends the session: nothing is shown unrecorded.
    this.recorder.onFailure((error) => this.close(`the recording failed: ${error.message}`));
    // Until a viewer comes, what the server sends waits in the stream (paused), and a server that goes
    // away ends the session; an error on an idle stream must never reach the process as unhandled.
    this.stream.pause();
    this.stream.on('error', (error) => log.info(`VNC session ${run.sessionId}: ${error.message}`));
    this.stream.once('close', () => { if (!this.busy) this.close('the server closed the connection'); });
  }

  get sessionId(): string { return this.run.sessionId; }
  get engineer(): string { return this.run.base.engineer; }
  get screenshotsTaken(): readonly VncScreenshotView[] { return this.screenshots; }
  /** Whether a viewer (or a snapshot) has the session: RFB's streams serve one client. */
  get hasViewer(): boolean { return this.busy; }
  private get stream(): Duplex { return this.server.stream ?? this.transport.stream; }

  get connected(): VncConnected {
    return { width: this.server.width, height: this.server.height, name: this.server.name, security: this.server.security, plan: this.plan };
  }

  /** The relay's rules: the site's (and this session's) view-only and clipboard settings. */
  get rules(): RelayRules {
    return { viewOnly: this.plan.viewOnly, clipboardToViewer: this.plan.clipboard !== 'off', clipboardToServer: this.plan.clipboard === 'both' };
  }

  /** Greets the viewer as a no-authentication server and relays until either side ends. */
  serveViewer(viewer: Duplex): Promise<VncEnd> {
    this.claim();
    this.onClose = () => { viewer.destroy(); this.stream.destroy(); };
    return this.finish(async () => {
      const fromViewer = await greetViewer(viewer, this.server.serverInit);
      // What the viewer is shown is recorded first (the taps run before each write); a failed write ends the relay.
      const relay = relayRfb(viewer, this.stream, this.rules, fromViewer, this.server.rest, {
        toViewer: (bytes) => this.output(bytes),
        toServer: (bytes) => this.input(bytes),
      }, this.server.serverInit);
      this.stream.resume();
      return relay.done;
    });
  }

  /** Takes one full frame as a PNG; the session's end names the picture's SHA-256. */
  async snapshot(timeoutMs = 20_000): Promise<{ png: Buffer; width: number; height: number; sha256: string; end: VncEnd }> {
    this.claim();
    let taken: { png: Buffer; width: number; height: number; sha256: string } | null = null;
    const end = await this.finish(async () => {
      this.output(this.server.rest);
      const taking = takeSnapshot(this.stream, this.server, { timeoutMs, onServerBytes: (bytes) => this.output(bytes) });
      this.stream.resume();
      const frame = await taking;
      const png = encodePng(frame.width, frame.height, frame.rgba);
      taken = { png, width: frame.width, height: frame.height, sha256: createHash('sha256').update(png).digest('hex') };
      this.endDetail = { snapshot: { width: taken.width, height: taken.height, sha256: taken.sha256 } };
      return 'the snapshot was taken';
    });
    if (!taken) throw new ApiError('VNC_HANDSHAKE_FAILED', end.error ?? `No frame came from ${this.plan.host}.`);
    return { ...(taken as { png: Buffer; width: number; height: number; sha256: string }), end };
  }

  /** Keeps a screenshot the engineer saved from the viewer; the session's end names it with its hash. */
  saveScreenshot(png: Buffer): VncScreenshotView {
    if (this.over) throw new ApiError('CONFLICT', `VNC session ${this.sessionId} has ended; its screenshots can no longer be added.`);
    const saved = saveScreenshot(this.deps.dataDir, png);
    this.screenshots.push(saved);
    return saved;
  }

  /** Ends the session for a reason of the core's or the engineer's own. */
  close(reason: string): void {
    this.closeReason ??= reason;
    if (this.busy) return this.onClose();
    // Never shown to a viewer: end it here, with its (header-only) recording.
    this.busy = true;
    void this.finish(async () => reason);
  }

  private onClose: () => void = () => this.transport.close();

  private claim(): void {
    if (this.busy) throw new ApiError('CONFLICT', `VNC session ${this.sessionId} already has its viewer.`);
    this.busy = true;
  }

  private output(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.recorder.output(bytes);
    this.bytesIn += bytes.length;
  }

  private input(bytes: Buffer): void {
    this.recorder.input(bytes);
    this.bytesOut += bytes.length;
  }

  private finish(work: () => Promise<string>): Promise<VncEnd> {
    return (async () => {
      let why: string;
      let error: string | null = null;
      try {
        why = await work();
      } catch (failure) {
        why = (failure as Error).message;
        error = why;
      }
      this.over = true;
      this.transport.close();
      let recording: { file: string; sha256: string } | null = null;
      try {
        recording = await this.recorder.close();
      } catch (failure) {
        log.error(`could not close the recording of VNC session ${this.sessionId}`, failure);
      }
      if (this.recorder.failed && !error) error = this.closeReason ?? 'the recording failed';
      const reason = this.closeReason ?? why;
      const outcome: EndOutcome = error ? 'failed' : 'disconnected';
      this.run.end(outcome, {
        reason, ...(error ? { error } : {}), ...(recording ? { recording: recording.file, recordingSha256: recording.sha256 } : {}),
        ...(this.screenshots.length ? { screenshots: this.screenshots } : {}), ...this.endDetail,
      }, { bytesIn: this.bytesIn, bytesOut: this.bytesOut });
      const end = { outcome, reason, error, recording: recording?.file ?? null, sha256: recording?.sha256 ?? null };
      this.resolveDone(end);
      return end;
    })();
  }
}

/**
 * Decides, logs the attempt, connects to the approved IP (through the jump host when the endpoint names
 * one) and signs in with the keychain's password — the window never sees it. Returns the connected
 * session, or the denial (already logged). Any failure after the decision is logged as the session's end.
 */
export async function openVncSession(
  deps: VncSessionDeps, request: Omit<ConnectionRequest, 'engineer' | 'method'> & { viewOnly?: boolean }, sessionId: string,
  onDecision: (decision: PolicyDecision) => void = () => {},
): Promise<{ decision: PolicyDecision; session: VncSession | null }> {
  const { viewOnly = false, ...access } = request;
  const run = await deps.lifecycle.begin({ ...access, method: 'vnc' }, { sessionId, ...(viewOnly ? { detail: { viewOnlyChosen: true } } : {}) });
  const { decision } = run;
  onDecision(decision);
  if (!run.allowed) return { decision, session: null };
  let transport: VncTransport | null = null;
  try {
    const site = getSite(deps.db, access.siteId);
    const target = site.hosts.find((h) => h.name === decision.host)!;
    transport = await openVncTransport(deps, access, site.hosts, target, run.address);
    const plan = vncPlan(target, run.address, { jump: transport.jump, viewOnly, inputRecorded: site.recordInput });
    const password = target.vnc!.credential ? await deps.credentials.reveal(target.vnc!.credential) : null;
    const server = await rfbHandshake(transport.stream, {
      password, tlsPin: target.vnc!.tlsCertSha256 ?? null, target: `${target.name} (${plan.address}:${plan.port})`,
    });
    const session = new VncSession(run, transport, server, plan, deps);
    run.started('connected', {
      ownerPid: process.pid, address: plan.address, ...(server.tls ? { tlsCertificate: server.tls.fingerprint } : {}), port: plan.port, ...(plan.jump ? { jump: `${plan.jump.host}@${plan.jump.address}:${plan.jump.port}` } : {}),
      security: server.security, rfbVersion: server.version, desktop: server.name, width: server.width, height: server.height,
      viewOnly: plan.viewOnly, clipboard: plan.clipboard, inputRecorded: plan.inputRecorded,
    });
    return { decision, session };
  } catch (error) {
    transport?.close();
    // A refused certificate is kept with both fingerprints, for whoever compares them with the customer.
    throw run.fail(error, error instanceof VncCertificateRefused ? { certificate: { offered: error.fingerprint, pinned: error.pinned } } : {});
  }
}

/**
 * `connect --method vnc --print`: the decision and the plan (approved IP, port, jump host, the security
 * type expected), logged as a printed session; nothing is connected.
 */
export async function planVncSession(
  deps: VncSessionDeps, request: Omit<ConnectionRequest, 'engineer' | 'method'> & { viewOnly?: boolean },
): Promise<{ sessionId: string; decision: PolicyDecision; plan: VncPlan | null; text: string }> {
  const { viewOnly = false, ...access } = request;
  const run = await deps.lifecycle.begin({ ...access, method: 'vnc' }, { detail: { print: true } });
  if (!run.allowed) return { sessionId: run.sessionId, decision: run.decision, plan: null, text: run.decision.reasons.join('\n') };
  try {
    const site = getSite(deps.db, access.siteId);
    const target = site.hosts.find((h) => h.name === run.decision.host)!;
    const jump = await decideVncJump(deps, access, site.hosts, target);
    const plan = vncPlan(target, run.address, { jump, viewOnly, inputRecorded: site.recordInput });
    run.end('printed', { plan });
    return { sessionId: run.sessionId, decision: run.decision, plan, text: describeVncPlan(plan) };
  } catch (error) {
    throw run.fail(error);
  }
}
