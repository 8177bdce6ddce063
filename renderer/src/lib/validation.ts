/** Field errors keyed by path ("name", "ssh.port", "contacts[0].email"), from zod or from the API. */
import type { z } from 'zod';
import { ApiError, formatPath } from '../../../contract/errors';

export type FieldErrors = Record<string, string>;

export function zodErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = formatPath(issue.path);
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Server-side issues arrive with the input's full path; the form knows only the `fields` part. */
export function apiFieldErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!(error instanceof ApiError) || !error.issues) return out;
  for (const issue of error.issues) {
    const key = issue.path.replace(/^fields\.?/, '');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/**
 * The error at `path`, or every error below it: a list field ("allow", "holidays") names each bad
 * entry by its position ("entry 2: …; entry 4: …"), not only the first.
 */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const below = Object.keys(errors).filter((key) => key.startsWith(`${path}.`) || key.startsWith(`${path}[`));
  if (below.length === 0) return undefined;
  return below
    .map((key) => {
      const index = /^\[(\d+)\]/.exec(key.slice(path.length));
      return index ? `entry ${Number(index[1]) + 1}: ${errors[key]}` : errors[key];
    })
    .join('; ');
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Splits a free-text list ("10.0.0.1, 10.0.0.2/32") into its entries. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** NumberInput gives number | string; the schema wants a number (or reports a missing one). */
export function toNumber(value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
