import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import type { AppInfo, CredentialStatus, CredentialTestResult, Customer, Site } from '../../contract/models';
import type { TestCore as Core } from '../helpers/core';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { ScopedSecretStore } from '../../main/core/keychain/scoped-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import type { SecretStore } from '../../main/core/keychain/secret-store';
import { DATABASE_FILE } from '../../main/core/store/database';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { call, callError, customerFields, hostFields, siteFields, useCores } from '../helpers/core';
import { useTempDirs } from '../helpers/temp-dir';

const RUN = randomBytes(4).toString('hex');
const created = new Set<string>();
/** A credential name unique to this run, removed from the keychain afterwards. */
const credentialName = (label: string) => {
  const name = `sbtest-${label}-${RUN}`;
  created.add(name);
  return name;
};
const secretValue = (label: string) => `s3cret-${label}-${randomBytes(12).toString('hex')}`;

const newCore = useCores();
const tempDir = useTempDirs('switchboard-keychain-');

beforeAll(() => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS || !process.env.SWITCHBOARD_IN_KEYRING_SESSION) {
    throw new Error(
      'The keychain tests need a real Secret Service in a private session. Run them through scripts/with-keyring.sh, e.g.\n' +
        '  scripts/with-keyring.sh npx vitest run --project integration',
    );
  }
});
afterAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return;
  // Every data dir's entries are named <store id>/credential/<name>; remove this run's, and any bare legacy ones.
  for (const { account } of await keytar.findCredentials(KEYCHAIN_SERVICE)) {
    if ([...created].some((name) => account === name || account.endsWith(`/credential/${name}`))) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
  }
});

/** The keychain account a data dir keeps a credential under (its own share: ScopedSecretStore). */
function accountIn(dataDir: string, name: string): string {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return ScopedSecretStore.account(storeId(db), 'credential', name);
  } finally {
    db.close();
  }
}
const secretIn = (dataDir: string, name: string) => keytar.getPassword(KEYCHAIN_SERVICE, accountIn(dataDir, name));

/** Every file of the SQLite database (main, WAL, shared memory), raw. */
function databaseBytes(core: Core): Buffer {
  return Buffer.concat(
    ['', '-wal', '-shm'].map((suffix) => path.join(core.dataDir, DATABASE_FILE + suffix)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  );
}

describe('credentials with the OS keychain', () => {
  it('set stores the secret in the keychain and nowhere in the database', async () => {
    const core = newCore();
    const name = credentialName('set');
    const secret = secretValue('set');
    const status = await call<CredentialStatus>(core, 'credentials.set', { name, kind: 'password', secret });
    expect(status).toEqual({ name, kind: 'password', stored: true, updatedAt: expect.any(String) });
    expect(await secretIn(core.dataDir, name)).toBe(secret);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, name)).toBeNull(); // not under the bare name another data dir would read

    expect(fs.existsSync(path.join(core.dataDir, `${DATABASE_FILE}-wal`))).toBe(true);
    expect(databaseBytes(core).includes(secret)).toBe(false);
    expect(databaseBytes(core).includes(name)).toBe(true); // the name is stored, so the search above looked in the right bytes
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(core).includes(secret)).toBe(false);
  });

  it('list and sites.get name credentials but never carry the secret', async () => {
    const core = newCore();
    const name = credentialName('list');
    const missing = credentialName('missing');
    const secret = secretValue('list');
    await call(core, 'credentials.set', { name, kind: 'private_key', secret });
    const customer = await call<Customer>(core, 'customers.create', customerFields('Acme Telecom'));
    const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: siteFields('mumbai-prod') });
    await call(core, 'hosts.create', { siteId: site.id, fields: hostFields('app01', { ssh: { port: 22, credential: name }, vnc: { port: 5901, credential: missing } }) });

    const list = await call<CredentialStatus[]>(core, 'credentials.list', {});
    expect(list).toEqual(
      [
        { name, kind: 'private_key', stored: true, updatedAt: expect.any(String) },
        { name: missing, stored: false },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    const gotSite = await call<Site>(core, 'sites.get', { id: site.id });
    expect(gotSite.credentials.map((c) => [c.name, c.stored])).toEqual([[name, true], [missing, false]].sort());
    const everything = JSON.stringify([list, gotSite, await call(core, 'credentials.test', { name }), await call(core, 'profiles.export', {})]);
    expect(everything).not.toContain(secret);
  });

  it('set again replaces the secret and the kind, keeping one entry', async () => {
    const core = newCore();
    const name = credentialName('replace');
    const [first, second] = [secretValue('a'), secretValue('b')];
    await call(core, 'credentials.set', { name, kind: 'password', secret: first });
    await call(core, 'credentials.set', { name, kind: 'private_key', secret: second });
    expect(await secretIn(core.dataDir, name)).toBe(second);
    expect(await call<CredentialStatus[]>(core, 'credentials.list', {})).toEqual([expect.objectContaining({ name, kind: 'private_key' })]);
    expect(databaseBytes(core).includes(first) || databaseBytes(core).includes(second)).toBe(false);
  });

  it('keeps the same name in two data dirs apart, and adopts a secret an older version stored under the bare name', async () => {
    const [one, two] = [newCore(), newCore()];
    const name = credentialName('apart');
    await call(one, 'credentials.set', { name, kind: 'password', secret: 'of-one' });
    await call(two, 'credentials.set', { name, kind: 'password', secret: 'of-two' });
    expect(await one.credentials.reveal(name)).toBe('of-one');
    expect(await two.credentials.reveal(name)).toBe('of-two');

    // Before 0.2 the entry was named by the credential alone. The data dir whose database knows the name
    // adopts it on first read; one that deleted it, or never had it, does not.
    const legacy = credentialName('legacy');
    await keytar.setPassword(KEYCHAIN_SERVICE, legacy, 'from-before');
    one.db.prepare("INSERT INTO credentials (name, kind, created_at, updated_at) VALUES (?, 'password', 'x', 'x')").run(legacy);
    expect(await one.credentials.reveal(legacy)).toBe('from-before');
    expect(await secretIn(one.dataDir, legacy)).toBe('from-before');
    expect((await call<CredentialTestResult>(two, 'credentials.test', { name: legacy })).exists).toBe(false);
  });

  it('test says whether the keychain holds a readable secret', async () => {
    const core = newCore();
    const name = credentialName('test');
    const absent = credentialName('absent');
    await call(core, 'credentials.set', { name, kind: 'password', secret: secretValue('test') });
    expect(await call<CredentialTestResult>(core, 'credentials.test', { name })).toMatchObject({ name, exists: true, readable: true });
    expect(await call<CredentialTestResult>(core, 'credentials.test', { name: absent })).toMatchObject({
      name: absent, exists: false, readable: false, message: expect.stringMatching(/holds no secret/),
    });
  });

  it('delete removes it from the keychain and the list; a second delete is CREDENTIAL_NOT_FOUND', async () => {
    const core = newCore();
    const name = credentialName('delete');
    await call(core, 'credentials.set', { name, kind: 'password', secret: secretValue('delete') });
    expect(await call(core, 'credentials.delete', { name })).toEqual({ deleted: true });
    expect(await secretIn(core.dataDir, name)).toBeNull();
    expect(await call(core, 'credentials.list', {})).toEqual([]);
    expect((await callError(core, 'credentials.delete', { name })).code).toBe('CREDENTIAL_NOT_FOUND');
  });

  it('app.info reports the keychain as available', async () => {
    expect((await call<AppInfo>(newCore(), 'app.info', {})).keychain.available).toBe(true);
  });
});

describe('the CLI with the keychain', () => {
  beforeAll(() => buildNodeBundles());

  it('credentials set reads stdin, test and delete follow', async () => {
    const dataDir = tempDir();
    const name = credentialName('cli');
    const secret = secretValue('cli');
    const set = runCli(['credentials', 'set', name], { dataDir, input: `${secret}\n` });
    expect(set, set.stderr).toMatchObject({ status: 0 });
    expect(set.stdout + set.stderr).not.toContain(secret);
    expect(await secretIn(dataDir, name)).toBe(secret); // the piped newline is dropped
    expect(runCli(['credentials', 'test', name], { dataDir }).status).toBe(0);
    expect(runCli(['credentials', 'delete', name], { dataDir }).status).toBe(0);
    expect(runCli(['credentials', 'test', name], { dataDir }).status).toBe(1);
  });
});

describe('when no keychain answers', () => {
  beforeAll(() => buildNodeBundles());

  it('the CLI refuses to store the secret: exit 1, says what to install, writes nothing', () => {
    const home = tempDir();
    const dataDir = path.join(home, 'data');
    const secret = secretValue('nokeychain');
    const result = runCli(['credentials', 'set', credentialName('nokeychain')], { dataDir, input: secret, env: { PATH: process.env.PATH, HOME: home } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/never falls back to plain text/);
    expect(result.stderr).toMatch(/gnome-keyring/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 0 });
    db.close();
    const files = fs.readdirSync(dataDir).map((f) => fs.readFileSync(path.join(dataDir, f)));
    expect(files.some((bytes) => bytes.includes(secret))).toBe(false);
  });

  it('the API answers KEYCHAIN_UNAVAILABLE and records nothing (fake store: the only mock here)', async () => {
    const down = () => Promise.reject(new ApiError('KEYCHAIN_UNAVAILABLE', 'No OS keychain is available (test double).'));
    const unavailable: SecretStore = { get: down, set: down, delete: down, probe: down };
    const core = newCore({ secretStore: unavailable });
    const error = await callError(core, 'credentials.set', { name: 'acme-support', kind: 'password', secret: 'hunter2' });
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(await call(core, 'credentials.list', {})).toEqual([]);
    expect((await callError(core, 'credentials.test', { name: 'acme-support' })).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await call<AppInfo>(core, 'app.info', {})).keychain).toEqual({ available: false, message: expect.stringContaining('test double') });
  });
});
