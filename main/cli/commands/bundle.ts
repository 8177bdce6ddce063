import fs from 'node:fs';
import { JobCancelled } from '../../core';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../write-file';
import { withProgress } from './log';

const BUNDLE_USAGE = 'usage: switchboard log bundle --out FILE [--since DATE] [--json]';
const WITNESS_USAGE = 'usage: switchboard log witness FILE [--json]';
const IMPORT_USAGE = 'usage: switchboard review import FILE [--witness-out FILE] [--json]     (a lead)';

export interface BundleFlags { out?: string; since?: string; json: boolean }

/** `log bundle`: a signed bundle of the log since the last one a lead accepted (or since DATE), for a lead. */
export async function logBundle(ctx: CliContext, args: string[], flags: BundleFlags): Promise<number> {
  if (args.length > 0 || !flags.out) throw new UsageError(BUNDLE_USAGE);
  const bundle = await ctx.core().services.accountability.bundle(flags.since ? { since: flags.since } : {});
  writeFileAtomic(flags.out, bundle.text);
  const { text: _text, ...summary } = bundle;
  if (flags.json) return console.log(JSON.stringify({ ...summary, file: flags.out }, null, 2)), 0;
  console.log(`Wrote ${flags.out}: records ${bundle.from}–${bundle.to}, ${bundle.sessions} session${bundle.sessions === 1 ? '' : 's'}, ${bundle.recordings} recording${bundle.recordings === 1 ? '' : 's'}${bundle.previousSize === null ? ' (no lead has witnessed this log yet)' : `, building on the checkpoint a lead witnessed at ${bundle.previousSize} records`}.`);
  console.log(`SHA-256 ${bundle.sha256}. Send it to your lead; import the witness file they give back with "switchboard log witness FILE".`);
  for (const warning of bundle.warnings) console.log(`warning: ${warning}`);
  return 0;
}

/** `log witness`: takes back the checkpoint a lead cosigned. */
export async function logWitness(ctx: CliContext, args: string[], json: boolean): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0) throw new UsageError(WITNESS_USAGE);
  const witness = await ctx.core().services.accountability.importWitness(readText(file));
  if (json) return console.log(JSON.stringify(witness, null, 2)), 0;
  console.log(witness.alreadyKnown
    ? `Already imported: ${witness.by} witnessed the log up to record ${witness.size} (${witness.at}).`
    : `${witness.by} <${witness.byEmail}> witnessed the log up to record ${witness.size} (${witness.at}). The next bundle starts after it.`);
  return 0;
}

/**
 * `review import`: a lead verifies an engineer's bundle, imports it whole or not at all, and writes the
 * cosigned checkpoint back. On a terminal the checks show "checking: n of N records"; Ctrl-C before the
 * import's transaction stops it with nothing imported (exit 130).
 */
export async function reviewImport(ctx: CliContext, args: string[], flags: { 'witness-out'?: string; json: boolean }): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0) throw new UsageError(IMPORT_USAGE);
  const text = readText(file);
  const imported = await withProgress('checking', 'records', (options) => ctx.core().services.accountability.importBundle(text, options), JobCancelled);
  if (imported === 'cancelled') return 130;
  const witnessFile = flags['witness-out'] ?? `${file}.witness`;
  writeFileAtomic(witnessFile, imported.cosignedNote);
  if (flags.json) return console.log(JSON.stringify({ ...imported, witnessFile }, null, 2)), 0;
  const { engineer } = imported;
  console.log(`Accepted ${engineer.name} <${engineer.email}> (${engineer.fingerprint}): records ${imported.from}–${imported.to}, ${imported.sessions} session${imported.sessions === 1 ? '' : 's'}, ${imported.recordings} recording${imported.recordings === 1 ? '' : 's'}${imported.missingRecordings ? ` (${imported.missingRecordings} declared missing by the engineer)` : ''}.`);
  for (const { sessionId, reason } of imported.unverifiedExceptions) console.log(`flagged: session ${sessionId} ran under an exception that does not check out: ${reason}`);
  console.log(`Cosigned the checkpoint; wrote ${witnessFile}. Give it back to ${engineer.name}: "switchboard log witness ${witnessFile}".`);
  return 0;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
