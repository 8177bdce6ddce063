import { createLogger } from '../logger';
import type { SessionEvent } from '../session-log/types';
import type { CheckpointReason, Checkpoints } from './checkpoints';
import type { Identities } from './identity';

const log = createLogger('checkpoints');

/** The records after which the log is signed again: a session's end (or denial) and every non-session record. */
function reasonFor(event: SessionEvent): CheckpointReason | null {
  if (event.kind === 'ended' || event.kind === 'interrupted') return 'session-end';
  if (event.kind === 'attempt') return event.decision === 'deny' ? 'session-end' : null;
  if (event.kind === 'policy-change') return 'policy-change';
  if (event.kind === 'started' || event.kind === 'summary') return null;
  return 'record';
}

/**
 * Signs a checkpoint soon after each record that ends something, off the caller's path: many records in
 * one turn (an import, a recovery) make one checkpoint, and a signing failure (no identity, a locked
 * keychain) is logged, never thrown into the session that triggered it. `idle()` lets a short-lived CLI
 * wait for the signature before it exits.
 */
export class CheckpointScheduler {
  private running: Promise<void> = Promise.resolve();
  private pending: CheckpointReason | null = null;
  private lastFailure: string | null = null;

  constructor(private readonly checkpoints: Checkpoints, private readonly identities: Identities) {}

  appended(event: SessionEvent): void {
    const reason = reasonFor(event);
    if (!reason || !this.identities.current()) return;
    if (this.pending) return; // one checkpoint covers everything appended before it runs
    this.pending = reason;
    this.running = this.running.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.signPending());
  }

  /** Resolves once every scheduled checkpoint is signed (or has failed and been logged). */
  idle(): Promise<void> {
    return this.running;
  }

  /** Why the last automatic checkpoint failed, if it did (shown by Verify and `log verify`). */
  failure(): string | null {
    return this.lastFailure;
  }

  private async signPending(): Promise<void> {
    const reason = this.pending;
    this.pending = null;
    if (!reason) return;
    try {
      await this.checkpoints.sign(reason);
      this.lastFailure = null;
    } catch (error) {
      this.lastFailure = (error as Error).message;
      log.error(`could not sign a checkpoint after a ${reason}: ${this.lastFailure}`);
    }
  }
}
