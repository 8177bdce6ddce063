import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';
import { ApiError } from '../../../contract/errors';
import type { HostKeyReplaced } from '../../../contract/models';

const REPIN_USAGE = 'usage: switchboard hosts repin --site "CUSTOMER/SITE" --host HOST --ticket TICKET --fingerprint SHA256:… --reason "how it was confirmed"';

/**
 * Replaces a host's pinned SSH host key, after "REMOTE HOST IDENTIFICATION HAS CHANGED" — only once the
 * customer confirmed the new fingerprint. Same rules as the window: a ticket the policy accepts, a reason,
 * an entry in the session log.
 */
export async function hostsRepin(ctx: CliContext, args: string[], flags: { site?: string; host?: string; ticket?: string; fingerprint?: string; reason?: string }): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected "${args.join(' ')}"\n${REPIN_USAGE}`);
  if (!flags.host || !flags.ticket || !flags.fingerprint || !flags.reason) throw new UsageError(REPIN_USAGE);
  const core = ctx.core();
  const siteId = await resolveSiteRef(core, flags.site);
  const host = (await core.services.directory.getSite(siteId)).hosts.find((h) => h.name === flags.host);
  const previous = host?.ssh?.hostKey;
  if (host?.ssh && !previous) throw new UsageError(`${flags.host} has no pinned host key to replace; the first connection asks for it (or set it in the host).`);
  // Through the contract, so the fingerprint and the reason are checked exactly as from the window.
  const result = await core.dispatch('hosts.replaceHostKey', { siteId, ticket: flags.ticket, host: flags.host, previous: previous ?? '', fingerprint: flags.fingerprint, reason: flags.reason });
  if (!result.ok) throw ApiError.fromData(result.error);
  const done = result.value as HostKeyReplaced;
  console.log(`Pinned host key of ${done.host} replaced: ${done.previous} → ${done.fingerprint} (recorded in the session log as ${done.sessionId}).`);
  return 0;
}
