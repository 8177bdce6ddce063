import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import type { LiveVncView, PolicyDecision, VncScreenshotView } from '../../../contract/models';
import type { VncServerMessage } from '../../../contract/vnc-protocol';
import type { VncConnected, VncEnd, VncOpenRequest, VncSession } from './vnc-session';

/** `core.openVnc`: decides and connects; the decision is reported as soon as it is made. */
export type OpenVnc = (
  request: VncOpenRequest, options: { sessionId: string; onDecision: (decision: PolicyDecision) => void },
) => Promise<{ decision: PolicyDecision; session: VncSession | null }>;

/** How long a connected session waits for its viewer before it is ended (a window that never came). */
export const VIEWER_WAIT_MS = 60_000;
/** How long an ended session's end stays to be told to a window that attaches late. */
const ENDED_KEEP_MS = 60_000;

/** A window's viewer of one session: told where the session is, and relayed to over `stream`. */
export interface VncViewer { tell(message: VncServerMessage): void; stream: Duplex }

/** One window VNC session, from the decision to its end. */
class Entry {
  session: VncSession | null = null;
  connected: VncConnected | null = null;
  end: VncEnd | null = null;
  viewer: VncViewer | null = null;
  viewerTimer: NodeJS.Timeout | null = null;
  closing: string | null = null;
  decision: PolicyDecision | null = null;
  constructor(readonly id: string, readonly request: VncOpenRequest, readonly startedAt: string) {}

  tell(message: VncServerMessage): void { this.viewer?.tell(message); }
}

/**
 * The window's live VNC sessions. `open` returns once the policy has decided; the connection and the
 * core's sign-in go on, and the window's viewer attaches by session id over its carrier (the browser
 * mode's WebSocket, Electron's MessagePort). A session has one viewer: RFB's compressed streams cannot
 * be taken over by a second one, so a viewer that goes away (a closed tab, a reload) ends the session,
 * and "reconnect" is a new session on the same ticket.
 */
export class VncSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly openVnc: OpenVnc, private readonly options: { viewerWaitMs?: number } = {}) {}

  async open(request: VncOpenRequest): Promise<{ sessionId: string; decision: PolicyDecision }> {
    const id = randomUUID();
    const entry = new Entry(id, request, new Date().toISOString());
    let decided!: (decision: PolicyDecision) => void;
    const decision = new Promise<PolicyDecision>((resolve) => (decided = resolve));
    const opening = this.openVnc(request, { sessionId: id, onDecision: (d) => {
      entry.decision = d;
      if (d.allowed) this.entries.set(id, entry);
      decided(d);
    } });
    opening.then(({ session }) => session && this.connected(entry, session), (error: unknown) => {
      const message = (error as Error).message;
      this.ended(entry, { outcome: 'failed', reason: message, error: message, recording: null, sha256: null });
    });
    // A failure before the decision (the policy itself could not run) is the caller's error.
    await Promise.race([decision, opening]);
    return { sessionId: id, decision: await decision };
  }

  has(sessionId: string): boolean { return this.entries.has(sessionId); }

  /** The window's live (and just-ended) VNC sessions, for its tabs. */
  list(): LiveVncView[] {
    return [...this.entries.values()].map((e) => ({
      sessionId: e.id, siteId: e.request.siteId, ticket: e.request.ticket, target: e.request.target, startedAt: e.startedAt,
      state: e.end ? 'ended' : e.session ? 'connected' : 'connecting', viewerAttached: e.viewer !== null,
    }));
  }

  /** Shows the session in a viewer: where it is now, then the relay once connected. */
  attach(sessionId: string, viewer: VncViewer): () => void {
    const entry = this.entries.get(sessionId);
    if (!entry) throw new ApiError('NOT_FOUND', 'No such VNC session; it may have ended.');
    if (entry.viewer || entry.session?.hasViewer) throw new ApiError('CONFLICT', 'This VNC session already has its viewer; reconnect opens a new session.');
    entry.viewer = viewer;
    if (entry.connected) viewer.tell({ type: 'connected', ...entry.connected });
    if (entry.end) viewer.tell({ type: 'exit', ...entry.end });
    else if (entry.session) this.serve(entry);
    return () => {
      if (entry.viewer !== viewer) return;
      entry.viewer = null;
      if (!entry.end) void this.close(sessionId, 'the viewer closed');
    };
  }

  /** Ends a session (the engineer closed its tab, or the core is shutting down); settles when its end is logged. */
  async close(sessionId: string, reason = 'the engineer closed it'): Promise<VncEnd | null> {
    const entry = this.entries.get(sessionId);
    if (!entry) return null;
    if (entry.end) return entry.end;
    if (!entry.session) {
      entry.closing = reason;
      return null;
    }
    entry.session.close(reason);
    return entry.session.done;
  }

  saveScreenshot(sessionId: string, png: Buffer): VncScreenshotView {
    const session = this.entries.get(sessionId)?.session;
    if (!session) throw new ApiError('NOT_FOUND', 'No such connected VNC session; it may have ended.');
    return session.saveScreenshot(png);
  }

  /** The screenshots of the ticket's live sessions (an ended session's are in its log record). */
  screenshotsFor(ticket: string): (VncScreenshotView & { sessionId: string; host: string | null; engineer: string })[] {
    return [...this.entries.values()].filter((e) => e.request.ticket === ticket && e.session && !e.end)
      .flatMap((e) => e.session!.screenshotsTaken.map((shot) => ({ ...shot, sessionId: e.id, host: e.decision?.host ?? null, engineer: e.session!.engineer })));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id, 'Switchboard is shutting down')));
  }

  private connected(entry: Entry, session: VncSession): void {
    entry.session = session;
    entry.connected = session.connected;
    void session.done.then((end) => this.ended(entry, end));
    if (entry.closing) return session.close(entry.closing);
    entry.tell({ type: 'connected', ...session.connected });
    if (entry.viewer) return this.serve(entry);
    entry.viewerTimer = setTimeout(() => session.close('no viewer attached within a minute'), this.options.viewerWaitMs ?? VIEWER_WAIT_MS);
    entry.viewerTimer.unref();
  }

  private serve(entry: Entry): void {
    if (entry.viewerTimer) clearTimeout(entry.viewerTimer);
    void entry.session!.serveViewer(entry.viewer!.stream);
  }

  private ended(entry: Entry, end: VncEnd): void {
    if (entry.end) return;
    if (entry.viewerTimer) clearTimeout(entry.viewerTimer);
    entry.end = end;
    entry.tell({ type: 'exit', ...end });
    setTimeout(() => this.entries.delete(entry.id), ENDED_KEEP_MS).unref();
  }
}
