import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { PolicyDecision } from '../../../contract/models';
import type { ChangedHostKey } from '../../../contract/terminal-protocol';
import { createLogger } from '../logger';
import type { ConnectionRequest } from '../policy/authorize';
import type { KeyboardChallenge } from '../ssh/auth';
import { FlowController } from '../ssh/flow-control';
import { SshError, type SshFailure } from '../ssh/ssh-errors';
import { InputPacer } from './input-pacer';
import { OutputBatcher } from './output-batcher';
import type { SshChannel } from '../ssh/ssh-channel';
import type { SshPrompts, SshSession } from './ssh-session';

/**
 * The window's live SSH terminals. A terminal is opened in two halves so the window can take part
 * in the connect: `open` returns as soon as the policy has decided (the window then attaches to the
 * session's events), while the connection goes on — waiting on the window for a first-use host key.
 * Output is counted by a FlowController, which pauses the SSH channel while the window lags.
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
  | { type: 'exit'; exit: TerminalExit };

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

export interface TerminalSessionsOptions { promptTimeoutMs?: number; hostKeyTimeoutMs?: number }

const log = createLogger('terminals');

class Terminal {
  session: SshSession | null = null;
  channel: SshChannel | null = null;
  flow: FlowController | null = null;
  ended: Promise<TerminalExit>;
  private endedWith!: (exit: TerminalExit) => void;
  private sink: TerminalSink | null = null;
  private readonly queue: TerminalEvent[] = [];
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

  constructor(readonly id: string) {
    this.ended = new Promise((resolve) => (this.endedWith = resolve));
    // What is typed while connecting (a command typed ahead) is sent once the shell is there.
    this.input.hold(MAX_TYPE_AHEAD);
  }

  /** Delivers to the window, or holds events until one attaches (bounded: unacked output pauses the channel). */
  emit(event: TerminalEvent): void {
    if (this.sink) this.sink(event);
    else this.queue.push(event);
  }

  attach(sink: TerminalSink): () => void {
    if (this.sink) throw new ApiError('CONFLICT', `Terminal ${this.id} is already shown in another window.`);
    this.sink = sink;
    const queued = this.queue.splice(0);
    // A window that went away while a question was open (a reload) is asked again.
    if (this.question && !queued.some((e) => e.type === 'hostKey')) queued.unshift({ type: 'hostKey', host: this.question.host, fingerprint: this.question.fingerprint });
    if (this.challenge && !queued.some((e) => e.type === 'prompt')) queued.unshift(this.challenge.event);
    for (const event of queued) sink(event);
    if (this.exited) this.delivered?.();
    return () => {
      if (this.sink !== sink) return;
      this.sink = null;
      // Whatever the old window had not acknowledged is lost with it.
      this.flow?.reset();
    };
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

  end(exit: TerminalExit): void {
    this.exited = true;
    this.input.stop();
    this.emit({ type: 'exit', exit });
    this.endedWith(exit);
  }
}

export class TerminalSessions {
  private readonly live = new Map<string, Terminal>();

  private readonly promptTimeoutMs: number;
  private readonly hostKeyTimeoutMs: number;

  constructor(private readonly openSsh: OpenSsh, options: TerminalSessionsOptions = {}) {
    this.promptTimeoutMs = options.promptTimeoutMs ?? PROMPT_TIMEOUT_MS;
    this.hostKeyTimeoutMs = options.hostKeyTimeoutMs ?? HOST_KEY_TIMEOUT_MS;
  }

  /** Runs the policy and starts connecting; resolves with the decision (a denial is already logged). */
  async open(request: TerminalOpenRequest): Promise<{ sessionId: string; decision: PolicyDecision }> {
    const sessionId = randomUUID();
    const terminal = new Terminal(sessionId);
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
    return { sessionId, decision: first };
  }

  private async run(terminal: Terminal, session: SshSession, request: TerminalOpenRequest): Promise<void> {
    terminal.session = session;
    if (terminal.closing) session.connection.close();
    try {
      const channel = await session.start({ shell: { cols: request.cols, rows: request.rows, term: 'xterm-256color' } });
      terminal.channel = channel;
      channel.limitReceiveWindow();
      terminal.flow = new FlowController(channel);
      terminal.emit({ type: 'connected' });
      terminal.input.release();
      session.pipeOutput((data) => {
        terminal.flow!.sent(data.length);
        terminal.output.push(data);
      });
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

  /** The terminal's SSH session once connected, null while it connects (port forwards ride on its connection). */
  sshSession(sessionId: string): SshSession | null { return this.get(sessionId).session; }

  /** Subscribes the window to a terminal's events; returns the unsubscribe function. */
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
    this.get(sessionId).input.push(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.get(sessionId).session?.resize(cols, rows);
  }

  ack(sessionId: string, bytes: number): void {
    this.get(sessionId).flow?.acknowledged(bytes);
  }

  /** The flow controller's view, for tests and diagnostics. */
  flow(sessionId: string): { unacknowledged: number; paused: boolean } | null {
    const flow = this.get(sessionId).flow;
    return flow ? { unacknowledged: flow.unacknowledged, paused: flow.paused } : null;
  }

  /** Disconnects (refusing a pending host-key question) and resolves once the end is logged. */
  async close(sessionId: string): Promise<TerminalExit> {
    const terminal = this.get(sessionId);
    terminal.closing = true;
    terminal.answer(false);
    terminal.answerPrompt(null);
    terminal.session?.connection.close();
    return terminal.ended;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.close(id).catch(() => undefined)));
  }
}

/** A sign-in that failed because nobody answered the server's questions says so first. */
function unansweredNote(unanswered: 'cancelled' | 'timed-out' | null, failure: SshFailure | null): string {
  if (failure !== 'auth-failed' || !unanswered) return '';
  return unanswered === 'cancelled'
    ? 'Sign-in cancelled: the server\'s questions were not answered. '
    : 'Sign-in questions went unanswered for too long (they count as no answer). ';
}
