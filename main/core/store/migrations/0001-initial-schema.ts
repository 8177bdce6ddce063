import type { Migration } from './types';

/**
 * Customers, sites, hosts with per-method endpoints, VPN profiles, credential references and notes.
 * Rows are soft-deleted (deleted_at) so a delete can be undone; names stay unique among live rows.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial-schema',
  up: `
    CREATE TABLE customers (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      package TEXT NOT NULL,
      timezone TEXT NOT NULL,
      workdays_mask INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX customers_byName ON customers (name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE customer_holidays (
      customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
      day TEXT NOT NULL,
      PRIMARY KEY (customer_id, day)
    ) STRICT;

    CREATE TABLE customer_contacts (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      role TEXT,
      phone TEXT,
      email TEXT
    ) STRICT;
    CREATE INDEX customer_contacts_byCustomer ON customer_contacts (customer_id, position);

    CREATE TABLE sites (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      seats INTEGER NOT NULL CHECK (seats > 0),
      peak_calls INTEGER NOT NULL CHECK (peak_calls >= 0),
      product_version TEXT,
      ameyodb_days INTEGER,
      reportsdb_days INTEGER,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX sites_byCustomerName ON sites (customer_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;

    CREATE TABLE site_components (
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      component TEXT NOT NULL,
      PRIMARY KEY (site_id, component)
    ) STRICT;

    CREATE TABLE site_methods (
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      method TEXT NOT NULL,
      PRIMARY KEY (site_id, method)
    ) STRICT;

    CREATE TABLE hosts (
      id INTEGER PRIMARY KEY,
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      address TEXT,
      role TEXT,
      anydesk_id TEXT,
      teamviewer_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX hosts_bySiteName ON hosts (site_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;
    CREATE INDEX hosts_byAddress ON hosts (address);

    CREATE TABLE host_allow (
      host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      cidr TEXT NOT NULL,
      PRIMARY KEY (host_id, cidr)
    ) STRICT;

    CREATE TABLE host_ssh (
      host_id INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
      port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      user TEXT,
      host_key TEXT,
      credential TEXT,
      agent INTEGER NOT NULL DEFAULT 0 CHECK (agent IN (0, 1)),
      jump_host TEXT
    ) STRICT;

    CREATE TABLE host_https (
      host_id INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
      port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      path TEXT,
      cert_sha256 TEXT
    ) STRICT;

    CREATE TABLE host_vnc (
      host_id INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
      port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      credential TEXT,
      view_only INTEGER CHECK (view_only IN (0, 1))
    ) STRICT;

    CREATE TABLE vpn_profiles (
      site_id INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
      client TEXT NOT NULL,
      profile_path TEXT NOT NULL,
      gateway_host TEXT NOT NULL
    ) STRICT;

    CREATE TABLE credentials (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('password', 'private_key')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE notes (
      id INTEGER PRIMARY KEY,
      site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      host_id INTEGER REFERENCES hosts (id) ON DELETE CASCADE,
      position INTEGER NOT NULL DEFAULT 0,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE INDEX notes_bySite ON notes (site_id, host_id);

    CREATE TABLE note_revisions (
      id INTEGER PRIMARY KEY,
      note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX note_revisions_byNote ON note_revisions (note_id, id);

    CREATE VIRTUAL TABLE notes_fts USING fts5 (
      title, body, content = 'notes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
      INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
      INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER notes_fts_update AFTER UPDATE OF title, body ON notes BEGIN
      INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
  `,
};
