import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { PolicyDecision } from '../../../contract/models';
import { createLogger } from '../logger';
import type { ConnectionRequest } from '../policy/authorize';
import { FlowController } from '../ssh/flow-control';
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

export interface TerminalExit { code: number | null; signal: string | null; recording: string | null; sha256: string | null; error: string | null }

export type TerminalEvent =
  | { type: 'output'; data: Buffer }
  | { type: 'hostKey'; host: string; fingerprint: string }
  | { type: 'connected' }
  | { type: 'exit'; exit: TerminalExit };

export type TerminalSink = (event: TerminalEvent) => void;

/** `core.openSsh`, with the session id chosen by the caller and the decision reported as soon as it is made. */
export type OpenSsh = (
  request: Omit<ConnectionRequest, 'engineer' | 'method'>,
  prompts: SshPrompts,
  options: { sessionId: string; onDecision: (decision: PolicyDecision) => void },
) => Promise<{ sessionId: string; decision: PolicyDecision; session: SshSession | null }>;

/** How long a host-key question waits for the window before it counts as "no". */
export const HOST_KEY_TIMEOUT_MS = 5 * 60_000;

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
  closing = false;
  /** Output joined into fewer, larger frames for the window. */
  readonly output = new OutputBatcher((data) => this.emit({ type: 'output', data }));

  constructor(readonly id: string) {
    this.ended = new Promise((resolve) => (this.endedWith = resolve));
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
    for (const event of queued) sink(event);
    return () => {
      if (this.sink !== sink) return;
      this.sink = null;
      // Whatever the old window had not acknowledged is lost with it.
      this.flow?.reset();
    };
  }

  ask(host: string, fingerprint: string): Promise<boolean> {
    if (this.closing) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(false), HOST_KEY_TIMEOUT_MS);
      this.question = { resolve, timer, host, fingerprint };
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

  end(exit: TerminalExit): void {
    this.emit({ type: 'exit', exit });
    this.endedWith(exit);
  }
}

export class TerminalSessions {
  private readonly live = new Map<string, Terminal>();

  constructor(private readonly openSsh: OpenSsh) {}

  /** Runs the policy and starts connecting; resolves with the decision (a denial is already logged). */
  async open(request: TerminalOpenRequest): Promise<{ sessionId: string; decision: PolicyDecision }> {
    const sessionId = randomUUID();
    const terminal = new Terminal(sessionId);
    this.live.set(sessionId, terminal);
    let decided!: (decision: PolicyDecision) => void;
    const decision = new Promise<PolicyDecision>((resolve) => (decided = resolve));
    const prompts: SshPrompts = { confirmHostKey: (host, fingerprint) => terminal.ask(host, fingerprint) };
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
        terminal.end({ code: null, signal: null, recording: null, sha256: null, error: (error as Error).message });
        this.live.delete(sessionId);
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
      session.pipeOutput((data) => {
        terminal.flow!.sent(data.length);
        terminal.output.push(data);
      });
    } catch {
      // The channel could not open (the connection dropped): finish() logs why.
    }
    const result = await session.finish();
    terminal.output.flush();
    this.live.delete(terminal.id);
    terminal.end({ code: result.code, signal: result.signal, recording: result.recording, sha256: result.sha256, error: result.error });
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

  /** Keystrokes go through the session, which records them first when the site records input. */
  write(sessionId: string, data: Buffer): void {
    this.get(sessionId).session?.input(data);
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
    terminal.session?.connection.close();
    return terminal.ended;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.close(id).catch(() => undefined)));
  }
}
