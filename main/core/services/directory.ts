import type { ParsedInputOf } from '../../../contract/api';
import type { Customer, CustomerSummary, Deleted, Host, NavigationEntry, Site, SiteSummary } from '../../../contract/models';
import type { TrashKind } from '../directory/trash';

export type CustomerFieldsInput = ParsedInputOf<'customers.create'>;
export type SiteCreateInput = ParsedInputOf<'sites.create'>;
export type SiteFieldsInput = ParsedInputOf<'sites.update'>['fields'];
export type HostFieldsInput = ParsedInputOf<'hosts.create'>['fields'];

/**
 * Customers, their sites and each site's trusted hosts: the data the access policy reads. Deletes are
 * soft (restorable for 30 days). Changes name who made them where the record keeps that.
 */
export interface DirectoryService {
  navigationIndex(): Promise<NavigationEntry[]>;

  listCustomers(): Promise<CustomerSummary[]>;
  getCustomer(id: number): Promise<Customer>;
  createCustomer(fields: CustomerFieldsInput): Promise<Customer>;
  updateCustomer(id: number, fields: CustomerFieldsInput): Promise<Customer>;

  /** Every live site with its customer, for lists (`sites list`). */
  listSites(): Promise<SiteSummary[]>;
  getSite(id: number): Promise<Site>;
  /** "CUSTOMER/SITE" by names, or null. */
  findSite(customerName: string, siteName: string): Promise<number | null>;
  createSite(input: SiteCreateInput): Promise<Site>;
  updateSite(id: number, fields: SiteFieldsInput): Promise<Site>;
  /** Input recording on or off for a site's new SSH sessions; false when it already was. */
  setRecordInput(siteId: number, on: boolean): Promise<boolean>;

  createHost(siteId: number, fields: HostFieldsInput): Promise<Host>;
  updateHost(id: number, fields: HostFieldsInput): Promise<Host>;

  remove(kind: TrashKind, id: number): Promise<Deleted>;
  restore(kind: TrashKind, id: number): Promise<void>;
}
