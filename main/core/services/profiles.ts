import type { ImportSummary } from '../../../contract/models';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import { exportProfile } from '../profiles/export';
import { importProfile } from '../profiles/import';
import { parseProfile } from '../profiles/parse';
import type { Db } from '../store/database';

/** Site profile files (docs/profile-format.md): import is all-or-nothing, export round-trips. */
export interface ProfileService {
  /** `baseDir` resolves relative paths in the file (VPN profiles) when it was read from disk. */
  import(text: string, baseDir?: string): Promise<ImportSummary>;
  export(customerIds?: number[]): Promise<string>;
}

export class SqliteProfiles implements ProfileService {
  constructor(private readonly db: Db, private readonly vpnProfiles: VpnProfileStore) {}

  async import(text: string, baseDir?: string): Promise<ImportSummary> {
    const { customerIds: _ids, ...summary } = importProfile(this.db, parseProfile(text, baseDir), this.vpnProfiles);
    return summary;
  }

  async export(customerIds?: number[]): Promise<string> { return exportProfile(this.db, customerIds); }
}
