// Writes the demo data: markets, staff, then customers chunk by chunk in one
// transaction (all or nothing), multi-row INSERTs of up to 2,000 rows each, and one
// audit entry for the run. The next chunk is generated while the last one is written.
import { type Insertable, sql } from 'kysely';
import { hashPassword, recordAudit, systemContext } from '../modules/identity/index.js';
import type { Database, Db, Transaction } from '../platform/database.js';
import { marketRows } from './brand.js';
import { type DemoChunk, DemoCustomerGenerator } from './generate.js';
import { DEMO_PASSWORD, demoOwners, demoStaff } from './people.js';
import { DemoRandom } from './random.js';

export interface SeedOptions {
  /** Customers to generate (at least the named demo owners). */
  customers: number;
  /** Same seed, same data, ids included. */
  seed?: number;
  log?: (message: string) => void;
}

export interface DemoSummary {
  seed: number;
  staff: number;
  customers: number;
  emails: number;
  consents: number;
  vehicles: number;
  ownerships: number;
  portalAccounts: number;
  ms: number;
}

export const DEFAULT_SEED = 20261125;
const CUSTOMERS_PER_CHUNK = 2_000;
const ROWS_PER_INSERT = 2_000;

type TableName = keyof Database & string;

async function insertRows<T extends TableName>(
  trx: Transaction,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const batch = rows.slice(start, start + ROWS_PER_INSERT);
    await trx
      .insertInto(table)
      .values(batch as never)
      .execute();
  }
}

/*
 * customers.search_text (names and email addresses) is kept by triggers. The per-row
 * trigger on customer_emails re-computes a customer's text once per email row: 125,000
 * single-row UPDATEs for 100,000 customers, three quarters of the whole seed's time. So
 * the bulk load switches that one trigger off inside its own transaction (ALTER TABLE
 * holds a lock that keeps every other writer of customer_emails waiting until commit,
 * so no email row can slip in untriggered) and refreshes each chunk's customers with
 * one UPDATE using the trigger function's own expression (customers.migrations.ts,
 * customers_refresh_search_text). The test proves the values equal the trigger's.
 */
async function withoutEmailSearchTrigger<T>(trx: Transaction, load: () => Promise<T>): Promise<T> {
  await sql`ALTER TABLE customer_emails DISABLE TRIGGER customer_emails_search_text`.execute(trx);
  const result = await load();
  await sql`ALTER TABLE customer_emails ENABLE TRIGGER customer_emails_search_text`.execute(trx);
  return result;
}

async function refreshSearchText(trx: Transaction, customerIds: string[]): Promise<void> {
  await sql`
    UPDATE customers c SET search_text = lower(c.first_name || ' ' || c.last_name || ' ' ||
      coalesce((SELECT string_agg(e.address::text, ' ') FROM customer_emails e WHERE e.customer_id = c.id), ''))
    WHERE c.id = ANY(${customerIds}::uuid[])
  `.execute(trx);
}

async function writeChunk(trx: Transaction, chunk: DemoChunk): Promise<void> {
  await insertRows(trx, 'customers', chunk.customers);
  await insertRows(trx, 'customer_emails', chunk.emails);
  await refreshSearchText(
    trx,
    chunk.customers.map((customer) => customer.id),
  );
  await insertRows(trx, 'customer_consents', chunk.consents);
  await insertRows(trx, 'vehicles', chunk.vehicles);
  await insertRows(trx, 'vehicle_ownerships', chunk.ownerships);
  await insertRows(trx, 'users', chunk.portalAccounts);
}

function staffUsers(seed: number, passwordHash: string): Insertable<Database['users']>[] {
  const random = DemoRandom.stream(seed, 'staff');
  return demoStaff.map((member) => ({
    id: random.uuid(),
    kind: 'staff' as const,
    email: member.email,
    name: member.name,
    password_hash: passwordHash,
    roles: [member.role],
    markets: [...member.markets],
    language: member.language,
  }));
}

/** Generates chunk k+1 while chunk k is being written (the database works on the other core). */
async function writeCustomers(
  trx: Transaction,
  generator: DemoCustomerGenerator,
  total: number,
  summary: DemoSummary,
  log: (message: string) => void,
): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  let nextReport = total / 10;
  while (summary.customers < total) {
    const chunk = generator.nextChunk(Math.min(CUSTOMERS_PER_CHUNK, total - summary.customers));
    await writing;
    writing = writeChunk(trx, chunk);
    summary.customers += chunk.customers.length;
    summary.emails += chunk.emails.length;
    summary.consents += chunk.consents.length;
    summary.vehicles += chunk.vehicles.length;
    summary.ownerships += chunk.ownerships.length;
    summary.portalAccounts += chunk.portalAccounts.length;
    if (total >= 10_000 && summary.customers >= nextReport) {
      log(`demo data: ${summary.customers} of ${total} customers`);
      nextReport += total / 10;
    }
  }
  await writing;
}

export async function seedDemoData(db: Db, options: SeedOptions): Promise<DemoSummary> {
  const startedAt = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const log = options.log ?? (() => {});
  const total = Math.max(Math.floor(options.customers), demoOwners.length);
  // argon2id is slow on purpose: hash the one demo password once and share the hash.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const summary: DemoSummary = {
    seed,
    staff: demoStaff.length,
    customers: 0,
    emails: 0,
    consents: 0,
    vehicles: 0,
    ownerships: 0,
    portalAccounts: 0,
    ms: 0,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('markets')
      .values(marketRows)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    await insertRows(trx, 'users', staffUsers(seed, passwordHash));
    const generator = new DemoCustomerGenerator(seed, passwordHash);
    await withoutEmailSearchTrigger(trx, () => writeCustomers(trx, generator, total, summary, log));
    const { ms: _ms, ...counts } = summary;
    await recordAudit(trx, systemContext, {
      action: 'demo.seeded',
      entityType: 'demo_data',
      entityId: `seed-${seed}`,
      after: counts,
    });
  });
  // Planner statistics now, not when autovacuum gets round to it: without them the
  // first searches pick plans that are a hundred times slower. VACUUM also clears the
  // row versions the search-text refresh left behind.
  await sql`VACUUM (ANALYZE) customers, customer_emails, customer_consents, vehicles, vehicle_ownerships, users`.execute(
    db,
  );
  summary.ms = Math.round(performance.now() - startedAt);
  log(
    `demo data: ${summary.customers} customers, ${summary.vehicles} vehicles, ${summary.staff} staff in ${summary.ms} ms`,
  );
  return summary;
}
