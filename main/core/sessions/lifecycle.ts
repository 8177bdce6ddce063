import type { CurrentEngineer } from '../who';
import { randomUUID } from 'node:crypto';
import type { EndOutcome, StartOutcome } from '../../../contract/domain/outcomes';
import { ApiError } from '../../../contract/errors';
import type { PolicyDecision } from '../../../contract/models';
import { createLogger } from '../logger';
import type { AccessPolicy, AccessRequest } from '../services/access-policy';
import { attemptEvent, logBase, type LogBase } from '../session-log/attempt';
import type { SessionLog } from '../session-log/session-log';
import type { SessionEvent } from '../session-log/types';

const log = createLogger('lifecycle');

export interface SessionLifecycleDeps { log: SessionLog; policy: AccessPolicy; engineer: CurrentEngineer }

export interface BeginOptions {
  /** Chosen by the caller when the window needs the id before the decision (terminals). */
  sessionId?: string;
  /** What the attempt event adds (a forward's carrier, a `--print`, presenter confirmation…). */
  detail?: Record<string, unknown>;
  /** A further rule of this access method on top of the policy's answer (a forward's port), which may turn an allow into a deny. */
  refine?(decision: PolicyDecision): PolicyDecision;
}

/** The counters an end may carry. */
export interface EndCounters { bytesIn?: number; bytesOut?: number }

/**
 * One session of any access method, from the policy's decision to its end, as the session log sees
 * it. Every method goes the same way: `SessionLifecycle.begin` authorizes and writes the attempt; an
 * allowed run then is `started` (something is running) and `end`ed exactly once, with a typed outcome.
 * What differs per method (SSH's hops and host keys, a console's certificate, a VPN client's process)
 * stays in that method's module; the shape of the record does not.
 */
export class SessionRun {
  private phase: 'attempted' | 'started' | 'ended';

  constructor(private readonly log: SessionLog, readonly base: LogBase, readonly decision: PolicyDecision) {
    this.phase = decision.allowed ? 'attempted' : 'ended';
  }

  get sessionId(): string { return this.base.sessionId; }
  get allowed(): boolean { return this.decision.allowed; }
  /** The IP the policy approved; connect there and nowhere else. */
  get address(): string {
    if (!this.decision.allowed || !this.decision.address) throw new ApiError('INTERNAL', `Session ${this.sessionId} was not allowed; it has no approved address.`);
    return this.decision.address;
  }
  get ended(): boolean { return this.phase === 'ended'; }

  /** Something is running now (a shell, a client process, a listener, a console window). */
  started(outcome: StartOutcome, detail: Record<string, unknown>): SessionEvent {
    if (this.phase !== 'attempted') throw new ApiError('INTERNAL', `Session ${this.sessionId} cannot start: it is ${this.phase}.`);
    this.phase = 'started';
    return this.log.append({ ...this.base, kind: 'started', outcome, detail });
  }

  /**
   * A step within the running session that is not its end — a file transferred (or refused) over its
   * connection. Recorded only between start and end: a session's events stay in their order.
   */
  step(kind: 'transfer', fields: { decision: 'allow' | 'deny'; reasons?: string[]; detail: Record<string, unknown> }): SessionEvent {
    if (this.phase !== 'started') throw new ApiError('CONFLICT', `Session ${this.sessionId} is ${this.phase}; nothing more can happen in it.`);
    return this.log.append({ ...this.base, kind, decision: fields.decision, reasons: (fields.reasons ?? []).map((r) => r.replace(/[\r\n]+/g, ' ')), detail: fields.detail });
  }

  /**
   * The session's one end. A second end (a close racing a loss) is ignored, and a log that cannot be
   * written is reported, not thrown: an end comes from callbacks that must not take the process down.
   */
  end(outcome: EndOutcome, detail: Record<string, unknown> = {}, counters: EndCounters = {}): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    try {
      this.log.append({ ...this.base, kind: 'ended', outcome, detail, ...counters });
    } catch (error) {
      log.error(`could not record the end of session ${this.sessionId} (${outcome})`, error);
    }
  }

  /** Ends the run as failed with the error's sentence (and its stable code), and returns the error for the caller to throw. */
  fail(error: unknown, detail: Record<string, unknown> = {}): ApiError {
    const failure = error instanceof ApiError ? error : new ApiError('INTERNAL', (error as Error)?.message ?? String(error));
    this.end('failed', { error: failure.message, code: failure.code, ...detail });
    return failure;
  }
}

/** Authorizes and opens the record of every session, whatever the access method. */
export class SessionLifecycle {
  constructor(private readonly deps: SessionLifecycleDeps) {}

  async begin(request: AccessRequest, options: BeginOptions = {}): Promise<SessionRun> {
    const checked = await this.deps.policy.check(request);
    return this.attempt(request, options.refine ? options.refine(checked) : checked, options);
  }

  /** Records the attempt for a decision already made (the connect flow's shown denial); `begin` is check + this. */
  attempt(request: AccessRequest, decision: PolicyDecision, options: Omit<BeginOptions, 'refine'> = {}): SessionRun {
    const base = logBase(options.sessionId ?? randomUUID(), this.deps.engineer(), request, decision, request.method);
    // A recorded exception that let a method through is part of every attempt it allowed.
    const detail = { ...options.detail, ...(decision.approval ? { approval: decision.approval } : {}) };
    this.deps.log.append(attemptEvent(base, decision, Object.keys(detail).length > 0 ? { detail } : {}));
    return new SessionRun(this.deps.log, base, decision);
  }
}
