import { ApiError } from '../../../contract/errors';
import type { CredentialKind } from '../../../contract/domain/vocabulary';
import type { CredentialStatus, CredentialTestResult } from '../../../contract/models';
import type { SecretStore } from '../keychain/secret-store';
import type { CredentialService } from '../services/credentials';
import { nowIso, type Db } from '../store/database';

/**
 * Credentials by name: the secret goes to the keychain, the database keeps only the name, kind
 * and dates. Nothing here ever returns a secret to a caller outside the core.
 */
export class Credentials implements CredentialService {
  /**
   * `secrets` is this data dir's own share of the keychain (ScopedSecretStore). `unscoped` is the
   * keychain as versions before 0.2 used it, entries named by the credential alone: a credential this
   * database knows but whose secret is only there is adopted into the data dir's share on first read.
   */
  constructor(private readonly db: Db, private readonly secrets: SecretStore, private readonly unscoped?: SecretStore) {}

  async list(): Promise<CredentialStatus[]> {
    const stored = this.db.prepare('SELECT name, kind, updated_at AS updatedAt FROM credentials ORDER BY name').all() as {
      name: string; kind: CredentialKind; updatedAt: string;
    }[];
    const referenced = this.db
      .prepare(
        `SELECT credential AS name FROM host_ssh s JOIN hosts h ON h.id = s.host_id WHERE credential IS NOT NULL AND h.deleted_at IS NULL
         UNION SELECT credential FROM host_vnc v JOIN hosts h ON h.id = v.host_id WHERE credential IS NOT NULL AND h.deleted_at IS NULL`,
      )
      .all() as { name: string }[];
    const byName = new Map<string, CredentialStatus>(stored.map((s) => [s.name, { ...s, stored: true }]));
    for (const { name } of referenced) if (!byName.has(name)) byName.set(name, { name, stored: false });
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async set(name: string, kind: CredentialKind, secret: string): Promise<CredentialStatus> {
    await this.secrets.set(name, secret);
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO credentials (name, kind, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, updated_at = excluded.updated_at`,
      )
      .run(name, kind, now, now);
    return { name, kind, stored: true, updatedAt: now };
  }

  async delete(name: string): Promise<void> {
    const known = this.db.prepare('SELECT 1 FROM credentials WHERE name = ?').get(name);
    const removed = await this.secrets.delete(name);
    if (!known && !removed) throw new ApiError('CREDENTIAL_NOT_FOUND', `There is no credential named "${name}" to delete.`);
    this.db.prepare('DELETE FROM credentials WHERE name = ?').run(name);
  }

  async test(name: string): Promise<CredentialTestResult> {
    const secret = await this.read(name);
    if (secret === null) {
      return { name, exists: false, readable: false, message: `The keychain holds no secret named "${name}". Set it before connecting.` };
    }
    if (secret.length === 0) return { name, exists: true, readable: false, message: `The keychain entry "${name}" is empty.` };
    return { name, exists: true, readable: true, message: `"${name}" is in the keychain and readable.` };
  }

  /** For the core's own connectors only (SSH, VNC); never exposed through the contract. */
  async reveal(name: string): Promise<string> {
    const secret = await this.read(name);
    if (secret === null) throw new ApiError('CREDENTIAL_NOT_FOUND', `The keychain holds no secret named "${name}". Set it with "switchboard credentials set ${name}".`);
    return secret;
  }

  private async read(name: string): Promise<string | null> {
    const secret = await this.secrets.get(name);
    if (secret !== null || !this.unscoped) return secret;
    // Only a credential this database itself stored is adopted: a deleted one (row gone) stays deleted.
    if (!this.db.prepare('SELECT 1 FROM credentials WHERE name = ?').get(name)) return null;
    const legacy = await this.unscoped.get(name);
    if (legacy !== null) await this.secrets.set(name, legacy);
    return legacy;
  }
}
