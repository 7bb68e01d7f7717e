// What other modules ask of customers: contacts by id, vehicles by id, who owns an email
// address or a VIN, and the contact behind an email sender (created unverified if unknown).
import { type ExpressionBuilder, sql } from 'kysely';
import {
  compiledOnce,
  type Database,
  type Db,
  type Executor,
  type Transaction,
} from '../../platform/database.js';
import { emitEvent } from '../../platform/events.js';
import { asyncCommitTransaction } from '../../platform/jobs.js';
import { auditInsert, type RequestContext } from '../identity/index.js';
import { eventContext } from './customers.service.js';

/** Names, markets and primary emails of customers, for other modules (by id). */
export async function customerContacts(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, CustomerContact>();
  const rows = await db
    .selectFrom('customers as c')
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.market', 'c.language'])
    .select((eb) => primaryEmail(eb).as('email'))
    .where('c.id', 'in', [...ids])
    .execute();
  return new Map<string, CustomerContact>(rows.map((row) => [row.id, contactOf(row)]));
}

/** The address a customer `c` is written to: the primary one, else any. */
function primaryEmail(eb: ExpressionBuilder<Database & { c: Database['customers'] }, 'c'>) {
  return eb
    .selectFrom('customer_emails as e')
    .select('e.address')
    .whereRef('e.customer_id', '=', 'c.id')
    .orderBy('e.is_primary', 'desc')
    .limit(1);
}

function contactOf(row: {
  id: string;
  first_name: string;
  last_name: string;
  market: string;
  language: 'de' | 'en';
  email: string | null;
}): CustomerContact {
  return {
    id: row.id,
    firstName: row.first_name,
    name: `${row.first_name} ${row.last_name}`,
    market: row.market,
    language: row.language,
    email: row.email ?? null,
  };
}

export interface CustomerContact {
  id: string;
  firstName: string;
  name: string;
  market: string;
  language: 'de' | 'en';
  email: string | null;
}

export interface VehicleBrief {
  id: string;
  vin: string;
  model: string;
  currentOwnerId: string | null;
}

export async function vehicleBriefs(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, VehicleBrief>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('vehicles as v')
    .leftJoin('vehicle_ownerships as o', (join) =>
      join.onRef('o.vehicle_id', '=', 'v.id').on('o.owned_until', 'is', null),
    )
    .select(['v.id', 'v.vin', 'v.model', 'o.customer_id'])
    .where('v.id', 'in', [...ids])
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, vin: row.vin, model: row.model, currentOwnerId: row.customer_id },
    ]),
  );
}

/** Customers whose verified (or any, when `verifiedOnly` is false) email is this address. */
export async function customersByEmail(
  db: Executor,
  address: string,
  verifiedOnly = true,
): Promise<string[]> {
  let query = db.selectFrom('customer_emails').select('customer_id').where('address', '=', address);
  if (verifiedOnly) query = query.where('verified', '=', true);
  const rows = await query.execute();
  return rows.map((row) => row.customer_id);
}

/** Ids of customers owning a vehicle with this VIN now. */
export async function customersByVin(db: Executor, vin: string): Promise<string[]> {
  const rows = await db
    .selectFrom('vehicles as v')
    .innerJoin('vehicle_ownerships as o', 'o.vehicle_id', 'v.id')
    .select('o.customer_id')
    .where('v.vin', '=', vin)
    .where('o.owned_until', 'is', null)
    .execute();
  return rows.map((row) => row.customer_id);
}

// The customer's contact comes with the address (`customerContacts`' fields): the caller (the
// mail processing job) hands it on to cases instead of reading it again per mail. Compiled
// once: it runs for every mail received.
const contactByAddress = compiledOnce(
  (db, address) =>
    db
      .selectFrom('customer_emails as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(['k.customer_id', 'k.verified', 'c.first_name', 'c.last_name', 'c.market', 'c.language'])
      .select((eb) => primaryEmail(eb).as('email'))
      .where('k.address', '=', address)
      .orderBy('k.verified', 'desc')
      .orderBy('k.id')
      .limit(1),
  { constants: [1] },
);

/**
 * The customer an email address belongs to: a verified address first, then an unverified
 * one; an unknown sender becomes a new unverified contact in the mailbox's market, whose
 * case an agent can later attach to the right customer.
 */
export async function contactForEmail(
  db: Db,
  context: RequestContext,
  input: { address: string; displayName: string | null; market: string; language: 'de' | 'en' },
  /** `asyncCommit`: a job that runs again after a crash creates the contact then (see
   * `asyncCommitTransaction`), so its commit need not wait for the WAL flush. */
  options: { asyncCommit?: boolean } = {},
): Promise<{ customerId: string; verified: boolean; created: boolean; contact: CustomerContact }> {
  const address = input.address.trim().toLowerCase();
  const known = await contactByAddress(db, address);
  if (known)
    return {
      customerId: known.customer_id,
      verified: known.verified,
      created: false,
      contact: contactOf({ ...known, id: known.customer_id }),
    };
  const [first, ...rest] = (input.displayName?.trim() || address.split('@')[0] || address).split(/\s+/);
  const names = { first_name: first ?? address, last_name: rest.join(' ') };
  const transaction = <T>(work: (trx: Transaction) => Promise<T>) =>
    options.asyncCommit ? asyncCommitTransaction(db, work) : db.transaction().execute(work);
  return transaction(async (trx) => {
    // The customer and its address in one statement.
    const row = await trx
      .with('customer', (w) =>
        w
          .insertInto('customers')
          .values({ ...names, language: input.language, market: input.market })
          .returning('id'),
      )
      .insertInto('customer_emails')
      .columns(['customer_id', 'address', 'verified', 'is_primary'])
      .expression((eb) =>
        eb
          .selectFrom('customer')
          .select([
            'customer.id',
            sql<string>`${address}`.as('address'),
            sql<boolean>`false`.as('verified'),
            sql<boolean>`true`.as('is_primary'),
          ]),
      )
      .returning('customer_id as id')
      .executeTakeFirstOrThrow();
    await emitEvent(
      trx,
      eventContext(context),
      {
        type: 'customer.created',
        entityType: 'customer',
        entityId: row.id,
        payload: { market: input.market, unverified: true },
        audience: { markets: [input.market] },
      },
      {
        together: auditInsert(context, {
          action: 'customer.created',
          entityType: 'customer',
          entityId: row.id,
          after: { address, unverified: true, market: input.market },
        }),
      },
    );
    const contact = contactOf({
      id: row.id,
      ...names,
      market: input.market,
      language: input.language,
      email: address,
    });
    return { customerId: row.id, verified: false, created: true, contact };
  });
}
