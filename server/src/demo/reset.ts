// Emptying a demo database for a fresh seed (`npm run seed -- --reset`). The audit log
// is append-only by design (it refuses TRUNCATE and DELETE), so it keeps its history.
import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { BRAND } from './brand.js';

/** Every table the demo writes, plus what hangs off users and customers. */
const DEMO_TABLES = [
  'vehicle_ownerships',
  'vehicles',
  'customer_consents',
  'customer_emails',
  'customers',
  'sessions',
  'login_attempts',
  'totp_credentials',
  'recovery_codes',
  'webauthn_credentials',
  'api_tokens',
  'password_reset_tokens',
  'users',
  'markets',
  'outbox_messages',
  'event_handler_runs',
  'domain_events',
] as const;

export interface DatabaseContents {
  users: number;
  customers: number;
  /** The demo admin exists: this database was seeded with demo data. */
  demo: boolean;
}

export async function databaseContents(db: Db): Promise<DatabaseContents> {
  const { rows } = await sql<{ users: string; customers: string; demo: boolean }>`
    SELECT (SELECT count(*) FROM users) AS users,
           (SELECT count(*) FROM customers) AS customers,
           EXISTS (SELECT 1 FROM users WHERE email = ${`admin@${BRAND.domain}`}) AS demo
  `.execute(db);
  const row = rows[0];
  return { users: Number(row?.users ?? 0), customers: Number(row?.customers ?? 0), demo: row?.demo ?? false };
}

/** Deletes all customers, vehicles, users and their sessions (CASCADE reaches tables of
 * other modules that reference them). Leaves the audit log alone. */
export async function resetDemoData(db: Db): Promise<void> {
  await sql`TRUNCATE ${sql.join(DEMO_TABLES.map((table) => sql.table(table)))} CASCADE`.execute(db);
}
