import { ticketInputs } from '../../../contract/inputs';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';

export interface ApprovalFlags { site?: string; method?: string; 'approved-by'?: string; reason?: string; until?: string; json: boolean }

const USAGE = 'usage: switchboard approvals record --site "CUSTOMER/SITE" --method M --approved-by NAME --reason TEXT --until YYYY-MM-DD[THH:MM]';

/** A method the site has not approved, allowed by a named person, for a reason, until a date. */
export async function approvalsRecord(ctx: CliContext, flags: ApprovalFlags): Promise<number> {
  const core = ctx.core();
  const until = flags.until && /^\d{4}-\d{2}-\d{2}$/.test(flags.until) ? `${flags.until}T23:59:59Z` : flags.until;
  const parsed = ticketInputs.approvalRecord.safeParse({
    siteId: await resolveSiteRef(core, flags.site),
    method: flags.method,
    approvedBy: flags['approved-by'],
    reason: flags.reason,
    validUntil: until && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(until) ? `${until}:00Z` : until,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${String(issue.path[0] ?? '')}: ${issue.message}\n${USAGE}`);
  }
  if (new Date(parsed.data.validUntil).getTime() <= Date.now()) throw new UsageError('--until is in the past; an approval must still be valid');
  await core.services.approvals.record(parsed.data);
  console.log(`Recorded: ${parsed.data.method} allowed on ${flags.site} until ${parsed.data.validUntil}, approved by ${parsed.data.approvedBy}.`);
  return 0;
}

export async function approvalsList(ctx: CliContext, flags: ApprovalFlags): Promise<number> {
  const core = ctx.core();
  const approvals = await core.services.approvals.list(await resolveSiteRef(core, flags.site));
  if (flags.json) console.log(JSON.stringify(approvals, null, 2));
  else if (approvals.length === 0) console.log('No exception approvals for this site.');
  else for (const a of approvals) console.log(`${a.method.padEnd(10)} until ${a.validUntil}  by ${a.approvedBy}: ${a.reason} (recorded by ${a.recordedBy})`);
  return 0;
}
