import type { IdentityView } from '../../../contract/accountability';
import type { CliContext } from '../context';
import { CheckFailed, UsageError } from '../errors';

const INIT_USAGE = 'usage: switchboard identity init --name NAME --email EMAIL [--role engineer|lead]';

export interface IdentityFlags { name?: string; email?: string; role?: string; json: boolean }

/** `identity init`: a key pair for this data dir (private half to the keychain), and the lines to give a lead. */
export async function identityInit(ctx: CliContext, args: string[], flags: IdentityFlags): Promise<number> {
  if (args.length > 0 || !flags.name || !flags.email) throw new UsageError(INIT_USAGE);
  const role = flags.role ?? 'engineer';
  if (role !== 'engineer' && role !== 'lead') throw new UsageError(`--role is engineer or lead, not "${role}"\n${INIT_USAGE}`);
  const identity = await ctx.core().services.accountability.initIdentity({ name: flags.name, email: flags.email, role });
  if (flags.json) return console.log(JSON.stringify(identityJson(identity), null, 2)), 0;
  console.log(`Identity created: ${identity.name} <${identity.email}>, ${identity.role}`);
  printKey(identity);
  console.log('The private key is in the OS keychain only. Give your lead the roster line below and confirm the fingerprint with them by voice:');
  console.log(`  - { name: ${identity.name}, email: ${identity.email}, role: ${identity.role}, public_key: "${identity.publicKey}" }`);
  return 0;
}

/** `identity show [--json]`: who this data dir signs as. Exit 1 when it has no identity yet. */
export async function identityShow(ctx: CliContext, args: string[], json: boolean): Promise<number> {
  if (args.length > 0) throw new UsageError('usage: switchboard identity show [--json]');
  const identity = await ctx.core().services.accountability.identity();
  if (!identity) throw new CheckFailed('this data dir has no identity yet; create one with "switchboard identity init --name NAME --email EMAIL"');
  if (json) return console.log(JSON.stringify(identityJson(identity), null, 2)), 0;
  console.log(`${identity.name} <${identity.email}>`);
  console.log(`Role:        ${identity.role}${identity.rosterRole && identity.rosterRole !== identity.role ? ` (the team roster says ${identity.rosterRole})` : identity.rosterRole ? '' : ' (not in a trusted team roster yet)'}`);
  printKey(identity);
  return 0;
}

function printKey(identity: IdentityView): void {
  console.log(`Public key:  ${identity.publicKey}`);
  console.log(`Fingerprint: ${identity.fingerprint}`);
}

function identityJson(identity: IdentityView) {
  return {
    name: identity.name, email: identity.email, role: identity.role, public_key: identity.publicKey, fingerprint: identity.fingerprint,
    roster_role: identity.rosterRole, created_at: identity.createdAt,
  };
}
