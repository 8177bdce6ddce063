import type { CurrentEngineer } from '../who';
import type { ImportSummary } from '../../../contract/models';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import { exportProfile } from '../profiles/export';
import { importProfile } from '../profiles/import';
import { parseProfile } from '../profiles/parse';
import { recordPolicyChange } from '../policy-record/recorder';
import type { Db } from '../store/database';

/** Site profile files (docs/profile-format.md): import is all-or-nothing, export round-trips. */
export interface ProfileService {
  /** `baseDir` resolves relative paths in the file (VPN profiles) when it was read from disk. */
  import(text: string, baseDir?: string, ticket?: string): Promise<ImportSummary>;
  export(customerIds?: number[]): Promise<string>;
}

export class SqliteProfiles implements ProfileService {
  constructor(private readonly db: Db, private readonly vpnProfiles: VpnProfileStore, private readonly engineer: CurrentEngineer) {}

  /** Every customer, site and host the file adds is a 'policy-change' record, committed with the import. */
  async import(text: string, baseDir?: string, ticket?: string): Promise<ImportSummary> {
    const parsed = parseProfile(text, baseDir);
    const { customerIds: _ids, ...summary } = recordPolicyChange(this.db, { engineer: this.engineer(), via: 'import', ticket }, () => importProfile(this.db, parsed, this.vpnProfiles));
    return summary;
  }

  async export(customerIds?: number[]): Promise<string> { return exportProfile(this.db, customerIds); }
}
