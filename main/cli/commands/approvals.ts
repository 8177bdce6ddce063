import fs from 'node:fs';
import { approvalInputs, type ExceptionApprovalView, type ExceptionRequestView } from '../../../contract/approvals';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';
import { writeFileAtomic } from '../write-file';

export interface ApprovalFlags { site?: string; method?: string; host?: string; ticket?: string; reason?: string; until?: string; out?: string; json: boolean; 'from-store'?: boolean }

export const APPROVALS_USAGE = `usage: switchboard approvals request --site "CUSTOMER/SITE" --method M --ticket T --reason TEXT --until DATE [--host H] --out FILE
       switchboard approvals sign FILE --out FILE        (a lead of the roster)
       switchboard approvals sign ID --from-store [--out FILE]   (a lead: a request in the inbox; published at the next team sync)
       switchboard approvals inbox [--json]              (a lead: the team's requests, as of the last team sync)
       switchboard approvals import FILE
       switchboard approvals list --site "CUSTOMER/SITE" [--json]`;

/** `approvals request|sign|import|list`: exceptions a lead signs (docs/security.md, "Exception approvals"). */
export async function approvalsCommand(ctx: CliContext, command: string | undefined, args: string[], flags: ApprovalFlags): Promise<number> {
  switch (command) {
    case 'request': return request(ctx, args, flags);
    case 'sign': return sign(ctx, args, flags);
    case 'import': return importApproval(ctx, args);
    case 'list': return list(ctx, args, flags);
    case 'inbox': return inbox(ctx, args, flags);
    default: throw new UsageError(command === 'record'
      ? `"approvals record --approved-by" is gone: an exception now needs a lead's signature.\n${APPROVALS_USAGE}`
      : APPROVALS_USAGE);
  }
}

async function request(ctx: CliContext, args: string[], flags: ApprovalFlags): Promise<number> {
  if (args.length > 0 || !flags.out) throw new UsageError(`--out FILE is required (the request to send to a lead)\n${APPROVALS_USAGE}`);
  const core = ctx.core();
  const parsed = approvalInputs.request.safeParse({
    siteId: await resolveSiteRef(core, flags.site), method: flags.method, host: flags.host, ticket: flags.ticket, reason: flags.reason, validUntil: untilTime(flags.until),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${flagName(String(issue.path[0] ?? ''))}: ${issue.message}\n${APPROVALS_USAGE}`);
  }
  const made = await core.services.approvals.request(parsed.data);
  writeFileAtomic(flags.out, made.text);
  console.log(`Wrote the request to ${flags.out}; send it to a lead, who signs it with "switchboard approvals sign ${flags.out} --out APPROVAL".`);
  printRequest(made.request);
  return 0;
}

async function sign(ctx: CliContext, args: string[], flags: ApprovalFlags): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0 || (!flags.out && !flags['from-store'])) throw new UsageError(APPROVALS_USAGE);
  const text = flags['from-store'] ? ctx.core().team.inboxRequestText(file) : readText(file);
  const approvals = ctx.core().services.approvals;
  // The lead sees what they sign, before signing.
  printRequest((await approvals.inspect(text)).request);
  const signed = await approvals.sign(text);
  if (flags.out) writeFileAtomic(flags.out, signed.text);
  console.log(flags['from-store']
    ? `Signed${flags.out ? `; wrote ${flags.out}` : ''}. The next "switchboard team sync" publishes it; ${signed.request.engineer}'s next sync imports it.`
    : `Signed; wrote ${flags.out}. ${signed.request.engineer} imports it with "switchboard approvals import ${flags.out}".`);
  return 0;
}

async function inbox(ctx: CliContext, args: string[], flags: ApprovalFlags): Promise<number> {
  if (args.length > 0) throw new UsageError(APPROVALS_USAGE);
  const requests = ctx.core().team.approvalInbox();
  if (flags.json) return console.log(JSON.stringify(requests, null, 2)), 0;
  if (requests.length === 0) console.log('No exception requests from the team (as of the last "switchboard team sync").');
  for (const r of requests) {
    console.log(`${r.status.padEnd(8)} ${r.method.padEnd(10)} ${r.site} until ${r.validUntil}  from ${r.engineer} [${r.requestId}]${r.status === 'waiting' ? `\n         sign: switchboard approvals sign ${r.requestId} --from-store` : ''}`);
  }
  return 0;
}

async function importApproval(ctx: CliContext, args: string[]): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0) throw new UsageError(APPROVALS_USAGE);
  const imported = await ctx.core().services.approvals.import(readText(file));
  const { request, approvedBy } = imported;
  console.log(`Imported: ${request.method} on ${request.site}${request.host ? ` (${request.host} only)` : ''} until ${request.until}, approved by ${approvedBy!.name} (${approvedBy!.fingerprint}).`);
  return 0;
}

async function list(ctx: CliContext, args: string[], flags: ApprovalFlags): Promise<number> {
  if (args.length > 0) throw new UsageError(APPROVALS_USAGE);
  const core = ctx.core();
  const overview = await core.services.approvals.list(await resolveSiteRef(core, flags.site));
  if (flags.json) return console.log(JSON.stringify(overview, null, 2)), 0;
  if (overview.approvals.length === 0 && overview.legacy.length === 0) console.log('No exception approvals for this site.');
  for (const a of overview.approvals) console.log(line(a));
  for (const a of overview.legacy) {
    console.log(`not honoured ${a.method.padEnd(10)} until ${a.validUntil}  typed "approved by ${a.approvedBy}" (recorded by ${a.recordedBy}): recorded before approvals were signed by a lead; request a signed one.`);
  }
  return 0;
}

function line(a: ExceptionApprovalView): string {
  const r = a.request;
  const who = a.approvedBy ? `, approved by ${a.approvedBy.name} (${a.approvedBy.fingerprint})` : '';
  const why = a.status === 'refused' && a.refusal ? ` — last import refused: ${a.refusal.message}` : '';
  return `${a.status.padEnd(12)} ${r.method.padEnd(10)}${r.host ? ` ${r.host}` : ''} until ${r.until}  ticket ${r.ticket}: ${r.reason} [${r.id}]${who}${why}`;
}

function printRequest(r: ExceptionRequestView): void {
  console.log(`Exception request ${r.id}
  engineer   ${r.engineer} (${r.engineerKey})
  site       ${r.site}
  method     ${r.method}${r.host ? `\n  host       ${r.host}` : '\n  host       any trusted host of the site'}
  ticket     ${r.ticket}
  reason     ${r.reason}
  until      ${r.until}
  requested  ${r.requested}`);
}

/** A bare date means the end of that day (UTC); a time without a zone is UTC. */
function untilTime(until: string | undefined): string | undefined {
  if (!until) return until;
  if (/^\d{4}-\d{2}-\d{2}$/.test(until)) return `${until}T23:59:59Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(until)) return `${until}:00Z`;
  return until;
}

function flagName(field: string): string {
  return field === 'siteId' ? 'site' : field === 'validUntil' ? 'until' : field;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
