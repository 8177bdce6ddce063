import { migration0001 } from './0001-initial-schema';
import type { Migration } from './types';

/** Forward-only, in order. Never edit a migration that has shipped; add the next one. */
export const MIGRATIONS: readonly Migration[] = [migration0001];
export type { Migration };
