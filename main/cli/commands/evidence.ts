import readline from 'node:readline';
import path from 'node:path';
import type { Core } from '../../core';
import type { EvidenceAdded, Ticket, TicketEvidenceView } from '../../../contract/models';
import type { CliContext } from '../context';
import { CheckFailed, UsageError } from '../errors';

export interface EvidenceFlags { json: boolean; 'end-rca-wait'?: boolean }

async function ticketByRef(core: Core, ref: string | undefined, usage: string): Promise<Ticket> {
  if (!ref) throw new UsageError(usage);
  const ticket = await core.services.tickets.findByRef(ref);
  if (!ticket) throw new UsageError(`no ticket ${ref}; \`switchboard tickets\` lists them`);
  return ticket;
}

export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function origin(e: TicketEvidenceView): string {
  const where = e.host && e.displayRemotePath ? `${e.host}:${e.displayRemotePath}` : (e.host ?? e.displayRemotePath ?? 'not recorded');
  return e.site ? `${e.site} ${where}` : where;
}

/**
 * `tickets evidence REF [--json]`: the ticket's evidence files, each hash checked now; exit 1 when a file
 * is missing or no longer matches its recorded SHA-256.
 */
export async function ticketsEvidence(ctx: CliContext, args: string[], flags: EvidenceFlags): Promise<number> {
  const core = ctx.core();
  const ticket = await ticketByRef(core, args[0], 'usage: switchboard tickets evidence REF [--json]');
  const list = await core.services.evidence.list(ticket.id);
  const bad = list.files.filter((f) => f.sha256Matches !== true);
  if (flags.json) {
    console.log(JSON.stringify(list, null, 2));
  } else if (list.files.length === 0) {
    console.log(`${ticket.ref} has no evidence yet (\`switchboard tickets attach ${ticket.ref} FILE\`, or a download to evidence).`);
  } else {
    console.log(`Evidence for ${ticket.ref} (${ticket.customerName}/${ticket.siteName}): ${list.files.length} file${list.files.length === 1 ? '' : 's'}`);
    for (const f of list.files) {
      const state = f.sha256Matches === true ? 'hash verified' : f.sha256Matches === false ? 'ALTERED: does not match its SHA-256' : 'MISSING from the data dir';
      console.log(`  ${f.displayName}  ${formatSize(f.size)}  ${state}`);
      console.log(`    sha256 ${f.sha256}`);
      console.log(`    fetched ${f.addedAt} by ${f.fetchedBy} from ${origin(f)}`);
    }
    if (list.rcaWaitCanEndWith) {
      console.log(`${ticket.ref} waits for debug data; ${list.rcaWaitCanEndWith.displayName} came since. To end the wait: switchboard tickets end-rca-wait ${ticket.ref} ${list.rcaWaitCanEndWith.sha256}`);
    }
  }
  if (bad.length > 0) throw new CheckFailed(`${bad.length} evidence file${bad.length === 1 ? ' is' : 's are'} missing or altered: ${bad.map((f) => f.displayName).join(', ')}`);
  return 0;
}

/** `tickets evidence-export REF OUT.tar [--json]`: one archive with its manifest; never overwrites a file. */
export async function ticketsEvidenceExport(ctx: CliContext, args: string[], flags: EvidenceFlags): Promise<number> {
  const usage = 'usage: switchboard tickets evidence-export REF OUT.tar [--json]';
  const core = ctx.core();
  const ticket = await ticketByRef(core, args[0], usage);
  if (!args[1]) throw new UsageError(usage);
  const exported = await core.services.evidence.export(ticket.id, path.resolve(args[1]));
  if (flags.json) console.log(JSON.stringify(exported, null, 2));
  else console.log(`Wrote ${exported.file}: ${exported.files} file${exported.files === 1 ? '' : 's'} with manifest.json, MANIFEST.txt and SHA256SUMS (${formatSize(exported.bytes)}), every hash checked.`);
  return 0;
}

/**
 * `tickets attach REF FILE [--end-rca-wait] [--json]`: a local file as evidence. When it is the first file
 * since the ticket began waiting for debug data, the wait ends only with the engineer's yes: the flag, or
 * the question on a terminal.
 */
export async function ticketsAttach(ctx: CliContext, args: string[], flags: EvidenceFlags): Promise<number> {
  const core = ctx.core();
  const ticket = await ticketByRef(core, args[0], 'usage: switchboard tickets attach REF FILE [--end-rca-wait] [--json]');
  if (!args[1]) throw new UsageError('usage: switchboard tickets attach REF FILE [--end-rca-wait] [--json]');
  const added = await core.services.evidence.attachLocalFile(ticket.id, args[1]);
  const ended = added.rcaWaitCanEnd && (flags['end-rca-wait'] || (await confirmEnd(ticket.ref, added)));
  if (ended) await core.services.evidence.endRcaWait(ticket.id, added.evidence.sha256);
  if (flags.json) return console.log(JSON.stringify({ ...added, rcaWaitEnded: ended }, null, 2)), 0;
  const e = added.evidence;
  console.log(added.alreadyOnTicket
    ? `${ticket.ref} already has these bytes as ${e.displayName} (sha256 ${e.sha256}); nothing new was kept.`
    : `Attached ${e.displayName} to ${ticket.ref}: ${formatSize(e.size)}, sha256 ${e.sha256}.`);
  if (ended) console.log(`${ticket.ref} no longer waits for debug data: ended by ${e.displayName}.`);
  else if (added.rcaWaitCanEnd) console.log(`${ticket.ref} still waits for debug data. To end the wait with this file: switchboard tickets end-rca-wait ${ticket.ref} ${e.sha256}`);
  return 0;
}

/** `tickets end-rca-wait REF SHA256`: the engineer confirms that this evidence file is the debug data the RCA waited for. */
export async function ticketsEndRcaWait(ctx: CliContext, args: string[], flags: EvidenceFlags): Promise<number> {
  const usage = 'usage: switchboard tickets end-rca-wait REF SHA256 [--json]';
  const core = ctx.core();
  const ticket = await ticketByRef(core, args[0], usage);
  if (!args[1] || !/^[0-9a-f]{64}$/.test(args[1])) throw new UsageError(usage);
  const after = await core.services.evidence.endRcaWait(ticket.id, args[1]);
  if (flags.json) console.log(JSON.stringify(after, null, 2));
  else console.log(`${ticket.ref} no longer waits for debug data: ${after.events.at(-1)?.reason ?? ''}.`);
  return 0;
}

/** Asks on the terminal; without one (a script), nothing is assumed. */
async function confirmEnd(ref: string, added: EvidenceAdded): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${ref} waits for debug data. Does ${added.evidence.displayName} end the wait? [y/N] `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
