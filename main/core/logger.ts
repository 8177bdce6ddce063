/** One prefixed logger per module; quiet in tests unless SWITCHBOARD_LOG=debug. Never pass it a secret. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function createLogger(scope: string): Logger {
  const debug = process.env.SWITCHBOARD_LOG === 'debug';
  const prefix = `[switchboard:${scope}]`;
  return {
    debug: (m, ...d) => { if (debug) console.error(prefix, m, ...d); },
    info: (m, ...d) => { if (debug || process.env.SWITCHBOARD_LOG === 'info') console.error(prefix, m, ...d); },
    error: (m, ...d) => console.error(prefix, m, ...d),
  };
}
