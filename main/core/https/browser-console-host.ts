import type { ExternalOpener } from '../launchers/external-opener';
import type { ConsoleHost, ConsoleSpec } from './console-host';

/**
 * Browser mode (and the CLI): there is no second window with its own partition, so the console URL
 * the core built goes to the engineer's browser through the system opener, on its console-only
 * path. From then on the browser does its own certificate check; Switchboard sees nothing more.
 */
export class BrowserConsoleHost implements ConsoleHost {
  readonly shownIn = 'browser';

  constructor(private readonly opener: ExternalOpener) {}

  async show(spec: ConsoleSpec): Promise<void> {
    await this.opener.open(spec.url, 'console');
  }

  close(): boolean {
    return false;
  }
}
