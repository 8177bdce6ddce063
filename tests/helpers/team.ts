import fs from 'node:fs';
import path from 'node:path';
import { runCli } from './cli';

export interface TeamMember {
  dataDir: string;
  name: string;
  email: string;
  role: 'engineer' | 'lead';
}

export interface Team {
  /** Each member's `identity show --json`, by e-mail. */
  identities: Record<string, { public_key: string; fingerprint: string }>;
  /** The signing lead's key fingerprint, as a person confirms it. */
  leadFingerprint: string;
  rosterFile: string;
  signedRosterFile: string;
}

function cli(dataDir: string, args: string[]): string {
  const result = runCli(args, { dataDir });
  if (result.status !== 0) throw new Error(`switchboard ${args.join(' ')} (in ${dataDir}) exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** `identity init` through the built CLI, then `identity show --json`. */
export function createIdentity(member: TeamMember): { public_key: string; fingerprint: string } {
  cli(member.dataDir, ['identity', 'init', '--name', member.name, '--email', member.email, '--role', member.role]);
  return JSON.parse(cli(member.dataDir, ['identity', 'show', '--json'])) as { public_key: string; fingerprint: string };
}

/**
 * A team as people set one up, through the built CLI: every member's identity (keys in the real
 * keychain), a roster of all of them written to `scratchDir` and signed by `lead` (the first lead), and
 * the roster imported into every member's data dir — the lead's trusting its own signature, the others
 * confirming the lead's fingerprint. Throws naming the step and what the CLI said if one fails.
 */
export function setUpTeam(members: TeamMember[], scratchDir: string, team = 'Premium Support EMEA'): Team {
  const lead = members.find((m) => m.role === 'lead');
  if (!lead) throw new Error('a team needs a lead to sign its roster');
  const identities = Object.fromEntries(members.map((m) => [m.email, createIdentity(m)]));
  const rosterFile = path.join(scratchDir, 'roster.yaml');
  const signedRosterFile = path.join(scratchDir, 'roster.signed');
  fs.writeFileSync(rosterFile, `version: 1\nteam: ${team}\nmembers:\n${members
    .map((m) => `  - { name: ${m.name}, email: ${m.email}, role: ${m.role}, public_key: "${identities[m.email]!.public_key}" }\n`).join('')}`);
  cli(lead.dataDir, ['team', 'roster', 'sign', rosterFile, '--out', signedRosterFile]);
  const leadFingerprint = identities[lead.email]!.fingerprint;
  for (const m of members) cli(m.dataDir, ['team', 'roster', 'import', signedRosterFile, ...(m === lead ? [] : ['--trust-lead', leadFingerprint])]);
  return { identities, leadFingerprint, rosterFile, signedRosterFile };
}
