import type { ParsedInputOf } from '../../../contract/api';
import type { Customer, CustomerSummary, Deleted, Host, NavigationEntry, Site, SiteSummary } from '../../../contract/models';
import type { TrashKind } from '../directory/trash';

export type CustomerFieldsInput = ParsedInputOf<'customers.create'>;
export type SiteCreateInput = ParsedInputOf<'sites.create'>;
export type SiteFieldsInput = ParsedInputOf<'sites.update'>['fields'];
export type HostFieldsInput = ParsedInputOf<'hosts.create'>['fields'];

/**
 * Customers, their sites and each site's trusted hosts: the data the access policy reads. Deletes are
 * soft (restorable for 30 days). Every change to them is a 'policy-change' record of the session log
 * (policy-record/), with the ticket when one is given.
 */
export interface DirectoryService {
  navigationIndex(): Promise<NavigationEntry[]>;

  listCustomers(): Promise<CustomerSummary[]>;
  getCustomer(id: number): Promise<Customer>;
  createCustomer(fields: CustomerFieldsInput): Promise<Customer>;
  updateCustomer(id: number, fields: CustomerFieldsInput, ticket?: string): Promise<Customer>;

  /** Every live site with its customer, for lists (`sites list`). */
  listSites(): Promise<SiteSummary[]>;
  getSite(id: number): Promise<Site>;
  /** "CUSTOMER/SITE" by names, or null. */
  findSite(customerName: string, siteName: string): Promise<number | null>;
  createSite(input: SiteCreateInput): Promise<Site>;
  updateSite(id: number, fields: SiteFieldsInput, ticket?: string): Promise<Site>;
  /** Input recording on or off for a site's new SSH sessions; false when it already was. */
  setRecordInput(siteId: number, on: boolean, ticket?: string): Promise<boolean>;

  createHost(siteId: number, fields: HostFieldsInput, ticket?: string): Promise<Host>;
  updateHost(id: number, fields: HostFieldsInput, ticket?: string): Promise<Host>;

  remove(kind: TrashKind, id: number): Promise<Deleted>;
  restore(kind: TrashKind, id: number, ticket?: string): Promise<void>;
}
