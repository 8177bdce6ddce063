import type { z } from 'zod';
import { WEEKDAYS, type SupportPackage, type Weekday } from '../../../contract/domain/vocabulary';
import type { customerFields } from '../../../contract/inputs';
import type { Contact, Customer, CustomerSummary, SiteSummary } from '../../../contract/models';
import { nowIso, type Db } from '../store/database';
import { notFound, rethrowConflict } from './sql-errors';

export type CustomerInput = z.output<typeof customerFields>;

interface CustomerRow { id: number; name: string; package: SupportPackage; timezone: string; workdays_mask: number }

export const workdaysToMask = (days: readonly Weekday[]): number => days.reduce((mask, d) => mask | (1 << WEEKDAYS.indexOf(d)), 0);
export const maskToWorkdays = (mask: number): Weekday[] => WEEKDAYS.filter((_, i) => (mask & (1 << i)) !== 0);

export function listCustomers(db: Db): CustomerSummary[] {
  return db
    .prepare(
      `SELECT c.id, c.name, c.package, c.timezone,
              (SELECT count(*) FROM sites s WHERE s.customer_id = c.id AND s.deleted_at IS NULL) AS siteCount
         FROM customers c WHERE c.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE`,
    )
    .all() as CustomerSummary[];
}

export function findCustomerIdByName(db: Db, name: string): number | undefined {
  const row = db.prepare('SELECT id FROM customers WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL').get(name) as { id: number } | undefined;
  return row?.id;
}

export function listSiteSummaries(db: Db, customerId?: number): SiteSummary[] {
  return db
    .prepare(
      `SELECT s.id, s.customer_id AS customerId, c.name AS customerName, s.name, s.seats,
              (SELECT count(*) FROM hosts h WHERE h.site_id = s.id AND h.deleted_at IS NULL) AS hostCount,
              (SELECT count(*) FROM notes n WHERE n.site_id = s.id AND n.deleted_at IS NULL) AS noteCount
         FROM sites s JOIN customers c ON c.id = s.customer_id
        WHERE s.deleted_at IS NULL AND c.deleted_at IS NULL AND (@customerId IS NULL OR s.customer_id = @customerId)
        ORDER BY c.name COLLATE NOCASE, s.name COLLATE NOCASE`,
    )
    .all({ customerId: customerId ?? null }) as SiteSummary[];
}

export function getCustomer(db: Db, id: number): Customer {
  const row = db.prepare('SELECT * FROM customers WHERE id = ? AND deleted_at IS NULL').get(id) as CustomerRow | undefined;
  if (!row) throw notFound('Customer', id);
  const holidays = (db.prepare('SELECT day FROM customer_holidays WHERE customer_id = ? ORDER BY rowid').all(id) as { day: string }[]).map((r) => r.day);
  const contacts = (
    db.prepare('SELECT name, role, phone, email FROM customer_contacts WHERE customer_id = ? ORDER BY position').all(id) as Record<string, string | null>[]
  ).map((r) => dropNulls(r) as unknown as Contact);
  return {
    id: row.id,
    name: row.name,
    package: row.package,
    timezone: row.timezone,
    workdays: maskToWorkdays(row.workdays_mask),
    holidays,
    contacts,
    sites: listSiteSummaries(db, id),
  };
}

function writeChildren(db: Db, id: number, input: CustomerInput): void {
  db.prepare('DELETE FROM customer_holidays WHERE customer_id = ?').run(id);
  db.prepare('DELETE FROM customer_contacts WHERE customer_id = ?').run(id);
  const holiday = db.prepare('INSERT INTO customer_holidays (customer_id, day) VALUES (?, ?)');
  for (const day of input.holidays) holiday.run(id, day);
  const contact = db.prepare('INSERT INTO customer_contacts (customer_id, position, name, role, phone, email) VALUES (?, ?, ?, ?, ?, ?)');
  input.contacts.forEach((c, i) => contact.run(id, i, c.name, c.role ?? null, c.phone ?? null, c.email ?? null));
}

export function createCustomer(db: Db, input: CustomerInput): number {
  return db.transaction(() => {
    const now = nowIso();
    let id: number;
    try {
      id = Number(
        db
          .prepare('INSERT INTO customers (name, package, timezone, workdays_mask, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(input.name, input.package, input.timezone, workdaysToMask(input.workdays), now, now).lastInsertRowid,
      );
    } catch (error) {
      rethrowConflict(error, `A customer named "${input.name}" already exists.`);
    }
    writeChildren(db, id, input);
    return id;
  })();
}

export function updateCustomer(db: Db, id: number, input: CustomerInput): void {
  db.transaction(() => {
    try {
      const result = db
        .prepare('UPDATE customers SET name = ?, package = ?, timezone = ?, workdays_mask = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
        .run(input.name, input.package, input.timezone, workdaysToMask(input.workdays), nowIso(), id);
      if (result.changes === 0) throw notFound('Customer', id);
    } catch (error) {
      rethrowConflict(error, `A customer named "${input.name}" already exists.`);
    }
    writeChildren(db, id, input);
  })();
}

export function dropNulls<T extends Record<string, unknown>>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
