/** What every team-store migration file needs; apart from migrations.ts, which imports the files. */
export interface TeamMigration { version: number; name: string; up: string }

export const ENGINEER_ROLE = 'switchboard_engineer';
export const LEAD_ROLE = 'switchboard_lead';

/** No UPDATE, DELETE or TRUNCATE on the table, whoever asks (switchboard.refuse_change is migration 1's). */
export const INSERT_ONLY = (table: string) => `
CREATE TRIGGER ${table}_insert_only BEFORE UPDATE OR DELETE ON switchboard.${table}
  FOR EACH ROW EXECUTE FUNCTION switchboard.refuse_change();
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON switchboard.${table}
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard.refuse_change();`;
