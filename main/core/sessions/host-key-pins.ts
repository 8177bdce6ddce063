import type { CurrentEngineer } from '../who';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { HostKeyReplaced, PolicyDecision } from '../../../contract/models';
import { pinnedHostKey, replacePinnedHostKey } from '../directory/host-key-pin-store';
import { getSite } from '../directory/sites';
import type { ConnectionRequest } from '../policy/authorize';
import type { SessionLog } from '../session-log/session-log';
import type { Db } from '../store/database';
import { attemptEvent, logBase } from '../session-log/attempt';
import { recordPolicyChange } from '../policy-record/recorder';

export interface HostKeyPinDeps {
  db: Db;
  log: SessionLog;
  engineer: CurrentEngineer;
  check(request: Omit<ConnectionRequest, 'engineer'>): Promise<PolicyDecision>;
}

export interface ReplaceHostKeyRequest { siteId: number; ticket: string; host: string; previous: string; fingerprint: string; reason: string }

/**
 * Replacing a pinned host key is the one way past a "REMOTE HOST IDENTIFICATION HAS CHANGED" refusal,
 * so it is a deliberate act with a trail: it needs a ticket the policy accepts for SSH to that host, the
 * pin the engineer saw (a stale window cannot overwrite a newer pin), and a reason saying how the new
 * fingerprint was confirmed. It goes into the session log (hash-chained) as an entry of its own on the
 * ticket, with both fingerprints, whether it was refused or done.
 */
export async function replaceHostKey(deps: HostKeyPinDeps, request: ReplaceHostKeyRequest): Promise<HostKeyReplaced> {
  const site = getSite(deps.db, request.siteId);
  const host = site.hosts.find((h) => h.name === request.host);
  if (!host?.ssh) throw new ApiError('NOT_FOUND', `${site.customerName}/${site.name} has no SSH host "${request.host}".`);
  if (request.previous === request.fingerprint) throw new ApiError('INVALID_INPUT', 'The new fingerprint is the one already pinned; there is nothing to replace.');

  const decision = await deps.check({ siteId: request.siteId, ticket: request.ticket, target: host.name, method: 'ssh' });
  const sessionId = randomUUID();
  const base = { ...logBase(sessionId, deps.engineer(), { ...request, target: host.name }, decision, 'ssh'), host: host.name };
  const detail = { action: 'replace-host-key', previous: request.previous, fingerprint: request.fingerprint, reason: request.reason };
  const current = pinnedHostKey(deps.db, host.id);
  const refusal = !decision.allowed
    ? `Not replaced: ${decision.reasons.join(' ')}`
    : current !== request.previous
      ? `Not replaced: the pinned key of ${host.name} is now ${current ?? 'not set'}, not ${request.previous}. Reload and look again.`
      : null;

  deps.db.transaction(() => {
    deps.log.append(attemptEvent(base, decision, { outcome: refusal ? 'denied' : 'allowed', detail }));
    if (refusal) {
      deps.log.append({ ...base, kind: 'ended', outcome: 'refused', detail: { ...detail, error: refusal } });
      return;
    }
    recordPolicyChange(deps.db, { engineer: deps.engineer(), via: 'pin-replace', ticket: request.ticket }, () => replacePinnedHostKey(deps.db, host.id, request.fingerprint));
    deps.log.append({ ...base, kind: 'ended', outcome: 'host-key-replaced', detail });
  })();
  if (refusal) throw new ApiError(decision.allowed ? 'CONFLICT' : 'UNAUTHORIZED', refusal);
  return { sessionId, host: host.name, previous: request.previous, fingerprint: request.fingerprint };
}
