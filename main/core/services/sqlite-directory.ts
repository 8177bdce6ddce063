import type { Customer, CustomerSummary, Deleted, Host, NavigationEntry, Site, SiteSummary } from '../../../contract/models';
import { createCustomer, getCustomer, listCustomers, listSiteSummaries, updateCustomer } from '../directory/customers';
import { createHost, getHost, updateHost } from '../directory/hosts';
import { navigationIndex } from '../directory/navigation';
import { createSite, findSiteId, getSite, setRecordInput, updateSite } from '../directory/sites';
import { createSiteGateway, setSiteVpn } from '../directory/site-vpn';
import { restoreDeleted, softDelete, type TrashKind } from '../directory/trash';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import type { Db } from '../store/database';
import type { CustomerFieldsInput, DirectoryService, HostFieldsInput, SiteCreateInput, SiteFieldsInput } from './directory';

/** The directory in the local SQLite file. */
export class SqliteDirectory implements DirectoryService {
  constructor(private readonly db: Db, private readonly vpnProfiles: VpnProfileStore, private readonly engineer: string) {}

  async navigationIndex(): Promise<NavigationEntry[]> { return navigationIndex(this.db); }

  async listCustomers(): Promise<CustomerSummary[]> { return listCustomers(this.db); }
  async getCustomer(id: number): Promise<Customer> { return getCustomer(this.db, id); }
  async createCustomer(fields: CustomerFieldsInput): Promise<Customer> { return getCustomer(this.db, createCustomer(this.db, fields)); }
  async updateCustomer(id: number, fields: CustomerFieldsInput): Promise<Customer> {
    updateCustomer(this.db, id, fields);
    return getCustomer(this.db, id);
  }

  async listSites(): Promise<SiteSummary[]> { return listSiteSummaries(this.db); }
  async getSite(id: number): Promise<Site> { return getSite(this.db, id); }
  async findSite(customerName: string, siteName: string): Promise<number | null> { return findSiteId(this.db, customerName, siteName) ?? null; }

  async createSite({ customerId, fields, gatewayHost }: SiteCreateInput): Promise<Site> {
    // The site and its VPN gateway host land together or not at all.
    return this.db.transaction(() => {
      const id = createSite(this.db, customerId, fields, this.engineer);
      if (gatewayHost) createSiteGateway(this.db, id, fields.vpn?.gateway, gatewayHost);
      setSiteVpn(this.db, this.vpnProfiles, id, fields.vpn);
      return getSite(this.db, id);
    })();
  }

  async updateSite(id: number, fields: SiteFieldsInput): Promise<Site> {
    return this.db.transaction(() => {
      updateSite(this.db, id, fields, this.engineer);
      setSiteVpn(this.db, this.vpnProfiles, id, fields.vpn);
      return getSite(this.db, id);
    })();
  }

  async setRecordInput(siteId: number, on: boolean): Promise<boolean> { return setRecordInput(this.db, siteId, on, this.engineer); }

  async createHost(siteId: number, fields: HostFieldsInput): Promise<Host> {
    getSite(this.db, siteId);
    return getHost(this.db, createHost(this.db, siteId, fields));
  }

  async updateHost(id: number, fields: HostFieldsInput): Promise<Host> {
    updateHost(this.db, id, fields);
    return getHost(this.db, id);
  }

  async remove(kind: TrashKind, id: number): Promise<Deleted> { return softDelete(this.db, kind, id); }
  async restore(kind: TrashKind, id: number): Promise<void> { restoreDeleted(this.db, kind, id); }
}
