/** Errors cross the contract as data: a stable code, a sentence a person can act on, and where it applies. */

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'IN_USE',
  'KEYCHAIN_UNAVAILABLE',
  'CREDENTIAL_NOT_FOUND',
  'PROFILE_INVALID',
  'DATABASE_FROM_FUTURE',
  'DATABASE_ERROR',
  'UNKNOWN_METHOD',
  'LAUNCHER_UNAVAILABLE',
  'SSH_HOST_KEY_MISMATCH',
  'SSH_HOST_KEY_REJECTED',
  'SSH_AUTH_FAILED',
  'SSH_CONNECTION_REFUSED',
  'SSH_TIMED_OUT',
  'SSH_UNREACHABLE',
  'SSH_CONNECTION_LOST',
  'SSH_CHANNEL_FAILED',
  'HTTPS_CERT_MISMATCH',
  'HTTPS_CERT_UNTRUSTED',
  'HTTPS_TLS_FAILED',
  'HTTPS_CONNECTION_REFUSED',
  'HTTPS_TIMED_OUT',
  'HTTPS_UNREACHABLE',
  'UNAUTHORIZED',
  'NO_IDENTITY',
  'NOT_A_LEAD',
  'SIGNATURE_INVALID',
  'UNTRUSTED_SIGNER',
  'TRUST_CONFIRMATION_NEEDED',
  'EXPIRED',
  'BUNDLE_REFUSED',
  'APPROVAL_MISMATCH',
  'UNKNOWN_REQUEST',
  'ALREADY_IMPORTED',
  'RECORDING_MISMATCH',
  /** An evidence file's bytes no longer have the SHA-256 recorded when it was kept. */
  'EVIDENCE_MISMATCH',
  'VNC_AUTH_FAILED',
  'VNC_SECURITY_REFUSED',
  'VNC_HANDSHAKE_FAILED',
  'VNC_TLS_PIN_MISMATCH',
  /** The team store cannot be reached now (nothing is lost: the outbox keeps waiting). */
  'TEAM_STORE_UNREACHABLE',
  /** The team store refused: a sign-in, a certificate, or a rule the database enforces. */
  'TEAM_STORE_REFUSED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue { path: string; message: string }

export interface ApiErrorData { code: ErrorCode; message: string; issues?: FieldIssue[] }

export class ApiError extends Error implements ApiErrorData {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (issues) this.issues = issues;
  }
  toData(): ApiErrorData {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.issues);
  }
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorData).code === 'string' && typeof (value as ApiErrorData).message === 'string';
}

/** `customers[0].sites[1].hosts[2].allow[0]` from a path of keys and indexes. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };
