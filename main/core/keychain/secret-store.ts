/** Where secrets live. The only implementation that ships is the OS keychain; there is no plaintext fallback. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Throws KEYCHAIN_UNAVAILABLE, with what to install or unlock, when no keychain answers. */
  probe(): Promise<void>;
}
