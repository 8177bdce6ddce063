import type { ApiHandlers } from '../../../contract/api';
import { decideShown } from '../connect-flow/shown-decision';
import { recentConnections } from '../connect-flow/recent-connections';
import type { CoreServices } from '../services';
import type { SessionLog } from '../session-log/session-log';

type ConnectFlowMethods = 'policy.decide' | 'connections.recent';

export interface ConnectFlowDeps {
  services: CoreServices;
  /** Where a denial the engineer was shown is recorded (services.sessionLog only reads). */
  deniedAttempts: { log: SessionLog; engineer: string };
}

/** What the window's connect flow needs besides opening sessions: the decision it shows, and recent connections. */
export function createConnectFlowHandlers({ services, deniedAttempts }: ConnectFlowDeps): Pick<ApiHandlers, ConnectFlowMethods> {
  const { engineer } = deniedAttempts;
  return {
    'policy.decide': (request) => decideShown({ policy: services.policy, ...deniedAttempts }, request),
    'connections.recent': ({ limit }) => recentConnections({ sessionLog: services.sessionLog, tickets: services.tickets, engineer }, limit),
  };
}
