import fs from 'node:fs';
import pg from 'pg';
import { ApiError } from '../../../contract/errors';

/** How the connection to the team store is protected, as libpq names it; verify-full is the default. */
const SSL_MODES = ['verify-full', 'verify-ca', 'require', 'disable'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface TeamStoreAddress {
  host: string;
  port: number;
  database: string;
  /** The login role, when the URL names one. */
  user: string | null;
  sslMode: SslMode;
  /** A PEM file of the CA(s) that vouch for the server (libpq's sslrootcert); else the system's. */
  rootCert: string | null;
}

/**
 * Reads a `postgresql://[user[:password]@]host[:port]/database[?sslmode=…&sslrootcert=…]` URL. A password
 * in it is returned apart, never kept with the address. Without `sslmode`, it is `verify-full`: TLS with
 * the server's certificate checked against the CA and its name.
 */
export function parseTeamStoreUrl(text: string): { address: TeamStoreAddress; password: string | null } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('INVALID_INPUT', `"${text.replace(/:[^:@/]*@/, ':…@')}" is not a URL; write postgresql://USER@HOST:PORT/DATABASE.`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') throw new ApiError('INVALID_INPUT', `A team store URL starts with postgresql://, not ${url.protocol}//.`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database) throw new ApiError('INVALID_INPUT', 'A team store URL names the host and the database: postgresql://USER@HOST:PORT/DATABASE.');
  const mode = url.searchParams.get('sslmode') ?? 'verify-full';
  if (!(SSL_MODES as readonly string[]).includes(mode)) throw new ApiError('INVALID_INPUT', `sslmode=${mode} is not one of ${SSL_MODES.join(', ')}.`);
  const rootCert = url.searchParams.get('sslrootcert');
  if (rootCert && !fs.existsSync(rootCert)) throw new ApiError('INVALID_INPUT', `sslrootcert ${rootCert} does not exist.`);
  return {
    address: {
      host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 5432, database,
      user: url.username ? decodeURIComponent(url.username) : null, sslMode: mode as SslMode, rootCert,
    },
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

/** The address as a URL with no password in it (what is kept in the data dir and shown). */
export function teamStoreUrl(address: TeamStoreAddress, user = address.user): string {
  const params = new URLSearchParams({ sslmode: address.sslMode, ...(address.rootCert ? { sslrootcert: address.rootCert } : {}) });
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `postgresql://${user ? `${encodeURIComponent(user)}@` : ''}${host}:${address.port}/${encodeURIComponent(address.database)}?${params}`;
}

function tlsOptions(address: TeamStoreAddress): pg.ClientConfig['ssl'] {
  if (address.sslMode === 'disable') return false;
  if (address.sslMode === 'require') return { rejectUnauthorized: false };
  const ca = address.rootCert ? fs.readFileSync(address.rootCert, 'utf8') : undefined;
  return {
    rejectUnauthorized: true, ...(ca ? { ca } : {}),
    // verify-ca: the chain is checked, the name is not.
    ...(address.sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
  };
}

const NET_WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection (is PostgreSQL running and listening there?)',
  ENOTFOUND: 'has a name that does not resolve',
  ETIMEDOUT: 'did not answer in time',
  EHOSTUNREACH: 'is unreachable',
  ECONNRESET: 'reset the connection',
};

/** A connection failure in words: unreachable (retry later, nothing lost) or refused (fix something). */
export class TeamStoreUnreachable extends ApiError {
  constructor(message: string) { super('TEAM_STORE_UNREACHABLE', message); }
}

export function describeConnectError(address: TeamStoreAddress, error: unknown): ApiError {
  const where = `The team store at ${address.host}:${address.port}`;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (NET_WORDS[code]) return new TeamStoreUnreachable(`${where} ${NET_WORDS[code]}.`);
  const message = (error as Error).message;
  if (code === '28P01' || /password authentication failed/.test(message)) return new ApiError('TEAM_STORE_REFUSED', `${where} refused the sign-in of ${address.user ?? 'this login'}: ${message}.`);
  if (/self[- ]signed|unable to verify|certificate|altnames|Hostname\/IP does not match/i.test(message)) {
    return new ApiError('TEAM_STORE_REFUSED', `${where} presented a certificate that is not trusted (${message}); give the CA with sslrootcert=FILE, or fix the server's certificate.`);
  }
  if (/does not support SSL|server does not support/i.test(message)) return new ApiError('TEAM_STORE_REFUSED', `${where} does not offer TLS; Switchboard does not send a password in clear (sslmode=${address.sslMode}).`);
  return new TeamStoreUnreachable(`${where} could not be reached: ${message}.`);
}

const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

/** Whether a query failed because the connection went away (the server stopped, the network cut it), not because the store refused. */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof TeamStoreUnreachable) return true;
  const { code, message } = error as { code?: string; message?: string };
  return (code !== undefined && LOST_CODES.has(code)) || /Connection terminated|ECONNRESET|EPIPE|socket hang up|Client has encountered a connection error|terminating connection/i.test(message ?? '');
}

/** Connects as `user` with `password`; errors are sentences a person can act on. */
export async function connectTeamStore(address: TeamStoreAddress, user: string, password: string, timeoutMs = 10_000): Promise<pg.Client> {
  const client = new pg.Client({
    host: address.host, port: address.port, database: address.database, user, password,
    ssl: tlsOptions(address), connectionTimeoutMillis: timeoutMs, application_name: 'switchboard',
  });
  // A connection lost later (the server stopped mid-sync) must never reach the process as unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw describeConnectError({ ...address, user }, error);
  }
  return client;
}
