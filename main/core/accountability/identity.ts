import { ApiError } from '../../../contract/errors';
import type { SecretStore } from '../keychain/secret-store';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { fingerprint, generateKeyPair, parsePublicKeyText, publicKeyFromPrivateKeyPem, publicKeyText } from '../transparency/ed25519';
import { ed25519NoteSigner, ed25519NoteVerifier, type NoteSigner, type NoteVerifier } from '../transparency/signed-note';
import { noteKeyName, type Role } from './people';

export interface Identity {
  name: string;
  email: string;
  /** The role this person gave themself at `identity init`; the roster is what says who is a lead. */
  role: Role;
  /** `ed25519:<base64 of the 32-byte key>`, as rosters write it. */
  publicKey: string;
  fingerprint: string;
  createdAt: string;
}

export interface IdentityInit { name: string; email: string; role: Role }

/** The keychain entry (in this data dir's identity share) that holds the PKCS#8 private key. */
const PRIVATE_KEY_ENTRY = 'ed25519-private-key';

interface IdentityRow { name: string; email: string; role: Role; public_key: string; created_at: string }

/**
 * Who this data dir signs as: a name, an e-mail, a role and an Ed25519 key pair. The public half is in
 * the database (and in the team roster); the private half only ever in the OS keychain, read when
 * something is signed and never handed out of the core.
 */
export class Identities {
  constructor(private readonly db: Db, private readonly keychain: SecretStore, private readonly log: SessionLog) {}

  current(): Identity | null {
    const row = this.db.prepare('SELECT name, email, role, public_key, created_at FROM identity WHERE id = 1').get() as IdentityRow | undefined;
    return row ? toIdentity(row) : null;
  }

  /** The identity, or NO_IDENTITY with the command that makes one. */
  require(): Identity {
    const identity = this.current();
    if (!identity) {
      throw new ApiError('NO_IDENTITY', 'This data dir has no identity yet, so nothing can be signed. Create one with "switchboard identity init --name NAME --email EMAIL" (or Team → Identity in the app).');
    }
    return identity;
  }

  /**
   * Makes the key pair, stores the private key in the keychain first (so a database row never points
   * at a key that was not kept), then records the identity and its first log record.
   */
  async init(input: IdentityInit): Promise<Identity> {
    const existing = this.current();
    if (existing) {
      throw new ApiError('CONFLICT', `This data dir already signs as ${existing.name} <${existing.email}> (${existing.fingerprint}). An identity is not replaced: its key is what a lead has in the roster.`);
    }
    const pair = generateKeyPair();
    await this.keychain.set(PRIVATE_KEY_ENTRY, pair.privateKeyPem);
    const row: IdentityRow = { name: input.name, email: input.email, role: input.role, public_key: publicKeyText(pair.publicKey), created_at: nowIso() };
    const identity = toIdentity(row);
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO identity (id, name, email, role, public_key, created_at) VALUES (1, @name, @email, @role, @public_key, @created_at)').run(row);
      this.log.append({
        sessionId: `identity-${identity.fingerprint}`, kind: 'identity', at: row.created_at, engineer: identity.email,
        detail: { name: identity.name, email: identity.email, role: identity.role, publicKey: identity.publicKey, fingerprint: identity.fingerprint },
      });
    }).immediate();
    return identity;
  }

  /** Signs notes as this identity; the private key is read from the keychain for each use. */
  async signer(): Promise<NoteSigner> {
    const identity = this.require();
    const pem = await this.privateKeyPem(identity);
    return ed25519NoteSigner(noteKeyName(identity.email), pem);
  }

  /** The private key, for the cosignature format, which signs its own message. Core-internal only. */
  async privateKeyPem(identity: Identity = this.require()): Promise<string> {
    const pem = await this.keychain.get(PRIVATE_KEY_ENTRY);
    if (pem === null) {
      throw new ApiError('NO_IDENTITY', `The keychain holds no private key for ${identity.name} <${identity.email}> (${identity.fingerprint}). It was deleted or this data dir was copied from another machine; nothing can be signed as this identity here.`);
    }
    if (!publicKeyFromPrivateKeyPem(pem).equals(parsePublicKeyText(identity.publicKey))) {
      throw new ApiError('NO_IDENTITY', `The keychain's private key for ${identity.email} does not belong to this data dir's public key ${identity.fingerprint}; refusing to sign with it.`);
    }
    return pem;
  }

  verifier(identity: Identity = this.require()): NoteVerifier {
    return ed25519NoteVerifier(noteKeyName(identity.email), parsePublicKeyText(identity.publicKey));
  }
}

function toIdentity(row: IdentityRow): Identity {
  return {
    name: row.name, email: row.email, role: row.role, publicKey: row.public_key,
    fingerprint: fingerprint(parsePublicKeyText(row.public_key)), createdAt: row.created_at,
  };
}
