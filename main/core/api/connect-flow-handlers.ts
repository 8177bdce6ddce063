import type { CurrentEngineer } from '../who';
import type { ApiHandlers } from '../../../contract/api';
import { decideShown } from '../connect-flow/shown-decision';
import { recentConnections } from '../connect-flow/recent-connections';
import type { CoreServices } from '../services';
import type { SessionLifecycle } from '../sessions/lifecycle';

type ConnectFlowMethods = 'policy.decide' | 'connections.recent';

export interface ConnectFlowDeps {
  services: CoreServices;
  /** A denial the engineer was shown is recorded as an attempt, like every other. */
  lifecycle: SessionLifecycle;
  engineer: CurrentEngineer;
}

/** What the window's connect flow needs besides opening sessions: the decision it shows, and recent connections. */
export function createConnectFlowHandlers({ services, lifecycle, engineer }: ConnectFlowDeps): Pick<ApiHandlers, ConnectFlowMethods> {
  return {
    'policy.decide': (request) => decideShown({ policy: services.policy, lifecycle }, request),
    'connections.recent': ({ limit }) => recentConnections({ sessionLog: services.sessionLog, tickets: services.tickets, engineer }, limit),
  };
}
