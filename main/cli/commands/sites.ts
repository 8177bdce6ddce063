import fs from 'node:fs';
import path from 'node:path';
import { listSiteSummaries } from '../../core/directory/customers';
import { getSite } from '../../core/directory/sites';
import { exportProfile } from '../../core/profiles/export';
import { importProfile } from '../../core/profiles/import';
import { parseProfile } from '../../core/profiles/parse';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../write-file';

function readInput(file: string): { text: string; baseDir?: string } {
  if (file === '-') return { text: fs.readFileSync(0, 'utf8') };
  try {
    return { text: fs.readFileSync(file, 'utf8'), baseDir: path.dirname(path.resolve(file)) };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

export function sitesImport(ctx: CliContext, args: string[]): number {
  if (args.length !== 1) throw new UsageError('usage: switchboard sites import FILE');
  const { text, baseDir } = readInput(args[0]!);
  const summary = importProfile(ctx.core().db, parseProfile(text, baseDir));
  console.log(`Imported ${summary.customers} customer(s), ${summary.sites} site(s), ${summary.hosts} host(s), ${summary.notes} note(s) into ${ctx.dataDir}.`);
  return 0;
}

export function sitesExport(ctx: CliContext, args: string[]): number {
  if (args.length > 1) throw new UsageError('usage: switchboard sites export [FILE]');
  const text = exportProfile(ctx.core().db);
  if (args[0]) {
    writeFileAtomic(args[0], text);
    console.error(`Wrote ${args[0]}.`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

export function sitesList(ctx: CliContext, args: string[], json: boolean): number {
  if (args.length > 0) throw new UsageError('usage: switchboard sites list [--json]');
  const db = ctx.core().db;
  const sites = listSiteSummaries(db).map((summary) => {
    const site = getSite(db, summary.id);
    return {
      customer: site.customerName,
      site: site.name,
      seats: site.seats,
      approved_methods: site.approvedMethods,
      hosts: site.hosts.map((h) => ({
        name: h.name,
        address: h.address ?? null,
        allow: h.allow,
        methods: (['ssh', 'https', 'vnc', 'anydesk', 'teamviewer'] as const).filter((m) => h[m] !== undefined),
      })),
    };
  });
  if (json) {
    console.log(JSON.stringify(sites, null, 2));
  } else if (sites.length === 0) {
    console.log('No sites yet. Import a profile file: switchboard sites import FILE');
  } else {
    for (const s of sites) {
      console.log(`${s.customer}/${s.site}  (${s.seats} seats; ${s.approved_methods.join(', ') || 'no approved methods'})`);
      for (const h of s.hosts) console.log(`  ${h.name.padEnd(20)} ${(h.address ?? '-').padEnd(28)} ${h.methods.join(', ')}`);
    }
  }
  return 0;
}
