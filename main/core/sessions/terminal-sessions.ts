import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { LiveTerminalView, PolicyDecision } from '../../../contract/models';
import type { ChangedHostKey } from '../../../contract/terminal-protocol';
import { createLogger } from '../logger';
import type { ConnectionRequest } from '../policy/authorize';
import type { KeyboardChallenge } from '../ssh/auth';
import { BULK_HIGH_WATER_MARK, FlowController } from '../ssh/flow-control';
import { SshError, type SshFailure } from '../ssh/ssh-errors';
import { InputPacer } from './input-pacer';
import { OutputBatcher } from './output-batcher';
import { RecentOutput } from './recent-output';
import type { SshChannel } from '../ssh/ssh-channel';
import type { SessionEnd, SshPrompts, SshSession } from './ssh-session';

/**
 * The window's live SSH terminals. A terminal is opened in two halves so the window can take part
 * in the connect: `open` returns as soon as the policy has decided (the window then attaches to the
 * session's events), while the connection goes on — waiting on the window for a first-use host key.
 * Output is counted by a FlowController, which pauses the SSH channel while the window lags.
 *
 * A terminal outlives the window that opened it: a reload detaches it, and a window that attaches
 * later (the same one reloaded, or another) takes it over and is redrawn from the recent output.
 * One nobody attaches to for `idleTimeoutMs` is ended, and the log says why.
 */

export interface TerminalOpenRequest { siteId: number; ticket: string; target: string; cols: number; rows: number }

/** `failure` says which kind of SSH failure `error` is (refused, timed-out, auth-failed…), so the window can title it. */
/** `hostKey` is set for a changed host key (the window offers to replace the pin). */
export interface TerminalExit { code: number | null; signal: string | null; recording: string | null; sha256: string | null; error: string | null; failure?: SshFailure | null; hostKey?: ChangedHostKey | null }

export type TerminalEvent =
  | { type: 'output'; data: Buffer }
  | { type: 'hostKey'; host: string; fingerprint: string }
  /** Keyboard-interactive questions (one-time codes…) for the person at the window; `target` is the hop that asks (a jump host or the target itself). */
  | { type: 'prompt'; target: string; challenge: KeyboardChallenge }
  | { type: 'connected' }
  | { type: 'exit'; exit: TerminalExit }
  /** Another window attached and took this terminal over; this window's link should let go. */
  | { type: 'replaced' };

export type TerminalSink = (event: TerminalEvent) => void;

/** `core.openSsh`, with the session id chosen by the caller and the decision reported as soon as it is made. */
export type OpenSsh = (
  request: Omit<ConnectionRequest, 'engineer' | 'method'>,
  prompts: SshPrompts,
  options: { sessionId: string; onDecision: (decision: PolicyDecision) => void },
) => Promise<{ sessionId: string; decision: PolicyDecision; session: SshSession | null }>;

/** Keystrokes kept while the connection is still being made; more than this is not typing ahead. */
const MAX_TYPE_AHEAD = 64 * 1024;

/** How long a host-key question waits for the window before it counts as "no". */
export const HOST_KEY_TIMEOUT_MS = 5 * 60_000;
/** How long keyboard-interactive questions wait for the window before they count as "no answer" (one-time codes expire anyway). */
export const PROMPT_TIMEOUT_MS = 2 * 60_000;

/** How long an ended terminal waits for a window to attach and read why it ended (a refused port ends in a millisecond). */
export const ENDED_KEEP_MS = 60_000;

/** How long a terminal may go with no window attached before it is ended (a reload reattaches well within it). */
export const IDLE_TIMEOUT_MS = 15 * 60_000;

/** The session log's outcome for a terminal ended because no window was attached. */
export const IDLE_OUTCOME = 'idle-timeout';

export interface TerminalSessionsOptions {
  promptTimeoutMs?: number;
  hostKeyTimeoutMs?: number;
  /** How long a terminal may go with no window attached before it is ended and logged so (default 15 minutes). */
  idleTimeoutMs?: number;
}

const log = createLogger('terminals');

class Terminal {
  session: SshSession | null = null;
  channel: SshChannel | null = null;
  flow: FlowController | null = null;
  ended: Promise<TerminalExit>;
  private endedWith!: (exit: TerminalExit) => void;
  private sink: TerminalSink | null = null;
  /** The last stretch of output, to redraw a window that attaches later. */
  private readonly recent = new RecentOutput();
  private connected = false;
  private exit: TerminalExit | null = null;
  readonly startedAt = new Date().toISOString();
  /** The policy's decision, once made (the site and host names the window lists). */
  decision: PolicyDecision | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the idle clock will end this terminal, while no window is attached. */
  idleEndsAt: string | null = null;
  /** Why the core (not the remote side) ends it, for the log's 'ended' event. */
  endedBecause: SessionEnd | null = null;
  private question: { resolve: (yes: boolean) => void; timer: NodeJS.Timeout; host: string; fingerprint: string } | null = null;
  /** An open keyboard-interactive challenge; answers are passed to ssh2 and kept nowhere else. */
  private challenge: { resolve: (answers: string[]) => void; reject: (error: Error) => void; timer: NodeJS.Timeout; event: Extract<TerminalEvent, { type: 'prompt' }> } | null = null;
  /** Why the last challenge went unanswered, to say so when the sign-in then fails. */
  unanswered: 'cancelled' | 'timed-out' | null = null;
  closing = false;
  exited = false;
  /** Called once the exit has reached a window. */
  delivered: (() => void) | null = null;
  /** Output joined into fewer, larger frames for the window. */
  readonly output = new OutputBatcher((data) => this.emit({ type: 'output', data }));
  /** Keystrokes at once, a big paste in slices (see InputPacer); held until the shell is there. */
  readonly input = new InputPacer((data) => this.session?.input(data));

  constructor(readonly id: string, readonly request: TerminalOpenRequest, private readonly idle: { ms: number; ended: (terminal: Terminal) => void }) {
    this.ended = new Promise((resolve) => (this.endedWith = resolve));
    // What is typed while connecting (a command typed ahead) is sent once the shell is there.
    this.input.hold(MAX_TYPE_AHEAD);
  }

  /**
   * Delivers to the window, if one is attached. Nothing is queued for a window that is not there:
   * output goes to `recent` (bounded), the rest is state that `replayTo` restates on attach.
   */
  emit(event: TerminalEvent): void {
    if (event.type === 'output') {
      this.recent.push(event.data);
      // Counted only when a window is there to acknowledge it: with none, the channel keeps being read
      // (into `recent`) instead of staying paused until someone comes back.
      if (this.sink) this.flow?.sent(event.data.length);
    } else if (event.type === 'connected') this.connected = true;
    else if (event.type === 'exit') this.exit = event.exit;
    this.sink?.(event);
  }

  /** Shows the terminal in a window; a window already showing it is told it was replaced, and let go. */
  attach(sink: TerminalSink): () => void {
    this.output.flush(); // what is still batched belongs to the redraw, before anything new
    const previous = this.sink;
    this.sink = sink;
    this.stopIdleClock();
    // Whatever the previous window had not acknowledged is lost with it; this one is counted afresh.
    this.flow?.reset();
    previous?.({ type: 'replaced' });
    this.replayTo(sink);
    if (this.exited) this.delivered?.();
    return () => {
      if (this.sink !== sink) return;
      this.sink = null;
      this.flow?.reset();
      this.startIdleClock();
    };
  }

  /** Brings a window that just attached to where the terminal is: connected, the recent screen, an open question, the end. */
  private replayTo(sink: TerminalSink): void {
    if (this.connected) sink({ type: 'connected' });
    const screen = this.recent.snapshot();
    if (screen.length > 0) {
      this.flow?.sent(screen.length);
      sink({ type: 'output', data: screen });
    }
    // A window that went away while a question was open (a reload) is asked again.
    if (this.question) sink({ type: 'hostKey', host: this.question.host, fingerprint: this.question.fingerprint });
    if (this.challenge) sink(this.challenge.event);
    if (this.exit) sink({ type: 'exit', exit: this.exit });
  }

  /** Starts counting down to ending this terminal, unless a window shows it or it has ended. */
  startIdleClock(): void {
    if (this.sink || this.exited || this.idleTimer) return;
    this.idleEndsAt = new Date(Date.now() + this.idle.ms).toISOString();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.idle.ended(this);
    }, this.idle.ms);
    this.idleTimer.unref();
  }

  private stopIdleClock(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.idleEndsAt = null;
  }

  /** Asks the window; "no" after `timeoutMs`, withdrawn (also "no") when the server hangs up first (`gone`). */
  ask(host: string, fingerprint: string, timeoutMs: number, gone: AbortSignal): Promise<boolean> {
    if (this.closing || gone.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(false), timeoutMs);
      this.question = { resolve, timer, host, fingerprint };
      gone.addEventListener('abort', () => this.answer(false), { once: true });
      this.emit({ type: 'hostKey', host, fingerprint });
    });
  }

  get asking(): boolean { return this.question !== null; }

  answer(yes: boolean): void {
    const question = this.question;
    if (!question) return;
    this.question = null;
    clearTimeout(question.timer);
    question.resolve(yes);
  }

  /** Keyboard-interactive: asks the window; rejects (→ ssh2 gets no answers) on cancel, close or timeout. */
  prompt(host: string, challenge: KeyboardChallenge, timeoutMs: number, gone: AbortSignal): Promise<string[]> {
    if (this.closing || gone.aborted) return Promise.reject(new Error('The terminal is closing.'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.answerPrompt(null, 'timed-out'), timeoutMs);
      gone.addEventListener('abort', () => this.answerPrompt(null), { once: true });
      const event = { type: 'prompt' as const, target: host, challenge };
      this.challenge = { resolve, reject, timer, event };
      this.unanswered = null;
      this.emit(event);
    });
  }

  get prompting(): KeyboardChallenge | null { return this.challenge?.event.challenge ?? null; }

  answerPrompt(answers: string[] | null, why: 'cancelled' | 'timed-out' = 'cancelled'): void {
    const challenge = this.challenge;
    if (!challenge) return;
    this.challenge = null;
    clearTimeout(challenge.timer);
    if (answers) challenge.resolve(answers);
    else {
      this.unanswered = why;
      challenge.reject(new Error(why));
    }
  }

  get attached(): boolean { return this.sink !== null; }

  get state(): LiveTerminalView['state'] {
    if (this.exited) return 'ended';
    if (this.connected) return 'connected';
    return this.question || this.challenge ? 'waiting' : 'connecting';
  }

  end(exit: TerminalExit): void {
    this.exited = true;
    this.stopIdleClock();
    this.input.stop();
    this.emit({ type: 'exit', exit });
    this.endedWith(exit);
  }
}

export class TerminalSessions {
  private readonly live = new Map<string, Terminal>();

  private readonly promptTimeoutMs: number;
  private readonly hostKeyTimeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly openSsh: OpenSsh, options: TerminalSessionsOptions = {}) {
    this.promptTimeoutMs = options.promptTimeoutMs ?? PROMPT_TIMEOUT_MS;
    this.hostKeyTimeoutMs = options.hostKeyTimeoutMs ?? HOST_KEY_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  }

  /** Runs the policy and starts connecting; resolves with the decision (a denial is already logged). */
  async open(request: TerminalOpenRequest): Promise<{ sessionId: string; decision: PolicyDecision }> {
    const sessionId = randomUUID();
    const terminal = new Terminal(sessionId, request, { ms: this.idleTimeoutMs, ended: (t) => this.endUnattended(t) });
    this.live.set(sessionId, terminal);
    let decided!: (decision: PolicyDecision) => void;
    const decision = new Promise<PolicyDecision>((resolve) => (decided = resolve));
    const prompts: SshPrompts = {
      confirmHostKey: (host, fingerprint, gone) => terminal.ask(host, fingerprint, this.hostKeyTimeoutMs, gone),
      respond: (challenge, host, gone) => terminal.prompt(host, challenge, this.promptTimeoutMs, gone),
    };
    const opening = this.openSsh({ siteId: request.siteId, ticket: request.ticket, target: request.target }, prompts, { sessionId, onDecision: decided });
    void opening.then(
      async ({ session }) => {
        if (!session) {
          this.live.delete(sessionId);
          return;
        }
        await this.run(terminal, session, request);
      },
      (error: unknown) => {
        const failure = error instanceof SshError ? error.failure : null;
        const hostKey = error instanceof SshError && error.hostKey ? { host: error.host, ...error.hostKey } : null;
        terminal.end({ code: null, signal: null, recording: null, sha256: null, error: unansweredNote(terminal.unanswered, failure) + (error as Error).message, failure, hostKey });
        this.retire(terminal);
      },
    ).catch((error: unknown) => log.error(`terminal ${sessionId} failed`, error));
    // A failure before the policy decided (an unknown site) is the caller's error.
    const first = await Promise.race([decision, opening.then((r) => r.decision)]);
    if (!first.allowed) this.live.delete(sessionId);
    else {
      terminal.decision = first;
      // The window attaches next; one that never does (reloaded meanwhile) does not keep it forever.
      terminal.startIdleClock();
    }
    return { sessionId, decision: first };
  }

  private async run(terminal: Terminal, session: SshSession, request: TerminalOpenRequest): Promise<void> {
    terminal.session = session;
    if (terminal.closing) session.close(terminal.endedBecause);
    try {
      const channel = await session.start({ shell: { cols: request.cols, rows: request.rows, term: 'xterm-256color' } });
      terminal.channel = channel;
      channel.limitReceiveWindow();
      terminal.flow = new FlowController(channel, { maxHigh: BULK_HIGH_WATER_MARK });
      terminal.emit({ type: 'connected' });
      terminal.input.release();
      session.pipeOutput((data) => terminal.output.push(data));
    } catch {
      // The channel could not open (the connection dropped): finish() logs why.
    }
    const result = await session.finish();
    terminal.output.flush();
    const failure = result.error ? (session.connection.lost?.failure ?? null) : null;
    terminal.end({ code: result.code, signal: result.signal, recording: result.recording, sha256: result.sha256, error: result.error, failure });
    this.retire(terminal);
  }

  /** Forgets an ended terminal once a window has its exit, or after ENDED_KEEP_MS when none attaches. */
  private retire(terminal: Terminal): void {
    if (terminal.attached) {
      this.live.delete(terminal.id);
      return;
    }
    const timer = setTimeout(() => this.live.delete(terminal.id), ENDED_KEEP_MS);
    timer.unref();
    terminal.delivered = () => {
      clearTimeout(timer);
      this.live.delete(terminal.id);
    };
  }

  private get(sessionId: string): Terminal {
    const terminal = this.live.get(sessionId);
    if (!terminal) throw new ApiError('NOT_FOUND', `There is no open terminal ${sessionId}; it may have ended.`);
    return terminal;
  }

  has(sessionId: string): boolean { return this.live.has(sessionId); }

  /** Every terminal the core holds, shown in a window or not (a reloaded window offers to reattach or end them). */
  list(): LiveTerminalView[] {
    return [...this.live.values()].map((t) => ({
      sessionId: t.id,
      siteId: t.request.siteId,
      site: t.decision?.site ?? null,
      host: t.decision?.host ?? t.request.target,
      target: t.request.target,
      ticket: t.request.ticket,
      startedAt: t.startedAt,
      attached: t.attached,
      state: t.state,
      idleEndsAt: t.idleEndsAt,
    }));
  }

  /** The terminal's SSH session once connected, null while it connects (port forwards ride on its connection). */
  sshSession(sessionId: string): SshSession | null { return this.get(sessionId).session; }

  /** Subscribes the window to a terminal's events (taking it over from any other window); returns the unsubscribe function. */
  attach(sessionId: string, sink: TerminalSink): () => void {
    return this.get(sessionId).attach(sink);
  }

  answerHostKey(sessionId: string, accept: boolean): void {
    const terminal = this.get(sessionId);
    if (!terminal.asking) throw new ApiError('CONFLICT', 'This terminal is not waiting for a host-key answer.');
    terminal.answer(accept);
  }

  /** The window's answers to the open keyboard-interactive challenge, or null to cancel it (the sign-in then fails). */
  answerPrompt(sessionId: string, answers: string[] | null): void {
    const terminal = this.get(sessionId);
    const challenge = terminal.prompting;
    if (!challenge) throw new ApiError('CONFLICT', 'This terminal is not waiting for sign-in answers.');
    if (answers && answers.length !== challenge.prompts.length) {
      throw new ApiError('INVALID_INPUT', `The server asked ${challenge.prompts.length} question(s); ${answers.length} answer(s) were given.`);
    }
    terminal.answerPrompt(answers);
  }

  /** Keystrokes go through the session, which records them first when the site records input. */
  write(sessionId: string, data: Buffer): void {
    const terminal = this.get(sessionId);
    // Someone is typing: output that follows their keystrokes must not wait behind a bulk-sized window.
    terminal.flow?.input();
    terminal.input.push(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.get(sessionId).session?.resize(cols, rows);
  }

  ack(sessionId: string, bytes: number, heldMs?: number): void {
    this.get(sessionId).flow?.acknowledged(bytes, heldMs);
  }

  /** The flow controller's view, for tests and diagnostics. */
  flow(sessionId: string): { unacknowledged: number; paused: boolean } | null {
    const flow = this.get(sessionId).flow;
    return flow ? { unacknowledged: flow.unacknowledged, paused: flow.paused } : null;
  }

  /** Disconnects (refusing a pending host-key question) and resolves once the end is logged. */
  async close(sessionId: string): Promise<TerminalExit> {
    return this.end(this.get(sessionId), null);
  }

  private end(terminal: Terminal, because: SessionEnd | null): Promise<TerminalExit> {
    if (!terminal.closing) terminal.endedBecause = because;
    terminal.closing = true;
    terminal.answer(false);
    terminal.answerPrompt(null);
    terminal.session?.close(terminal.endedBecause);
    return terminal.ended;
  }

  /** The idle clock ran out: nobody attached for `idleTimeoutMs`, so the session ends and the log says why. */
  private endUnattended(terminal: Terminal): void {
    const reason = `No window was attached for ${describeDuration(this.idleTimeoutMs)}; Switchboard ended the session.`;
    log.info(`terminal ${terminal.id}: ${reason}`);
    void this.end(terminal, { outcome: IDLE_OUTCOME, reason });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.close(id).catch(() => undefined)));
  }
}

/** "15 minutes", "1 minute", "300 ms": for the sentence in the log. */
export function describeDuration(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  if (ms % 1000 === 0) return ms === 1000 ? '1 second' : `${ms / 1000} seconds`;
  return `${ms} ms`;
}

/** A sign-in that failed because nobody answered the server's questions says so first. */
function unansweredNote(unanswered: 'cancelled' | 'timed-out' | null, failure: SshFailure | null): string {
  if (failure !== 'auth-failed' || !unanswered) return '';
  return unanswered === 'cancelled'
    ? 'Sign-in cancelled: the server\'s questions were not answered. '
    : 'Sign-in questions went unanswered for too long (they count as no answer). ';
}
