// What other modules ask of customers: contacts by id, vehicles by id, who owns an email
// address or a VIN, and the contact behind an email sender (created unverified if unknown).
import { randomUUID } from 'node:crypto';
import { type ExpressionBuilder, sql } from 'kysely';
import { type Database, type Executor, Slot, statementsByShape } from '../../platform/database.js';
import { emitEvent } from '../../platform/events.js';
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
// once: it runs for every batch of mail received. The best row per address: verified first.
function contactsByAddressQuery(db: Executor, addresses: unknown) {
  return db
    .selectFrom('customer_emails as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .distinctOn('k.address')
    .select([
      'k.address',
      'k.customer_id',
      'k.verified',
      'c.first_name',
      'c.last_name',
      'c.market',
      'c.language',
    ])
    .select((eb) => primaryEmail(eb).as('email'))
    .where('k.address', '=', sql<string>`any(${addresses}::citext[])`)
    .orderBy('k.address')
    .orderBy('k.verified', 'desc')
    .orderBy('k.id');
}
type ContactByAddressRow = Awaited<ReturnType<ReturnType<typeof contactsByAddressQuery>['execute']>>[number];
const contactsByAddressStatement = statementsByShape<ContactByAddressRow>({ constants: [1] }); // the primary address's `limit 1`
const addressesSlot = new Slot('addresses');

async function contactsByAddress(db: Executor, addresses: readonly string[]) {
  const query = contactsByAddressStatement(
    'all',
    () => contactsByAddressQuery(db, addressesSlot),
    () => addresses,
  );
  return (await db.executeQuery(query)).rows;
}

export interface EmailContactInput {
  address: string;
  displayName: string | null;
  market: string;
  language: 'de' | 'en';
}

export interface EmailContact {
  customerId: string;
  verified: boolean;
  created: boolean;
  contact: CustomerContact;
}

/**
 * The customer an email address belongs to: a verified address first, then an unverified
 * one; an unknown sender becomes a new unverified contact in the mailbox's market, whose
 * case an agent can later attach to the right customer.
 */
export async function contactForEmail(
  db: Executor,
  context: RequestContext,
  input: EmailContactInput,
  /** `asyncCommit`: see `contactsForEmails`. */
  options: { asyncCommit?: boolean } = {},
): Promise<EmailContact> {
  const found = await contactsForEmails(db, context, [input], options);
  return found.get(input.address.trim().toLowerCase()) as EmailContact;
}

/**
 * `contactForEmail` for several senders at once (a batch of mail): the known ones in one
 * statement, each unknown one created (an address given twice is created once, with the first
 * input's name and market). Keyed by the address, trimmed and in lower case.
 */
export async function contactsForEmails(
  db: Executor,
  context: RequestContext,
  inputs: readonly EmailContactInput[],
  /** `asyncCommit`: a job that runs again after a crash creates the contact then (see
   * `asyncCommitTransaction`), so its commit need not wait for the WAL flush. Only outside a
   * transaction: the caller's own transaction commits as the caller decides. */
  options: { asyncCommit?: boolean } = {},
): Promise<Map<string, EmailContact>> {
  const wanted = new Map<string, EmailContactInput>();
  for (const input of inputs) {
    const address = input.address.trim().toLowerCase();
    if (!wanted.has(address)) wanted.set(address, { ...input, address });
  }
  const found = new Map<string, EmailContact>();
  if (wanted.size === 0) return found;
  for (const known of await contactsByAddress(db, [...wanted.keys()]))
    found.set(known.address.toLowerCase(), {
      customerId: known.customer_id,
      verified: known.verified,
      created: false,
      contact: contactOf({ ...known, id: known.customer_id }),
    });
  for (const [address, input] of wanted)
    if (!found.has(address)) found.set(address, await createContact(db, context, input, options));
  return found;
}

/**
 * A new unverified contact in one statement: its id is drawn here, so the customer, its address,
 * the audit entry and `customer.created` are written together by `emitEvent`. A statement is
 * atomic on its own, so no transaction is opened; inside the caller's, it is one more
 * statement of it. Two mails of one unknown sender must not race here: the mail channel
 * processes one sender's mails one after another.
 */
async function createContact(
  db: Executor,
  context: RequestContext,
  input: EmailContactInput,
  options: { asyncCommit?: boolean },
): Promise<EmailContact> {
  const address = input.address;
  const [first, ...rest] = (input.displayName?.trim() || address.split('@')[0] || address).split(/\s+/);
  const names = { first_name: first ?? address, last_name: rest.join(' ') };
  const customerId = randomUUID();
  await emitEvent(
    db,
    eventContext(context),
    {
      type: 'customer.created',
      entityType: 'customer',
      entityId: customerId,
      payload: { market: input.market, unverified: true },
      audience: { markets: [input.market] },
    },
    {
      together: [
        newContactInsert(
          { id: customerId, ...names, language: input.language, market: input.market, address },
          { asyncCommit: options.asyncCommit === true && !db.isTransaction },
        ),
        db
          .insertInto('customer_emails')
          .values({ customer_id: customerId, address, verified: false, is_primary: true }),
        auditInsert(context, {
          action: 'customer.created',
          entityType: 'customer',
          entityId: customerId,
          after: { address, unverified: true, market: input.market },
        }),
      ],
    },
  );
  const contact = contactOf({
    id: customerId,
    ...names,
    market: input.market,
    language: input.language,
    email: address,
  });
  return { customerId, verified: false, created: true, contact };
}

/**
 * The new contact's customers row, with its final search text (names and its only address, as
 * the triggers would compute it once the address is inserted: customers.migrations.ts keeps a
 * text an insert supplies, so the row is written once). `asyncCommit`: the statement, its own
 * transaction, turns off the wait for the WAL flush at its commit (`set_config(…, true)` lasts
 * until the end of the transaction, its commit included; SET LOCAL would be a statement of its
 * own). A RETURNING of a data-modifying CTE is evaluated even when nothing reads it.
 */
function newContactInsert(
  row: {
    id: string;
    first_name: string;
    last_name: string;
    language: 'de' | 'en';
    market: string;
    address: string;
  },
  options: { asyncCommit: boolean },
) {
  const searchText = `${row.first_name} ${row.last_name} ${row.address}`;
  return sql`INSERT INTO customers (id, first_name, last_name, language, market, search_text)
    VALUES (${row.id}::uuid, ${row.first_name}, ${row.last_name}, ${row.language}, ${row.market}, lower(${searchText}::text))
    ${options.asyncCommit ? sql`RETURNING set_config('synchronous_commit', 'off', true)` : sql``}`;
}
