import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';
import { USAGE } from './usage';

/**
 * Every flag the CLI takes, for every command (node:util parseArgs, strict): a flag missing here is
 * refused before any command runs, so tests/unit/cli-usage-flags.test.ts holds the help to this table.
 */
export const CLI_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  key: { type: 'string' },
  kind: { type: 'string' },
  site: { type: 'string' },
  id: { type: 'string' },
  type: { type: 'string' },
  component: { type: 'string' },
  seats: { type: 'string' },
  calls: { type: 'string' },
  'cannot-take-calls': { type: 'string' },
  'cannot-login': { type: 'string' },
  'calls-rejected': { type: 'string' },
  summary: { type: 'string' },
  target: { type: 'string' },
  method: { type: 'string' },
  ticket: { type: 'string' },
  print: { type: 'boolean', default: false },
  snapshot: { type: 'string' },
  'view-only': { type: 'boolean', default: false },
  'presenter-confirmed': { type: 'boolean', default: false },
  'accept-new-host-key': { type: 'boolean', default: false },
  forward: { type: 'string', multiple: true },
  format: { type: 'string' },
  outcome: { type: 'string' },
  engineer: { type: 'string' },
  limit: { type: 'string' },
  reason: { type: 'string' },
  host: { type: 'string' },
  fingerprint: { type: 'string' },
  until: { type: 'string' },
  'record-input': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  name: { type: 'string' },
  db: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  out: { type: 'string' },
  'trust-lead': { type: 'string' },
  'from-store': { type: 'boolean', default: false },
  customer: { type: 'string' },
  state: { type: 'string' },
  status: { type: 'string' },
  comment: { type: 'string' },
  since: { type: 'string' },
  'witness-out': { type: 'string' },
  all: { type: 'boolean', default: false },
  'end-rca-wait': { type: 'boolean', default: false },
  evidence: { type: 'boolean', default: false },
  overwrite: { type: 'boolean', default: false },
  recursive: { type: 'boolean', short: 'r', default: false },
  mine: { type: 'boolean', default: false },
  team: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: CLI_OPTIONS });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}
