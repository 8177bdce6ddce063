import fs from 'node:fs';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../write-file';
import { CLOCK_SKEW_WARNING_MS } from '../../core';

/** "This laptop's clock is 3 h 2 min ahead of the team store's …" */
function skewWarning(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `this laptop's clock is ${span} ${ms > 0 ? 'ahead of' : 'behind'} the team store's; records keep the laptop's time, tickets and SLA clocks use the store's. Fix the clock (NTP).`;
}

const USAGE = `usage: switchboard team roster sign FILE --out SIGNED      (a lead)
       switchboard team roster import SIGNED [--trust-lead FINGERPRINT]
       switchboard team roster import --from-store --trust-lead FINGERPRINT   (the roster team sync found waiting)
       switchboard team roster show [--json]
       switchboard team init --db URL              (the first lead; URL of a role allowed to create roles)
       switchboard team add-member --name N --email E --role engineer|lead [--json]   (a lead)
       switchboard team join --db URL --name N     (the join secret on stdin)
       switchboard team sync [--json]
       switchboard team status [--json]
       switchboard team conflicts [--all] [--json]
       switchboard team redo ID | team drop ID      (a profile edit the team store did not take)
       switchboard team set profile-editors leads|everyone   (a lead)`;

export interface TeamFlags { out?: string; 'trust-lead'?: string; 'from-store'?: boolean; json: boolean; db?: string; name?: string; email?: string; role?: string; all?: boolean }

export async function teamCommand(ctx: CliContext, command: string | undefined, args: string[], flags: TeamFlags): Promise<number> {
  if (command !== 'roster') return teamStoreCommand(ctx, command, args, flags);
  const [action, file, ...rest] = args;
  if (rest.length > 0) throw new UsageError(USAGE);
  const accountability = () => ctx.core().services.accountability;
  switch (action) {
    case 'sign': {
      if (!file || !flags.out) throw new UsageError(USAGE);
      const signed = await accountability().signRoster(readText(file));
      writeFileAtomic(flags.out, signed);
      console.log(`Signed the roster; wrote ${flags.out}. Engineers import it with "switchboard team roster import ${flags.out}".`);
      return 0;
    }
    case 'import': {
      if (!file === !flags['from-store']) throw new UsageError(USAGE);
      const text = file ? readText(file) : ctx.core().team.waitingRosterText();
      const imported = await accountability().importRoster(text, flags['trust-lead']);
      if (!imported.changed) {
        console.log(`The roster of ${imported.team} is already the current one; nothing changed.`);
        return 0;
      }
      console.log(`Imported the roster of ${imported.team}: ${imported.members.length} member${imported.members.length === 1 ? '' : 's'}, signed by ${imported.signedBy.name} (${imported.signedBy.fingerprint}).`);
      if (imported.firstTrust) console.log(`This data dir now trusts rosters signed by the leads of this roster; first trusted key: ${imported.trustAnchor}.`);
      for (const warning of imported.warnings) console.log(`warning: ${warning}`);
      return 0;
    }
    case 'show': {
      if (file) throw new UsageError(USAGE);
      const roster = await accountability().roster();
      if (flags.json) return console.log(JSON.stringify(roster, null, 2)), 0;
      if (!roster) return console.log('No team roster imported yet.'), 0;
      console.log(`${roster.team} — signed by ${roster.signedBy.name} (${roster.signedBy.fingerprint}), imported ${roster.importedAt}`);
      for (const m of roster.members) console.log(`  ${m.role.padEnd(8)} ${m.name} <${m.email}>  ${m.fingerprint}`);
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** Reads a secret piped on stdin (a join secret, an admin password), without its final newline. */
function secretFromStdin(what: string): string {
  let text = '';
  try {
    text = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  } catch {
    // no stdin
  }
  if (!text) throw new UsageError(`pipe ${what} on stdin`);
  return text;
}

/** The team store commands (issue 11): init, add-member, join, sync, status. */
async function teamStoreCommand(ctx: CliContext, command: string | undefined, args: string[], flags: TeamFlags): Promise<number> {
  if (command === 'redo' || command === 'drop' || command === 'set') return profileCommand(ctx, command, args, flags);
  if (args.length > 0) throw new UsageError(USAGE);
  const team = () => ctx.core().team;
  const print = (value: unknown, text: string) => console.log(flags.json ? JSON.stringify(value, null, 2) : text);
  switch (command) {
    case 'conflicts': {
      const conflicts = team().conflicts(flags.all);
      print(conflicts, conflicts.length === 0 ? 'No profile conflicts: every edit made here is in the team store.' : conflicts.map(conflictText).join('\n\n'));
      return 0;
    }
    case 'init': {
      if (!flags.db) throw new UsageError(USAGE);
      // A password not in the URL comes on stdin (never as an argument other users could see in ps).
      const inUrl = /:\/\/[^/@]*:[^/@]*@/.test(flags.db);
      const result = await team().init(flags.db, inUrl ? null : secretFromStdin("the admin role's password"));
      print(result, `${result.created ? 'Created' : 'Migrated'} the team store (${result.applied.length ? `applied ${result.applied.join(', ')}` : 'schema up to date'}); you are its lead as ${result.login}.\nThe admin URL is not kept; your own login's password is in the keychain.\n  ${result.url}`);
      return 0;
    }
    case 'add-member': {
      if (!flags.name || !flags.email || !flags.role) throw new UsageError(USAGE);
      const added = await team().addMember({ name: flags.name, email: flags.email, role: flags.role as 'engineer' | 'lead' });
      print(added, `Added ${added.name} as ${added.login}. Give them this one-time join secret, over a channel you trust:\n  ${added.join_secret}\nThey run: switchboard team join --db URL --name "${added.name}"  (and paste the secret on stdin)`);
      return 0;
    }
    case 'join': {
      if (!flags.db || !flags.name) throw new UsageError(USAGE);
      const joined = await team().join(flags.db, flags.name, secretFromStdin('the join secret'));
      print(joined, `Joined the team store as ${joined.login}; the join secret is spent, your login's own password is in the keychain.\nFirst sync: pushed ${joined.sync.pushed} record${joined.sync.pushed === 1 ? '' : 's'}.`);
      return 0;
    }
    case 'sync': {
      const result = await team().sync();
      if (Math.abs(result.clockSkewMs) > CLOCK_SKEW_WARNING_MS) console.error(`warning: ${skewWarning(result.clockSkewMs)}`);
      for (const warning of result.warnings) console.error(`warning: ${warning}`);
      print(result, `Synced: pushed ${result.pushed} record${result.pushed === 1 ? '' : 's'}; the team store has your chain up to record ${result.head}.${result.pulled ? `\nPulled ${result.pulled} record${result.pulled === 1 ? '' : 's'} of the team into the review queue (${result.sessions} session${result.sessions === 1 ? '' : 's'}).` : ''}${profilesText(result.profiles)}${evidenceText(result)}${approvalsText(result)}`);
      return 0;
    }
    case 'status': {
      const status = team().status();
      if (!status.linked) return print(status, 'Not linked to a team store (team join --db URL --name NAME).'), 0;
      print(status, [
        `Team store: ${status.url} as ${status.login}`,
        `  ${status.waiting === 0 ? 'synced' : `${status.waiting} record${status.waiting === 1 ? '' : 's'} waiting`}; last sync ${status.lastSync ?? 'never'}`,
        ...(status.rosterWaiting ? [`  a roster of ${status.rosterWaiting.team} is waiting in the team store, signed by ${status.rosterWaiting.signedBy.map((m) => `${m.name} ${m.fingerprint}`).join(', ')}: check the fingerprint with your lead, then "switchboard team roster import --from-store --trust-lead FINGERPRINT"`] : []),
        ...(waitingChangesText(status.waitingChanges) ? [`  also waiting: ${waitingChangesText(status.waitingChanges)}`] : []),
        ...(status.conflicts ? [`  ${status.conflicts} profile edit${status.conflicts === 1 ? '' : 's'} the team store did not take: see "switchboard team conflicts"`] : []),
        ...(status.localOnly.length ? [`  only on this laptop (only leads add customers to the team's profiles): ${status.localOnly.join(', ')}`] : []),
        ...(status.profileEditors ? [`  profiles are edited by ${status.profileEditors === 'leads' ? 'leads only' : 'everyone in the team'}`] : []),
        ...(status.offlineSince ? [`  offline since ${status.offlineSince}: ${status.lastError ?? ''}`] : []),
        ...(status.clockSkewMs !== null && Math.abs(status.clockSkewMs) > CLOCK_SKEW_WARNING_MS ? [`  ${skewWarning(status.clockSkewMs)}`] : []),
        `  last witnessed: ${status.lastWitness ? `records 1–${status.lastWitness.size}, cosigned by ${status.lastWitness.by} <${status.lastWitness.byEmail}> at ${status.lastWitness.at}` : 'never (no lead has cosigned a checkpoint of this log in the team store yet)'}`,
      ].join('\n'));
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}

/** "2 note revisions, 1 ticket change" — the changes besides log records the store does not have yet. */
function waitingChangesText(waiting: { notes: number; tickets: number; ticketChanges: number }): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    ...(waiting.notes ? [plural(waiting.notes, 'note revision')] : []),
    ...(waiting.tickets ? [plural(waiting.tickets, 'new ticket')] : []),
    ...(waiting.ticketChanges ? [plural(waiting.ticketChanges, 'ticket change')] : []),
  ].join(', ');
}

/** `team redo ID`, `team drop ID`, `team set profile-editors leads|everyone`. */
async function profileCommand(ctx: CliContext, command: 'redo' | 'drop' | 'set', args: string[], flags: TeamFlags): Promise<number> {
  const team = ctx.core().team;
  if (command === 'set') {
    const [setting, value, ...rest] = args;
    if (setting !== 'profile-editors' || (value !== 'leads' && value !== 'everyone') || rest.length > 0) throw new UsageError(USAGE);
    await team.setProfileEditors(value);
    console.log(value === 'leads' ? 'Only leads may edit the team\'s profiles now.' : 'Everyone in the team may edit the team\'s profiles now.');
    return 0;
  }
  const [id, ...rest] = args;
  if (!id || !/^\d+$/.test(id) || rest.length > 0) throw new UsageError(USAGE);
  const conflict = team.resolveConflict(Number(id), command);
  if (flags.json) return console.log(JSON.stringify(conflict, null, 2)), 0;
  console.log(command === 'redo'
    ? `Redid your edit of ${conflict.customer} on top of the team store's version; the next sync offers it to the store ("switchboard team sync").`
    : `Dropped your edit of ${conflict.customer}; it stays as the team store has it.`);
  return 0;
}

function conflictText(conflict: { id: number; customer: string; message: string; foundAt: string; resolution: string | null; differences: { path: string; mine: string; now: string }[] }): string {
  return [
    `#${conflict.id} ${conflict.customer} (found ${conflict.foundAt}${conflict.resolution ? `; ${conflict.resolution}` : ''})`,
    `  ${conflict.message}`,
    ...conflict.differences.slice(0, 20).map((d) => `  ${d.path}: yours ${d.mine}, now ${d.now}`),
    ...(conflict.differences.length > 20 ? [`  … and ${conflict.differences.length - 20} more differences`] : []),
    ...(conflict.resolution ? [] : [`  switchboard team redo ${conflict.id}   or   switchboard team drop ${conflict.id}`]),
  ].join('\n');
}

/** The profiles line of `team sync`'s text, only when something moved. */
function profilesText(profiles: { pushed: number; taken: number; conflicts: number }): string {
  const parts = [
    ...(profiles.pushed ? [`saved ${profiles.pushed} profile edit${profiles.pushed === 1 ? '' : 's'} in the team store`] : []),
    ...(profiles.taken ? [`took ${profiles.taken} newer profile${profiles.taken === 1 ? '' : 's'} from it`] : []),
    ...(profiles.conflicts ? [`kept ${profiles.conflicts} edit${profiles.conflicts === 1 ? '' : 's'} it did not take — see "switchboard team conflicts"`] : []),
  ];
  return parts.length ? `\nProfiles: ${parts.join('; ')}.` : '';
}

/** The roster and exception-approval lines of `team sync`'s text, only for what happened. */
function approvalsText(result: { rosters: { published: boolean; imported: string[] }; approvals: { requestsPushed: number; inbox: number; approvalsPushed: number; imported: string[] } | null }): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const a = result.approvals;
  const lines = [
    ...(result.rosters.published ? ['Published your current roster in the team store.'] : []),
    ...(result.rosters.imported.length ? [`Imported ${plural(result.rosters.imported.length, 'newer roster')} from the team store (see switchboard team roster show).`] : []),
    ...(a?.requestsPushed ? [`Sent ${plural(a.requestsPushed, 'exception request')} to the leads.`] : []),
    ...(a?.inbox ? [`${plural(a.inbox, 'new exception request')} to approve: see switchboard approvals inbox.`] : []),
    ...(a?.approvalsPushed ? [`Published ${plural(a.approvalsPushed, 'approval')} you signed.`] : []),
    ...(a?.imported.length ? [`Imported ${plural(a.imported.length, 'lead-signed approval')} of your requests (see switchboard approvals list).`] : []),
  ];
  return lines.length ? `\n${lines.join('\n')}` : '';
}

/** The recordings and checkpoints lines of `team sync`'s text, only for what happened. */
function evidenceText(result: {
  recordings: { pushed: number; pulled: number }; checkpoints: { pushed: number; witnessed: number };
  tickets: { pushed: { tickets: number; events: number }; pulled: { tickets: number; events: number } };
  ticketEvidence: { pushed: number; pulled: number };
}): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { pushed, pulled } = result.tickets;
  const lines = [
    ...(pushed.tickets || pushed.events ? [`Tickets: pushed ${plural(pushed.tickets, 'new ticket')} and ${plural(pushed.events, 'change')}.`] : []),
    ...(pulled.tickets || pulled.events ? [`Tickets: pulled ${plural(pulled.tickets, 'ticket')} and ${plural(pulled.events, 'change')} of the team (see switchboard tickets).`] : []),
    ...(result.ticketEvidence.pushed ? [`Evidence: pushed ${plural(result.ticketEvidence.pushed, 'file')} on tickets.`] : []),
    ...(result.ticketEvidence.pulled ? [`Evidence: pulled ${plural(result.ticketEvidence.pulled, 'file')} on the team's tickets (SHA-256 checked; see switchboard tickets evidence REF).`] : []),
    ...(result.recordings.pushed ? [`Pushed ${plural(result.recordings.pushed, 'recording')}.`] : []),
    ...(result.recordings.pulled ? [`Pulled ${plural(result.recordings.pulled, 'recording')} into imported-recordings (SHA-256 checked).`] : []),
    ...(result.checkpoints.pushed ? [`Pushed ${plural(result.checkpoints.pushed, 'signed checkpoint')}.`] : []),
    ...(result.checkpoints.witnessed ? [`Witnessed (cosigned) ${plural(result.checkpoints.witnessed, 'checkpoint')} of the team.`] : []),
  ];
  return lines.map((line) => `\n${line}`).join('');
}
