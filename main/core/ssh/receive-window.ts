import type { ClientChannel } from 'ssh2';

/**
 * A small, consumer-driven receive window for an interactive channel.
 *
 * ssh2 grants the server a 2 MiB window and tops it up whenever half is used; a paused channel stream
 * still buffers up to another 2 MiB. During a flood (`yes`) that is megabytes queued *upstream* of the
 * terminal, and a Ctrl-C has to wait for all of it to reach the window. This takes the channel's window
 * over: credit is given back only for bytes the channel has *delivered* (not merely received), and never
 * more than `limit` in all. A paused channel therefore holds at most `limit` bytes, already here and
 * ready the moment it resumes, and what sits between the remote pty and the window is bounded by
 * `limit` plus the flow controller's mark.
 *
 * It relies on ssh2 1.x internals (`incoming.window`, `outgoing.id`/`state`,
 * `_client._protocol.channelWindowAdjust`); the constructor checks they are there, and the
 * integration test that floods a real sshd fails if the takeover stops working.
 */

/** Credit granted to the server at most; also the burst one round trip can carry. */
export const DEFAULT_RECEIVE_WINDOW = 256 * 1024;

/** Large enough that ssh2's own "top up at half of 2 MiB" never triggers, re-set on every chunk. */
const SSH2_NEVER_ADJUSTS = 2 ** 30;

interface Ssh2ChannelInternals {
  incoming: { window: number };
  outgoing: { id: number; state: string };
  _client: { _protocol: { channelWindowAdjust(id: number, amount: number): void } };
}

function internals(stream: ClientChannel): Ssh2ChannelInternals {
  return stream as unknown as Ssh2ChannelInternals;
}

/** Whether this ssh2 channel exposes what the takeover needs. */
function receiveWindowSupported(stream: ClientChannel): boolean {
  const s = internals(stream) as Partial<Ssh2ChannelInternals>;
  return typeof s.incoming?.window === 'number'
    && typeof s.outgoing?.id === 'number'
    && typeof s._client?._protocol?.channelWindowAdjust === 'function';
}

export class ReceiveWindow {
  /** Bytes the server may still send without a further adjust (our accounting; never below the truth). */
  private credit: number;

  constructor(private readonly stream: ClientChannel, private readonly limit = DEFAULT_RECEIVE_WINDOW) {
    if (!receiveWindowSupported(stream)) throw new Error('This ssh2 version does not expose the channel window; cannot limit it.');
    const channel = internals(stream);
    this.credit = channel.incoming.window;
    channel.incoming.window = SSH2_NEVER_ADJUSTS;
  }

  /** `bytes` were delivered by the channel (stdout or stderr): they used up credit. */
  delivered(bytes: number): void {
    this.credit = Math.max(0, this.credit - bytes);
    internals(this.stream).incoming.window = SSH2_NEVER_ADJUSTS;
    this.grant();
  }

  /** Tops the server's credit back up to `limit` once it has used half (fewer, larger adjust messages). */
  private grant(): void {
    if (this.credit > this.limit / 2) return;
    const channel = internals(this.stream);
    if (channel.outgoing.state !== 'open') return;
    const amount = this.limit - this.credit;
    this.credit += amount;
    channel._client._protocol.channelWindowAdjust(channel.outgoing.id, amount);
  }
}
