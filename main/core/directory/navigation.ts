import type { NavigationEntry } from '../../../contract/models';
import type { Db } from '../store/database';

/** Everything the command palette can jump to: live customers, sites and hosts. */
export function navigationIndex(db: Db): NavigationEntry[] {
  const customers = db
    .prepare(
      `SELECT 'customer' AS kind, c.id, c.name AS label, c.timezone || ' · ' ||
              (SELECT count(*) FROM sites s WHERE s.customer_id = c.id AND s.deleted_at IS NULL) || ' site(s)' AS description,
              c.id AS customerId, NULL AS siteId
         FROM customers c WHERE c.deleted_at IS NULL`,
    )
    .all();
  const sites = db
    .prepare(
      `SELECT 'site' AS kind, s.id, c.name || ' / ' || s.name AS label, s.seats || ' seats' AS description, c.id AS customerId, s.id AS siteId
         FROM sites s JOIN customers c ON c.id = s.customer_id WHERE s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .all();
  const hosts = db
    .prepare(
      `SELECT 'host' AS kind, h.id, h.name AS label, c.name || ' / ' || s.name || coalesce(' · ' || h.address, '') AS description,
              c.id AS customerId, s.id AS siteId
         FROM hosts h JOIN sites s ON s.id = h.site_id JOIN customers c ON c.id = s.customer_id
        WHERE h.deleted_at IS NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .all();
  return ([...customers, ...sites, ...hosts] as (NavigationEntry & { siteId: number | null })[]).map(({ siteId, ...rest }) =>
    siteId === null ? rest : { ...rest, siteId },
  );
}
