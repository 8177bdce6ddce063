/** What the window's connect flow asks of the core beyond opening a session: the decision it shows, and recent connections. */
import { z } from 'zod';
import type { Method } from './domain/vocabulary';
import type { Id, PolicyDecision } from './models';

export const connectFlowInputs = {
  recentConnections: z.strictObject({ limit: z.number().int().min(1).max(20).optional() }),
};

/**
 * The policy's answer as the engineer is shown it before anything connects. A denial has been recorded
 * in the session log as a denied attempt (`loggedAs` is its session id): the window cannot hold a
 * denial that is not in the log. An allowed decision logs nothing; the connect that follows logs the
 * attempt with its own, fresh decision.
 */
export type ShownDecision =
  | { decision: PolicyDecision & { allowed: true }; loggedAs: null }
  | { decision: PolicyDecision & { allowed: false }; loggedAs: string };

/** A site/host/method/ticket this engineer connected to lately (allowed, ticket still open), newest first. */
export interface RecentConnection {
  siteId: Id;
  /** "Customer/site", as the log records it. */
  site: string;
  host: string;
  method: Method;
  ticket: string;
  /** When the last allowed attempt of this combination started. */
  lastAt: string;
}
