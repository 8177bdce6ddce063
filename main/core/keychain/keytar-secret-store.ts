import { createRequire } from 'node:module';
import { ApiError } from '../../../contract/errors';
import type { SecretStore } from './secret-store';

type Keytar = typeof import('keytar');

export const KEYCHAIN_SERVICE = 'switchboard';

const HOW_TO_FIX =
  process.platform === 'linux'
    ? 'On Linux Switchboard needs a running, unlocked Secret Service: install it with `sudo apt-get install gnome-keyring libsecret-1-0` and unlock it by logging in to your desktop session (headless: run inside `dbus-run-session` and start `gnome-keyring-daemon --unlock`).'
    : process.platform === 'darwin'
      ? 'Unlock your login keychain (Keychain Access) and try again.'
      : 'Make sure Windows Credential Manager is available for your user account.';

function unavailable(detail: string): ApiError {
  return new ApiError(
    'KEYCHAIN_UNAVAILABLE',
    `No OS keychain is available, so no secret can be stored or read (Switchboard never falls back to plain text). ${HOW_TO_FIX} Detail: ${detail}`,
  );
}

let loaded: Keytar | Error | undefined;
function loadKeytar(): Keytar {
  if (loaded === undefined) {
    try {
      loaded = createRequire(__filename)('keytar') as Keytar;
    } catch (error) {
      loaded = error as Error;
    }
  }
  if (loaded instanceof Error) throw unavailable(`the keytar module could not be loaded (${loaded.message.split('\n')[0]})`);
  return loaded;
}

export class KeytarSecretStore implements SecretStore {
  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  private async run<T>(action: (keytar: Keytar) => Promise<T>): Promise<T> {
    const keytar = loadKeytar();
    try {
      return await action(keytar);
    } catch (error) {
      throw unavailable((error as Error).message);
    }
  }

  get(account: string): Promise<string | null> {
    return this.run((k) => k.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.run((k) => k.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.run((k) => k.deletePassword(this.service, account));
  }

  async probe(): Promise<void> {
    await this.run((k) => k.findCredentials(this.service));
  }
}
