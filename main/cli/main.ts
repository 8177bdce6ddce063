import { APP_VERSION } from '../core';
import { credentialsCommand } from './commands/credentials';
import { connect, policyCheck } from './commands/access';
import { approvalsCommand } from './commands/approvals';
import { doctor } from './commands/doctor';
import { logExport, logList, logVerify } from './commands/log';
import { notesSearch } from './commands/notes';
import { hostsRepin } from './commands/hosts';
import { sitesExport, sitesImport, sitesList, sitesSet } from './commands/sites';
import { ticketsClassify, ticketsList, ticketsOpen } from './commands/tickets';
import { ticketsAttach, ticketsEndRcaWait, ticketsEvidence, ticketsEvidenceExport } from './commands/evidence';
import { logCheckpoint } from './commands/checkpoint';
import { logBundle, logWitness, reviewImport } from './commands/bundle';
import { identityInit, identityShow } from './commands/identity';
import { teamCommand } from './commands/team';
import { reviewExport, reviewList, reviewMark } from './commands/review';
import { filesGet, filesPut } from './commands/files';
import { createContext } from './context';
import { reportError, UsageError } from './errors';
import { parseCommandLine } from './parse';
import { USAGE } from './usage';

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) return console.log(USAGE), 0;
  if (values.version) return console.log(APP_VERSION), 0;
  const [group, command, ...args] = positionals;
  const ctx = createContext(values['data-dir']);
  try {
    switch (`${group ?? ''} ${command ?? ''}`.trim()) {
      case 'sites import': return await sitesImport(ctx, args, values.ticket);
      case 'sites export': return await sitesExport(ctx, args);
      case 'sites list': return await sitesList(ctx, args, values.json);
      case 'sites set': return await sitesSet(ctx, args, values);
      case 'hosts repin': return await hostsRepin(ctx, args, values);
      case 'notes search': return await notesSearch(ctx, args, values.json);
      case 'doctor': return await doctor(ctx);
      case 'tickets':
      case 'tickets list': return await ticketsList(ctx, values);
      case 'tickets open': return await ticketsOpen(ctx, values);
      case 'tickets classify': return ticketsClassify(values);
      case 'tickets evidence': return await ticketsEvidence(ctx, args, values);
      case 'tickets evidence-export': return await ticketsEvidenceExport(ctx, args, values);
      case 'tickets attach': return await ticketsAttach(ctx, args, values);
      case 'tickets end-rca-wait': return await ticketsEndRcaWait(ctx, args, values);
      case 'policy check': return await policyCheck(ctx, values);
      case 'files get': return await filesGet(ctx, args, values);
      case 'files put': return await filesPut(ctx, args, values);
      case 'log list':
        return await logList(ctx, args, values.json, { ticket: values.ticket, site: values.site, method: values.method, outcome: values.outcome, engineer: values.engineer, from: values.from, to: values.to, limit: values.limit, kind: values.kind }, { mine: values.mine, team: values.team, all: values.all });
      case 'log export': return await logExport(ctx, args, values.format);
      case 'log verify': return await logVerify(ctx, args);
      case 'log checkpoint': return await logCheckpoint(ctx, args, values.json);
      case 'log bundle': return await logBundle(ctx, args, values);
      case 'log witness': return await logWitness(ctx, args, values.json);
      case 'review import': return await reviewImport(ctx, args, values);
      case 'review list': return await reviewList(ctx, args, values);
      case 'review mark': return await reviewMark(ctx, args, values);
      case 'review export': return await reviewExport(ctx, args, values);
      case 'identity init': return await identityInit(ctx, args, values);
      case 'identity show': return await identityShow(ctx, args, values.json);
      default:
        if (group === 'connect') return await connect(ctx, values, [command, ...args].filter((a): a is string => a !== undefined));
        if (group === 'credentials') return await credentialsCommand(ctx, command, args, { json: values.json, key: values.key, kind: values.kind });
        if (group === 'team') return await teamCommand(ctx, command, args, values);
        if (group === 'approvals') return await approvalsCommand(ctx, command, args, values);
        if (group === 'doctor') throw new UsageError('usage: switchboard doctor');
        throw new UsageError(group ? `unknown command "${positionals.join(' ')}"\n\n${USAGE}` : USAGE);
    }
  } finally {
    await ctx.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { process.exitCode = reportError(error); },
);
