import { ENGINEER_ROLE, INSERT_ONLY, LEAD_ROLE, type TeamMigration } from '../migration-types';

/**
 * Site profiles are authoritative in the team store, one row per customer (its part of the profile file,
 * without notes, which keep revisions of their own), with an optimistic version: an edit names the
 * version it was made on and makes the next one, so an offline edit made on an older version cannot
 * silently overwrite a newer one — the app finds the conflict and keeps the edit for the engineer.
 *
 * Who may edit profiles is the team setting `profile_editors` ('leads', the default, or 'everyone'),
 * which only a lead changes; the database refuses an edit by anyone else. Every version is kept in
 * profile_revisions (insert-only, written by the trigger, never by a client), and every change of a
 * setting in setting_changes.
 */
export const migration0005: TeamMigration = {
  version: 5,
  name: 'profiles-with-versions',
  up: `
ALTER TABLE switchboard.settings ADD CONSTRAINT settings_profile_editors CHECK (key <> 'profile_editors' OR value IN ('leads', 'everyone'));

CREATE FUNCTION switchboard.may_edit_profiles() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT switchboard.is_lead() OR (
    EXISTS (SELECT 1 FROM switchboard.members WHERE login = current_user)
    AND (SELECT value FROM switchboard.settings WHERE key = 'profile_editors') = 'everyone')
$$;

CREATE TABLE switchboard.setting_changes (
  id bigserial PRIMARY KEY,
  key text NOT NULL,
  old_value text,
  new_value text NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL
);
${INSERT_ONLY('setting_changes')}

-- Checked as the caller (current_user is the caller only outside SECURITY DEFINER); written down by the
-- store's owner, so no member can write setting_changes directly.
CREATE FUNCTION switchboard.settings_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT switchboard.is_lead() THEN
    RAISE EXCEPTION '% is not a lead of this team: only a lead changes the team''s settings', current_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION switchboard.settings_written() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO switchboard.setting_changes (key, old_value, new_value, changed_by, changed_at)
    VALUES (NEW.key, CASE WHEN TG_OP = 'UPDATE' THEN OLD.value END, NEW.value, session_user, clock_timestamp());
  RETURN NULL;
END $$;
CREATE TRIGGER settings_check BEFORE INSERT OR UPDATE ON switchboard.settings
  FOR EACH ROW EXECUTE FUNCTION switchboard.settings_check();
CREATE TRIGGER settings_written AFTER INSERT OR UPDATE ON switchboard.settings
  FOR EACH ROW EXECUTE FUNCTION switchboard.settings_written();
CREATE TRIGGER settings_kept BEFORE DELETE OR TRUNCATE ON switchboard.settings
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard.refuse_change();

CREATE TABLE switchboard.profiles (
  customer text PRIMARY KEY,
  version integer NOT NULL CHECK (version > 0),
  document jsonb NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  updated_by text NOT NULL DEFAULT current_user,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX profiles_by_name ON switchboard.profiles (lower(customer));

CREATE TABLE switchboard.profile_revisions (
  id bigserial PRIMARY KEY,
  customer text NOT NULL,
  version integer NOT NULL,
  document jsonb NOT NULL,
  deleted boolean NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (customer, version)
);
${INSERT_ONLY('profile_revisions')}

-- Each edit: allowed by the team setting, on the version it names (new profiles start at 1), stamped
-- with who and the store's time (not the laptop's) — checked as the caller — and then kept as a
-- revision by the store's owner (members cannot write revisions themselves).
CREATE FUNCTION switchboard.profile_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT switchboard.may_edit_profiles() THEN
    RAISE EXCEPTION '% may not edit profiles: the team''s setting profile_editors is "%"', current_user,
      (SELECT value FROM switchboard.settings WHERE key = 'profile_editors') USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' AND NEW.version <> 1 THEN
    RAISE EXCEPTION 'a new profile starts at version 1, not %', NEW.version USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.customer <> OLD.customer THEN
      RAISE EXCEPTION 'a profile is not renamed in place (% to %): the new name is a new profile', OLD.customer, NEW.customer USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.version <> OLD.version + 1 THEN
      RAISE EXCEPTION 'the profile of % is at version %: an edit makes version %, not %', OLD.customer, OLD.version, OLD.version + 1, NEW.version
        USING ERRCODE = 'serialization_failure';
    END IF;
  END IF;
  NEW.updated_by := current_user;
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE FUNCTION switchboard.profile_written() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO switchboard.profile_revisions (customer, version, document, deleted, updated_by, updated_at)
    VALUES (NEW.customer, NEW.version, NEW.document, NEW.deleted, NEW.updated_by, NEW.updated_at);
  RETURN NULL;
END $$;
CREATE TRIGGER profile_check BEFORE INSERT OR UPDATE ON switchboard.profiles
  FOR EACH ROW EXECUTE FUNCTION switchboard.profile_check();
CREATE TRIGGER profile_written AFTER INSERT OR UPDATE ON switchboard.profiles
  FOR EACH ROW EXECUTE FUNCTION switchboard.profile_written();
-- A profile is never removed: deleting a customer is a version with deleted = true.
CREATE TRIGGER profiles_kept BEFORE DELETE ON switchboard.profiles
  FOR EACH ROW EXECUTE FUNCTION switchboard.refuse_change();
CREATE TRIGGER profiles_no_truncate BEFORE TRUNCATE ON switchboard.profiles
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard.refuse_change();

ALTER TABLE switchboard.profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE switchboard.settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON switchboard.profiles FOR SELECT USING (true);
CREATE POLICY editors_insert ON switchboard.profiles FOR INSERT WITH CHECK (switchboard.may_edit_profiles());
CREATE POLICY editors_update ON switchboard.profiles FOR UPDATE USING (true) WITH CHECK (switchboard.may_edit_profiles());
CREATE POLICY read_all ON switchboard.settings FOR SELECT USING (true);
CREATE POLICY leads_change ON switchboard.settings FOR UPDATE USING (true) WITH CHECK (switchboard.is_lead());

GRANT SELECT ON switchboard.profiles, switchboard.profile_revisions, switchboard.setting_changes TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT INSERT, UPDATE (version, document, deleted) ON switchboard.profiles TO ${ENGINEER_ROLE}, ${LEAD_ROLE};
GRANT UPDATE (value) ON switchboard.settings TO ${LEAD_ROLE};
`,
};
