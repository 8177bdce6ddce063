import fs from 'node:fs';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../write-file';

const USAGE = `usage: switchboard team roster sign FILE --out SIGNED      (a lead)
       switchboard team roster import SIGNED [--trust-lead FINGERPRINT]
       switchboard team roster show [--json]`;

export interface TeamFlags { out?: string; 'trust-lead'?: string; json: boolean }

export async function teamCommand(ctx: CliContext, command: string | undefined, args: string[], flags: TeamFlags): Promise<number> {
  const [action, file, ...rest] = args;
  if (command !== 'roster' || rest.length > 0) throw new UsageError(USAGE);
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
      if (!file) throw new UsageError(USAGE);
      const imported = await accountability().importRoster(readText(file), flags['trust-lead']);
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
