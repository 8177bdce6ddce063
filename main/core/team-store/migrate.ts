import type { ClientBase } from 'pg';
import { TEAM_MIGRATIONS, type TeamMigration } from './migrations';

/** One lock for every migrator of any team store in this cluster: two `team init`s never interleave. */
const MIGRATION_LOCK = 0x5b_7e_a1_11;

export interface MigrationReport { from: number; to: number; applied: string[] }

/**
 * Brings the team store's schema to the newest version: each pending migration in its own transaction,
 * recorded in switchboard.schema_migrations, under an advisory lock. A database newer than this app is
 * refused rather than touched.
 */
export async function migrateTeamStore(client: ClientBase, migrations: readonly TeamMigration[] = TEAM_MIGRATIONS): Promise<MigrationReport> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS switchboard');
    await client.query(`CREATE TABLE IF NOT EXISTS switchboard.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_by text NOT NULL DEFAULT current_user, applied_at timestamptz NOT NULL DEFAULT now())`);
    const from = Number((await client.query<{ v: number | null }>('SELECT max(version) AS v FROM switchboard.schema_migrations')).rows[0]?.v ?? 0);
    const newest = migrations.at(-1)?.version ?? 0;
    if (from > newest) throw new Error(`The team store's schema is at version ${from}, newer than this Switchboard knows (${newest}); update Switchboard.`);
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => m.version > from)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.up);
        await client.query('INSERT INTO switchboard.schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Team store migration ${migration.version} (${migration.name}) failed and was rolled back: ${(error as Error).message}`);
      }
      applied.push(`${migration.version} ${migration.name}`);
    }
    return { from, to: Math.max(from, newest), applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
