import { z } from 'zod';
import { ticketInputs } from '../../../contract/inputs';
import { formatPath } from '../../../contract/errors';
import { classifySeverity } from '../../core';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';

export interface TicketFlags {
  site?: string; id?: string; type?: string; component?: string; seats?: string; calls?: string;
  'cannot-take-calls'?: string; 'cannot-login'?: string; 'calls-rejected'?: string; summary?: string; status?: string; json: boolean;
}

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`--${flag} must be a whole number (got "${value}")`);
  return Number(value);
}

function impactFrom(flags: TicketFlags) {
  const impact = {
    seats: wholeNumber('seats', flags.seats),
    calls: wholeNumber('calls', flags.calls),
    cannotTakeCalls: wholeNumber('cannot-take-calls', flags['cannot-take-calls']),
    cannotLogin: wholeNumber('cannot-login', flags['cannot-login']),
    callsRejected: wholeNumber('calls-rejected', flags['calls-rejected']),
  };
  return Object.fromEntries(Object.entries(impact).filter(([, v]) => v !== undefined));
}

function parseOrUsage<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UsageError(`${formatPath(issue.path) ? `${formatPath(issue.path)}: ` : ''}${issue.message}`);
  }
  return result.data;
}

export function ticketsClassify(flags: TicketFlags): number {
  if (!flags.seats) throw new UsageError('usage: switchboard tickets classify --seats N [--calls N] --component C [--cannot-take-calls N] [--cannot-login N] [--calls-rejected N] --json');
  const input = parseOrUsage(ticketInputs.ticketClassify, { component: flags.component, impact: impactFrom(flags) });
  const result = classifySeverity({ ...input.impact, component: input.component });
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  else console.log(`${result.severity} (loss ${(result.loss * 100).toFixed(1)}%)\n${result.steps.map((s) => `  ${s}`).join('\n')}`);
  return 0;
}

export async function ticketsOpen(ctx: CliContext, flags: TicketFlags): Promise<number> {
  if (!flags.id) throw new UsageError('usage: switchboard tickets open --site "CUSTOMER/SITE" --id TICKET [--type incident|change] [--component C] [impact flags] --json');
  const core = ctx.core();
  const siteId = await resolveSiteRef(core, flags.site);
  const input = parseOrUsage(ticketInputs.ticketOpen, {
    siteId, ref: flags.id, type: flags.type ?? 'incident', component: flags.component ?? 'other', impact: impactFrom(flags),
    ...(flags.summary ? { summary: flags.summary } : {}),
  });
  const ticket = await core.services.tickets.open(input);
  if (flags.json) {
    console.log(JSON.stringify(ticket, null, 2));
  } else {
    console.log(`Opened ${ticket.ref} for ${ticket.customerName}/${ticket.siteName}: ${ticket.severity} (${ticket.computation.steps.join(' ')})`);
  }
  return 0;
}

/**
 * `tickets [list] [--site "CUSTOMER/SITE"] [--status open|resolved|closed] [--json]`: the tickets with their
 * SLA clocks; on a data dir linked to a team store, the team's tickets as of the last sync.
 */
export async function ticketsList(ctx: CliContext, flags: TicketFlags): Promise<number> {
  const core = ctx.core();
  const filter = parseOrUsage(ticketInputs.ticketList, {
    ...(flags.site ? { siteId: await resolveSiteRef(core, flags.site) } : {}),
    ...(flags.status ? { status: flags.status } : {}),
  });
  const tickets = await core.services.tickets.list(filter);
  if (flags.json) return console.log(JSON.stringify(tickets, null, 2)), 0;
  const team = core.team.status();
  if (team.linked) console.log(`The team's tickets as of the last sync (${team.lastSync ?? 'never synced'}):`);
  if (tickets.length === 0) return console.log('No tickets.'), 0;
  for (const t of tickets) {
    const clock = [t.clocks.firstResponse, t.clocks.resolution].find((c) => c.state === 'running' || c.state === 'breached' || c.state === 'paused');
    const sla = clock ? `${clock.name.replace('_', ' ')} ${clock.state}${clock.dueAt ? `, due ${clock.dueAt}` : ''}` : '';
    console.log([t.ref, `${t.customerName}/${t.siteName}`, t.severity, t.status, t.level, `reported ${t.reportedAt}`, sla].filter(Boolean).join('  '));
  }
  return 0;
}
