import type { Migration } from './types';

/**
 * A host's pinned SSH key moves out of its SSH endpoint into a table of its own, keyed by the host.
 * Editing the endpoint rewrote the host_ssh row, so unticking SSH, saving and adding it again cleared
 * the pin and let the next connection pin whatever key it was offered. The pin now outlives the
 * endpoint; it changes only by first use (no pin yet) or the logged replacement (hosts.replaceHostKey).
 */
export const migration0006: Migration = {
  version: 6,
  name: 'host-key-pins',
  up: `
    CREATE TABLE host_key_pins (
      host_id INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL CHECK (fingerprint GLOB 'SHA256:*'),
      pinned_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO host_key_pins (host_id, fingerprint, pinned_at)
      SELECT s.host_id, s.host_key, h.updated_at FROM host_ssh s JOIN hosts h ON h.id = s.host_id WHERE s.host_key IS NOT NULL;
    ALTER TABLE host_ssh DROP COLUMN host_key;
  `,
};
