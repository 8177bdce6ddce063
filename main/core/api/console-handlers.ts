import type { ApiHandlers } from '../../../contract/api';
import type { ConsoleSessions } from '../https/console-sessions';

type ConsoleMethods = 'consoles.open' | 'consoles.close';

export interface ConsoleDeps { consoles: ConsoleSessions }

/** HTTPS consoles: opened through the policy and the certificate check; closing one logs its end. */
export function createConsoleHandlers({ consoles }: ConsoleDeps): Pick<ApiHandlers, ConsoleMethods> {
  return {
    'consoles.open': (request) => consoles.open(request),
    'consoles.close': async ({ sessionId }) => (await consoles.close(sessionId), { closed: true }),
  };
}
