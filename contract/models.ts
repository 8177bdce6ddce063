/** What the core sends back to the window. Plain data; never a secret. */
import type { Component, CredentialKind, Method, SupportPackage, VpnClient, Weekday } from './domain/vocabulary';

export type Id = number;

export interface Contact { name: string; role?: string; phone?: string; email?: string }

export interface CustomerSummary { id: Id; name: string; package: SupportPackage; timezone: string; siteCount: number }

export interface Customer {
  id: Id;
  name: string;
  package: SupportPackage;
  timezone: string;
  workdays: Weekday[];
  holidays: string[];
  contacts: Contact[];
  sites: SiteSummary[];
}

export interface SiteSummary { id: Id; customerId: Id; customerName: string; name: string; seats: number; hostCount: number; noteCount: number }

export interface SshEndpoint { port: number; user?: string; hostKey?: string; credential?: string; agent?: boolean; jump?: string }
export interface HttpsEndpoint { port: number; path?: string; certSha256?: string }
export interface VncEndpoint { port: number; credential?: string; viewOnly?: boolean }

export interface Host {
  id: Id;
  siteId: Id;
  name: string;
  address?: string;
  allow: string[];
  role?: string;
  ssh?: SshEndpoint;
  https?: HttpsEndpoint;
  vnc?: VncEndpoint;
  anydesk?: string;
  teamviewer?: string;
}

export interface VpnProfile { client: VpnClient; profile: string; gateway: string }

export interface Retention { ameyodbDays: number; reportsdbDays: number }

export interface Site {
  id: Id;
  customerId: Id;
  customerName: string;
  name: string;
  seats: number;
  peakCalls: number;
  components: Component[];
  productVersion?: string;
  approvedMethods: Method[];
  retention?: Retention;
  vpn?: VpnProfile;
  hosts: Host[];
  notes: NoteSummary[];
  /** Credential names referenced by this site's endpoints, with whether the keychain holds them. */
  credentials: CredentialStatus[];
}

export interface CredentialStatus { name: string; kind?: CredentialKind; stored: boolean; updatedAt?: string }

export interface NoteSummary { id: Id; siteId: Id; hostId?: Id; hostName?: string; title: string; updatedAt: string; revisionCount: number }
export interface Note extends NoteSummary { body: string; customerName: string; siteName: string }

export interface NoteRevision { id: Id; noteId: Id; title: string; body: string; createdAt: string; number: number }

export interface SnippetPart { text: string; match: boolean }
export interface NoteMatch {
  noteId: Id;
  customerId: Id;
  customer: string;
  siteId: Id;
  site: string;
  host?: string;
  title: string;
  snippet: SnippetPart[];
  rank: number;
}

export interface NavigationEntry { kind: 'customer' | 'site' | 'host'; id: Id; label: string; description: string; customerId: Id; siteId?: Id }

export interface ImportSummary { customers: number; sites: number; hosts: number; notes: number }

export interface CredentialTestResult { name: string; exists: boolean; readable: boolean; message: string }

export interface AppInfo { version: string; dataDir: string; databasePath: string; mode: 'electron' | 'web'; keychain: { available: boolean; message: string } }

export interface Deleted { kind: 'customer' | 'site' | 'host' | 'note'; id: Id; label: string }
