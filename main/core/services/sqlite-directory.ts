import type { CurrentEngineer } from '../who';
import type { Customer, CustomerSummary, Deleted, Host, NavigationEntry, Site, SiteSummary } from '../../../contract/models';
import { createCustomer, getCustomer, listCustomers, listSiteSummaries, updateCustomer } from '../directory/customers';
import { createHost, getHost, updateHost } from '../directory/hosts';
import { navigationIndex } from '../directory/navigation';
import { createSite, findSiteId, getSite, setRecordInput, updateSite } from '../directory/sites';
import { createSiteGateway, setSiteVpn } from '../directory/site-vpn';
import { restoreDeleted, softDelete, type TrashKind } from '../directory/trash';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import { recordPolicyChange, type PolicyChangeVia } from '../policy-record/recorder';
import type { Db } from '../store/database';
import type { CustomerFieldsInput, DirectoryService, HostFieldsInput, SiteCreateInput, SiteFieldsInput } from './directory';

/** The directory in the local SQLite file; each change commits together with its record in the session log. */
export class SqliteDirectory implements DirectoryService {
  constructor(private readonly db: Db, private readonly vpnProfiles: VpnProfileStore, private readonly engineer: CurrentEngineer) {}

  async navigationIndex(): Promise<NavigationEntry[]> { return navigationIndex(this.db); }

  async listCustomers(): Promise<CustomerSummary[]> { return listCustomers(this.db); }
  async getCustomer(id: number): Promise<Customer> { return getCustomer(this.db, id); }
  async createCustomer(fields: CustomerFieldsInput): Promise<Customer> {
    return getCustomer(this.db, this.recorded('form', undefined, () => createCustomer(this.db, fields)));
  }
  async updateCustomer(id: number, fields: CustomerFieldsInput, ticket?: string): Promise<Customer> {
    this.recorded('form', ticket, () => updateCustomer(this.db, id, fields));
    return getCustomer(this.db, id);
  }

  async listSites(): Promise<SiteSummary[]> { return listSiteSummaries(this.db); }
  async getSite(id: number): Promise<Site> { return getSite(this.db, id); }
  async findSite(customerName: string, siteName: string): Promise<number | null> { return findSiteId(this.db, customerName, siteName) ?? null; }

  async createSite({ customerId, fields, gatewayHost, ticket }: SiteCreateInput): Promise<Site> {
    // The site and its VPN gateway host land together or not at all.
    return this.recorded('form', ticket, () => {
      const id = createSite(this.db, customerId, fields, this.engineer());
      if (gatewayHost) createSiteGateway(this.db, id, fields.vpn?.gateway, gatewayHost);
      setSiteVpn(this.db, this.vpnProfiles, id, fields.vpn);
      return getSite(this.db, id);
    });
  }

  async updateSite(id: number, fields: SiteFieldsInput, ticket?: string): Promise<Site> {
    return this.recorded('form', ticket, () => {
      updateSite(this.db, id, fields, this.engineer());
      setSiteVpn(this.db, this.vpnProfiles, id, fields.vpn);
      return getSite(this.db, id);
    });
  }

  /** Today only the CLI's `sites set` calls this (the window sets it with the site's form). */
  async setRecordInput(siteId: number, on: boolean, ticket?: string): Promise<boolean> {
    return this.recorded('cli', ticket, () => setRecordInput(this.db, siteId, on, this.engineer()));
  }

  async createHost(siteId: number, fields: HostFieldsInput, ticket?: string): Promise<Host> {
    getSite(this.db, siteId);
    return getHost(this.db, this.recorded('form', ticket, () => createHost(this.db, siteId, fields)));
  }

  async updateHost(id: number, fields: HostFieldsInput, ticket?: string): Promise<Host> {
    this.recorded('form', ticket, () => updateHost(this.db, id, fields));
    return getHost(this.db, id);
  }

  async remove(kind: TrashKind, id: number): Promise<Deleted> { return this.recorded('remove', undefined, () => softDelete(this.db, kind, id)); }
  async restore(kind: TrashKind, id: number, ticket?: string): Promise<void> { this.recorded('restore', ticket, () => restoreDeleted(this.db, kind, id)); }

  private recorded<T>(via: PolicyChangeVia, ticket: string | undefined, change: () => T): T {
    return recordPolicyChange(this.db, { engineer: this.engineer(), via, ticket }, change);
  }
}
