import type { SecretStore } from './secret-store';

/**
 * One data dir's share of the OS keychain. Every data dir on a machine shares the one keychain
 * service, so each names its entries `<store id>/<purpose>/<name>` with the random id its database
 * was created with (store_meta): a second data dir — a test lab, a second customer set, a lead's and
 * an engineer's on one laptop — never reads or overwrites another's secrets.
 */
export class ScopedSecretStore implements SecretStore {
  constructor(private readonly inner: SecretStore, private readonly prefix: string) {}

  static account(storeId: string, purpose: string, name: string): string {
    return `${storeId}/${purpose}/${name}`;
  }

  get(name: string): Promise<string | null> { return this.inner.get(this.prefix + name); }
  set(name: string, secret: string): Promise<void> { return this.inner.set(this.prefix + name, secret); }
  delete(name: string): Promise<boolean> { return this.inner.delete(this.prefix + name); }
  probe(): Promise<void> { return this.inner.probe(); }
}

/** A data dir's keychain, by purpose: credentials, its identity key, its latest checkpoint. */
export function scopedSecrets(inner: SecretStore, storeId: string, purpose: 'credential' | 'identity' | 'checkpoint' | 'team'): ScopedSecretStore {
  return new ScopedSecretStore(inner, ScopedSecretStore.account(storeId, purpose, ''));
}
