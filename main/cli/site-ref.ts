import type { Core } from '../core';
import { UsageError } from './errors';

/** "CUSTOMER/SITE" → the site's id, or a usage error that says which part was not found. */
export async function resolveSiteRef(core: Core, ref: string | undefined): Promise<number> {
  if (!ref) throw new UsageError('--site "CUSTOMER/SITE" is required');
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) throw new UsageError(`--site must be "CUSTOMER/SITE", e.g. "Acme Telecom/mumbai-prod" (got "${ref}")`);
  const id = await core.services.directory.findSite(ref.slice(0, slash), ref.slice(slash + 1));
  if (id === null) throw new UsageError(`there is no site "${ref}" (see: switchboard sites list)`);
  return id;
}
