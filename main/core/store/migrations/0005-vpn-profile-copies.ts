import type { Migration } from './types';

/**
 * A site's VPN profile is connected from Switchboard's own checked copy, kept in the data dir under
 * its SHA-256 (launchers/vpn-profile-store.ts); the hash is recorded here. A profile set before this
 * version has none and must be set again before it connects: nobody checked it for hooks.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'vpn-profile-copies',
  up: `
    ALTER TABLE vpn_profiles ADD COLUMN profile_sha256 TEXT
      CHECK (profile_sha256 IS NULL OR (length(profile_sha256) = 64 AND profile_sha256 NOT GLOB '*[^0-9a-f]*'));
  `,
};
