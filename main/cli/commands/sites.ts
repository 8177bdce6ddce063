import fs from 'node:fs';
import path from 'node:path';
import type { CliContext } from '../context';
import { ticketRef } from '../../../contract/inputs';
import { FILE_TRANSFER_WORDS, type FileTransferSetting } from '../../../contract/domain/file-transfer';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';
import { writeFileAtomic } from '../write-file';

function readInput(file: string): { text: string; baseDir?: string } {
  if (file === '-') return { text: fs.readFileSync(0, 'utf8') };
  try {
    return { text: fs.readFileSync(file, 'utf8'), baseDir: path.dirname(path.resolve(file)) };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** `--ticket`: the vendor ticket the import is for, named in the record of each change it makes. */
export async function sitesImport(ctx: CliContext, args: string[], ticket?: string): Promise<number> {
  if (args.length !== 1) throw new UsageError('usage: switchboard sites import FILE [--ticket T]');
  const { text, baseDir } = readInput(args[0]!);
  const summary = await ctx.core().services.profiles.import(text, baseDir, checkedTicket(ticket));
  console.log(`Imported ${summary.customers} customer(s), ${summary.sites} site(s), ${summary.hosts} host(s), ${summary.notes} note(s) into ${ctx.dataDir}.`);
  return 0;
}

export async function sitesExport(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length > 1) throw new UsageError('usage: switchboard sites export [FILE]');
  const text = await ctx.core().services.profiles.export();
  if (args[0]) {
    writeFileAtomic(args[0], text);
    console.error(`Wrote ${args[0]}.`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

export async function sitesList(ctx: CliContext, args: string[], json: boolean): Promise<number> {
  if (args.length > 0) throw new UsageError('usage: switchboard sites list [--json]');
  const { directory } = ctx.core().services;
  const sites = await Promise.all((await directory.listSites()).map(async (summary) => {
    const site = await directory.getSite(summary.id);
    return {
      customer: site.customerName,
      site: site.name,
      seats: site.seats,
      approved_methods: site.approvedMethods,
      record_input: site.recordInput,
      files: site.files,
      hosts: site.hosts.map((h) => ({
        name: h.name,
        address: h.address ?? null,
        allow: h.allow,
        methods: (['ssh', 'https', 'vnc', 'anydesk', 'teamviewer'] as const).filter((m) => h[m] !== undefined),
      })),
    };
  }));
  if (json) {
    console.log(JSON.stringify(sites, null, 2));
  } else if (sites.length === 0) {
    console.log('No sites yet. Import a profile file: switchboard sites import FILE');
  } else {
    const team = ctx.core().team.status();
    if (team.linked) {
      console.log(`The team's site profiles as of the last sync (${team.lastSync ?? 'never synced'})${team.localOnly.length ? `, and on this laptop only: ${team.localOnly.join(', ')}` : ''}:`);
    }
    for (const s of sites) {
      console.log(`${s.customer}/${s.site}  (${s.seats} seats; ${s.approved_methods.join(', ') || 'no approved methods'}${s.record_input ? '; SSH input recorded' : ''}; ${fileTransferWords(s.files)})`);
      for (const h of s.hosts) console.log(`  ${h.name.padEnd(20)} ${(h.address ?? '-').padEnd(28)} ${h.methods.join(', ')}`);
    }
  }
  return 0;
}

/** "file transfer: download only (/var/log/ameyo, /tmp/support)", "file transfer: off". */
function fileTransferWords({ transfer, folders }: FileTransferSetting): string {
  if (transfer === 'off') return 'file transfer: off';
  return `file transfer: ${FILE_TRANSFER_WORDS[transfer]} (${folders.length ? folders.join(', ') : 'any folder'})`;
}

const SET_USAGE = 'usage: switchboard sites set --site "CUSTOMER/SITE" --record-input on|off [--ticket T]';

function checkedTicket(ticket: string | undefined): string | undefined {
  if (ticket === undefined) return undefined;
  const parsed = ticketRef.safeParse(ticket);
  if (!parsed.success) throw new UsageError(`--ticket: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** Local site settings that profile files do not carry; today input recording. Each change is kept with who made it. */
export async function sitesSet(ctx: CliContext, args: string[], flags: { site?: string; 'record-input'?: string; ticket?: string }): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected "${args.join(' ')}"\n${SET_USAGE}`);
  const value = flags['record-input'];
  if (value === undefined) throw new UsageError(`nothing to set\n${SET_USAGE}`);
  if (value !== 'on' && value !== 'off') throw new UsageError(`--record-input is "on" or "off", not "${value}"\n${SET_USAGE}`);
  const core = ctx.core();
  const siteId = await resolveSiteRef(core, flags.site);
  const changed = await core.services.directory.setRecordInput(siteId, value === 'on', checkedTicket(flags.ticket));
  if (!changed) {
    console.log(`Input recording was already ${value} for ${flags.site}; nothing changed.`);
  } else if (value === 'on') {
    console.log(`Input recording is now on for ${flags.site} (changed by ${core.engineer}).`);
    console.error('New SSH sessions to this site record every keystroke, including passwords typed at remote prompts (sudo, su, database shells).');
  } else {
    console.log(`Input recording is now off for ${flags.site} (changed by ${core.engineer}); new SSH sessions record output only.`);
  }
  return 0;
}
