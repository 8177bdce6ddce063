import { z } from 'zod';

export const ROLES = ['engineer', 'lead'] as const;
export type Role = (typeof ROLES)[number];

export const personName = z.string().trim().min(1, 'a name is required').max(200).regex(/^[^\r\n]*$/, 'a name is one line');
export const personEmail = z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address looks like name@example.com');

/**
 * The key name a person's signatures carry in signed notes: their e-mail address. Signed-note key
 * names may hold neither spaces nor "+", so a "+" (allowed in addresses) is written %2B.
 */
export function noteKeyName(email: string): string {
  return email.toLowerCase().replace(/%/g, '%25').replace(/\+/g, '%2B');
}
