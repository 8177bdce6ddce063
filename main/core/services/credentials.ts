import type { CredentialKind } from '../../../contract/domain/vocabulary';
import type { CredentialStatus, CredentialTestResult } from '../../../contract/models';

/**
 * Credentials by name. Secrets go in and are tested, never come back out: only the core's own
 * sessions read them (Credentials.reveal), so this door has no way to.
 */
export interface CredentialService {
  list(): Promise<CredentialStatus[]>;
  set(name: string, kind: CredentialKind, secret: string): Promise<CredentialStatus>;
  delete(name: string): Promise<void>;
  test(name: string): Promise<CredentialTestResult>;
}
