import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import type { PortForwards } from '../sessions/forwards';
import type { TerminalSessions } from '../sessions/terminal-sessions';

type ForwardMethods = 'forwards.open' | 'forwards.list' | 'forwards.close';

export interface ForwardDeps { terminals: TerminalSessions; forwards: PortForwards }

/** Local port forwards through the window's live SSH terminals. */
export function createForwardHandlers({ terminals, forwards }: ForwardDeps): Pick<ApiHandlers, ForwardMethods> {
  return {
    'forwards.open': ({ sessionId, host, port, localPort }) => {
      const session = terminals.sshSession(sessionId);
      if (!session) throw new ApiError('CONFLICT', 'This terminal is still connecting; open a forward once it is connected.');
      return forwards.open({ sessionId, connection: session.connection }, { host, port, localPort });
    },
    'forwards.list': ({ sessionId }) => forwards.list(sessionId),
    'forwards.close': ({ forwardId }) => forwards.close(forwardId),
  };
}
