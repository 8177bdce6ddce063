import { createHash, randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';
import { ApiError } from '../../../contract/errors';
import { migrateTeamStore, type MigrationReport } from './migrate';
import { ENGINEER_ROLE, LEAD_ROLE } from './migrations';
import { scramVerifier } from './scram';

export type TeamRole = 'engineer' | 'lead';

export interface NewMember { name: string; email: string; role: TeamRole }

/** A fresh secret: a join secret or a login's password (never shown again once kept in the keychain). */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The person's PostgreSQL login: `sb_` and their e-mail in role-name characters, with a short hash of the
 * whole address so two e-mails that read alike never share one. At most 63 bytes (PostgreSQL's limit).
 */
export function loginFor(email: string): string {
  const readable = email.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return `sb_${readable}_${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 8)}`;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

function checkMember(member: NewMember): void {
  if (!member.name.trim()) throw new ApiError('INVALID_INPUT', 'A member needs a name (--name).');
  if (!EMAIL.test(member.email)) throw new ApiError('INVALID_INPUT', `"${member.email}" is not an e-mail address (--email).`);
  if (member.role !== 'engineer' && member.role !== 'lead') throw new ApiError('INVALID_INPUT', `--role is engineer or lead, not "${member.role as string}".`);
}

/** What PostgreSQL refused, in words (a rule of the database, a duplicate, a missing right). */
export function refusal(error: unknown, doing: string): ApiError {
  const pgError = error as { code?: string; message?: string };
  if (pgError.code === '23505') return new ApiError('CONFLICT', `Could not ${doing}: ${pgError.message} (it exists already).`);
  if (pgError.code === '42501') return new ApiError('TEAM_STORE_REFUSED', `The team store refused to ${doing}: ${pgError.message}.`);
  if (error instanceof ApiError) return error;
  return new ApiError('TEAM_STORE_REFUSED', `Could not ${doing}: ${pgError.message ?? String(error)}.`);
}

/**
 * `team init`, run with a role allowed to create roles: creates or migrates the schema and the two group
 * roles, and makes the person running it the team's first lead (a login role of their own, with a
 * password the caller keeps in the keychain). Run again, it only migrates.
 */
export async function initTeamStore(admin: ClientBase, lead: { name: string; email: string; fingerprint: string | null }, password: string): Promise<{ login: string; migration: MigrationReport; created: boolean }> {
  checkMember({ ...lead, role: 'lead' });
  const migration = await migrateTeamStore(admin);
  const login = loginFor(lead.email);
  const existing = await admin.query<{ role: string }>('SELECT role FROM switchboard.members WHERE login = $1', [login]);
  if (existing.rows[0]) {
    if (existing.rows[0].role !== 'lead') throw new ApiError('CONFLICT', `${lead.email} is an engineer of this team store, not a lead.`);
    await admin.query(`ALTER ROLE ${quoteIdent(login)} PASSWORD ${quoteLiteral(scramVerifier(password))}`);
    return { login, migration, created: false };
  }
  await admin.query('BEGIN');
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
    if (role.rowCount) await admin.query(`ALTER ROLE ${quoteIdent(login)} LOGIN PASSWORD ${quoteLiteral(scramVerifier(password))}`);
    else await admin.query(`CREATE ROLE ${quoteIdent(login)} LOGIN PASSWORD ${quoteLiteral(scramVerifier(password))}`);
    await admin.query(`GRANT ${LEAD_ROLE} TO ${quoteIdent(login)}`);
    await admin.query('INSERT INTO switchboard.members (login, name, email, role, fingerprint) VALUES ($1, $2, $3, $4, $5)', [login, lead.name, lead.email, 'lead', lead.fingerprint]);
    await admin.query('COMMIT');
  } catch (error) {
    await admin.query('ROLLBACK');
    throw refusal(error, `make ${lead.email} the team's first lead`);
  }
  return { login, migration, created: true };
}

/** `team add-member`, as a lead: the person's login role and a one-time join secret for them. */
export async function addMember(lead: ClientBase, member: NewMember): Promise<{ name: string; login: string; join_secret: string }> {
  checkMember(member);
  const login = loginFor(member.email);
  const secret = newSecret();
  try {
    await lead.query('SELECT switchboard.add_member($1, $2, $3, $4, $5)', [login, member.name, member.email, member.role, scramVerifier(secret)]);
  } catch (error) {
    if ((error as { code?: string }).code === '42501') {
      throw new ApiError('TEAM_STORE_REFUSED', `Only a lead of the team adds members; the team store refused it (${(error as Error).message}).`);
    }
    throw refusal(error, `add ${member.email}`);
  }
  return { name: member.name, login, join_secret: secret };
}

/** `team join`: signed in with the join secret, the person sets a password of their own; the secret is spent. */
export async function spendJoinSecret(member: ClientBase, newPassword: string): Promise<void> {
  await member.query(`ALTER ROLE CURRENT_USER PASSWORD ${quoteLiteral(scramVerifier(newPassword))}`);
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const GROUP_ROLES = { engineer: ENGINEER_ROLE, lead: LEAD_ROLE } as const;
