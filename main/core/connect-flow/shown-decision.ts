import type { ShownDecision } from '../../../contract/connect-flow';
import type { AccessPolicy, AccessRequest } from '../services/access-policy';
import type { SessionLifecycle } from '../sessions/lifecycle';

export interface ShownDecisionDeps { policy: AccessPolicy; lifecycle: SessionLifecycle }

/**
 * The decision the connect flow shows the engineer before anything connects (issue 8 §2). A denial the
 * engineer sees is a denied attempt in the session log, like the CLI's `connect`: it is written here,
 * in the same call that decides, so no window can show one that is not recorded, and each call is one
 * decision with one record. An allowed answer writes nothing: the connect that follows decides again
 * and logs the attempt. `policy.check` stays the dry run for both.
 */
export async function decideShown(deps: ShownDecisionDeps, request: AccessRequest): Promise<ShownDecision> {
  const decision = await deps.policy.check(request);
  if (decision.allowed) return { decision: { ...decision, allowed: true }, loggedAs: null };
  const detail = { shownIn: 'connect-flow', ...(request.presenterConfirmed ? { presenterConfirmed: true } : {}) };
  const run = deps.lifecycle.attempt(request, decision, { detail });
  return { decision: { ...decision, allowed: false }, loggedAs: run.sessionId };
}
