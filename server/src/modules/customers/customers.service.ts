// Customers and their vehicles: search, the customer 360 and changes, each change
// authorised, validated, locked, written and announced in one transaction.
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledOnce, type Db, type Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events.js';
import { type Principal, type RequestContext, recordAudit } from '../identity/index.js';
import { mayReadCustomer, mayWriteCustomer, visibleMarkets } from './customers.policy.js';
import type {
  AddVehicleBody,
  CreateCustomerBody,
  Customer360,
  SearchQuery,
  UpdateCustomerBody,
} from './customers.schemas.js';
import { parseVin } from './customers.vin.js';

const isoDate = (value: string | Date | null): string | null =>
  value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw errors.unauthenticated();
  return context.principal;
}

export function eventContext(context: RequestContext) {
  const principal = context.principal;
  const actorId = !principal ? null : principal.kind === 'token' ? principal.createdBy : principal.userId;
  return { actorId, requestId: context.requestId };
}

/*
 * One scan per search: the page and the number of all matches come from the same query
 * (count(*) OVER ()), and the email and vehicle count are looked up for the page's rows
 * only. Searching by a term reads every match anyway (the trigram index needs each row
 * rechecked), so counting in the same pass halves the work of a separate count query.
 * Listing without a term walks the name index for the page and counts separately, in
 * parallel, from the narrower market index.
 */
export async function searchCustomers(db: Executor, principal: Principal, query: SearchQuery) {
  const markets = visibleMarkets(principal);
  let matches = db.selectFrom('customers as c');
  if (markets !== null) matches = matches.where('c.market', 'in', markets.length > 0 ? [...markets] : ['--']);
  if (query.market) matches = matches.where('c.market', '=', query.market);
  const term = query.q?.trim().toLowerCase();
  if (term) {
    const vin = parseVin(term);
    if (vin) {
      matches = matches.where('c.id', 'in', (eb) =>
        eb
          .selectFrom('vehicle_ownerships as o')
          .innerJoin('vehicles as v', 'v.id', 'o.vehicle_id')
          .select('o.customer_id')
          .where('v.vin', '=', vin),
      );
    } else {
      const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      matches = matches.where('c.search_text', 'like', like);
    }
  }
  const countInPage = Boolean(term);
  const page = matches
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.market', 'c.language'])
    .select((eb) => (countInPage ? eb.fn.countAll<string>().over() : eb.lit(null)).as('total'))
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('c.id')
    .limit(query.limit)
    .offset(query.offset);
  const countAll = () =>
    matches.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const [rows, counted] = await Promise.all([
    db
      .with('page', () => page)
      .selectFrom('page as p')
      .select([
        'p.id',
        'p.first_name',
        'p.last_name',
        'p.market',
        'p.language',
        'p.total',
        (eb) =>
          eb
            .selectFrom('customer_emails as e')
            .select('e.address')
            .whereRef('e.customer_id', '=', 'p.id')
            .orderBy('e.is_primary', 'desc')
            .limit(1)
            .as('email'),
        (eb) =>
          eb
            .selectFrom('vehicle_ownerships as o')
            .select((inner) => inner.fn.countAll<string>().as('n'))
            .whereRef('o.customer_id', '=', 'p.id')
            .where('o.owned_until', 'is', null)
            .as('vehicle_count'),
      ])
      .orderBy('p.last_name')
      .orderBy('p.first_name')
      .orderBy('p.id')
      .execute(),
    countInPage ? null : countAll(),
  ]);
  // A page past the last match has no row to carry the count.
  const total = counted?.count ?? rows[0]?.total ?? (query.offset > 0 ? (await countAll()).count : 0);
  return {
    total: Number(total),
    items: rows.map((row) => ({
      id: row.id,
      name: `${row.first_name} ${row.last_name}`,
      email: row.email ?? null,
      market: row.market,
      language: row.language,
      vehicleCount: Number(row.vehicle_count ?? 0),
    })),
  };
}

// One round trip: the customer with emails, consents and current vehicles as JSON arrays
// (the 360 is the page agents open most; four queries cost four times the latency).
const customer360Query = compiledOnce((db, id) =>
  db
    .selectFrom('customers as c')
    .selectAll('c')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('customer_emails as e')
          .select(['e.address', 'e.verified', 'e.is_primary'])
          .whereRef('e.customer_id', '=', 'c.id')
          .orderBy('e.is_primary', 'desc')
          .orderBy('e.address'),
      ).as('emails'),
      jsonArrayFrom(
        eb
          .selectFrom('customer_consents as k')
          .select(['k.purpose', 'k.granted', 'k.changed_at'])
          .whereRef('k.customer_id', '=', 'c.id')
          .orderBy('k.purpose'),
      ).as('consents'),
      jsonArrayFrom(
        eb
          .selectFrom('vehicle_ownerships as o')
          .innerJoin('vehicles as v', 'v.id', 'o.vehicle_id')
          .select([
            'v.id',
            'v.vin',
            'v.model',
            'v.model_year',
            'v.market',
            'v.software_version',
            'v.first_registration',
            'o.owned_from',
          ])
          .whereRef('o.customer_id', '=', 'c.id')
          .where('o.owned_until', 'is', null)
          .orderBy('o.owned_from', 'desc'),
      ).as('vehicles'),
    ])
    .where('c.id', '=', id),
);

export async function getCustomer360(
  db: Executor,
  principal: Principal,
  customerId: string,
): Promise<Customer360> {
  const customer = await customer360Query(db, customerId);
  if (!customer || !mayReadCustomer(principal, customer)) throw errors.notFound('customer');
  const { emails, consents, vehicles } = customer;
  return {
    customer: {
      id: customer.id,
      firstName: customer.first_name,
      lastName: customer.last_name,
      name: `${customer.first_name} ${customer.last_name}`,
      emails: emails.map((e) => ({ address: e.address, verified: e.verified, primary: e.is_primary })),
      phones: customer.phones,
      language: customer.language,
      market: customer.market,
      consents: consents.map((c) => ({
        purpose: c.purpose,
        granted: c.granted,
        changedAt: new Date(c.changed_at).toISOString(),
      })),
      createdAt: customer.created_at.toISOString(),
    },
    vehicles: vehicles.map((v) => ({
      id: v.id,
      vin: v.vin,
      model: v.model,
      modelYear: v.model_year,
      market: v.market,
      softwareVersion: v.software_version,
      firstRegistration: isoDate(v.first_registration),
      ownedSince: isoDate(v.owned_from) ?? '',
    })),
  };
}

export async function createCustomer(
  db: Db,
  context: RequestContext,
  input: CreateCustomerBody,
): Promise<string> {
  const principal = principalOf(context);
  if (!mayWriteCustomer(principal, { id: '', market: input.market }))
    throw errors.invalid('market_not_in_scope', { market: input.market });
  return db.transaction().execute(async (trx) => {
    const market = await trx
      .selectFrom('markets')
      .select('code')
      .where('code', '=', input.market)
      .executeTakeFirst();
    if (!market) throw errors.invalid('market_unknown', { market: input.market });
    const row = await trx
      .insertInto('customers')
      .values({
        first_name: input.firstName,
        last_name: input.lastName,
        language: input.language,
        market: input.market,
        phones: input.phones ?? [],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('customer_emails')
      .values({ customer_id: row.id, address: input.email, verified: false, is_primary: true })
      .execute();
    await recordAudit(trx, context, {
      action: 'customer.created',
      entityType: 'customer',
      entityId: row.id,
      after: input,
    });
    await emitEvent(trx, eventContext(context), {
      type: 'customer.created',
      entityType: 'customer',
      entityId: row.id,
      payload: { market: input.market },
      audience: { markets: [input.market], customerIds: [row.id] },
    });
    return row.id;
  });
}

export async function updateCustomer(
  db: Db,
  context: RequestContext,
  customerId: string,
  input: UpdateCustomerBody,
) {
  const principal = principalOf(context);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    if (!before || !mayReadCustomer(principal, before)) throw errors.notFound('customer');
    if (!mayWriteCustomer(principal, before)) throw errors.forbidden();
    const after = await trx
      .updateTable('customers')
      .set({
        ...(input.firstName !== undefined && { first_name: input.firstName }),
        ...(input.lastName !== undefined && { last_name: input.lastName }),
        ...(input.phones !== undefined && { phones: input.phones }),
        ...(input.language !== undefined && { language: input.language }),
        updated_at: sql`now()`,
      })
      .where('id', '=', customerId)
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const consent of input.consents ?? []) {
      await trx
        .insertInto('customer_consents')
        .values({
          customer_id: customerId,
          purpose: consent.purpose,
          granted: consent.granted,
          source: 'agent',
        })
        .onConflict((oc) =>
          oc
            .columns(['customer_id', 'purpose'])
            .doUpdateSet({ granted: consent.granted, source: 'agent', changed_at: sql`now()` }),
        )
        .execute();
    }
    const { search_text: _b, ...beforeFields } = before;
    const { search_text: _a, ...afterFields } = after;
    await recordAudit(trx, context, {
      action: 'customer.updated',
      entityType: 'customer',
      entityId: customerId,
      before: beforeFields,
      after: { ...afterFields, consents: input.consents },
    });
    await emitEvent(trx, eventContext(context), {
      type: 'customer.updated',
      entityType: 'customer',
      entityId: customerId,
      audience: { markets: [before.market], customerIds: [customerId] },
    });
  });
}

export async function addVehicle(
  db: Db,
  context: RequestContext,
  customerId: string,
  input: AddVehicleBody,
): Promise<string> {
  const principal = principalOf(context);
  const vin = parseVin(input.vin);
  if (!vin) throw errors.invalid('invalid_vin');
  return db.transaction().execute(async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    if (!customer || !mayReadCustomer(principal, customer)) throw errors.notFound('customer');
    if (!mayWriteCustomer(principal, customer)) throw errors.forbidden();
    const vehicle = await trx
      .insertInto('vehicles')
      .values({
        vin,
        model: input.model,
        model_year: input.modelYear,
        market: customer.market,
        software_version: input.softwareVersion ?? null,
        first_registration: input.firstRegistration ?? null,
      })
      .onConflict((oc) => oc.column('vin').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!vehicle) throw errors.conflict('vin_taken');
    const ownedFrom = input.ownedFrom ?? new Date().toISOString().slice(0, 10);
    await trx
      .insertInto('vehicle_ownerships')
      .values({ vehicle_id: vehicle.id, customer_id: customerId, owned_from: ownedFrom })
      .execute();
    await recordAudit(trx, context, {
      action: 'vehicle.added',
      entityType: 'vehicle',
      entityId: vehicle.id,
      after: { ...input, vin, customerId },
    });
    await emitEvent(trx, eventContext(context), {
      type: 'vehicle.added',
      entityType: 'vehicle',
      entityId: vehicle.id,
      payload: { customerId, vin },
      audience: { markets: [customer.market], customerIds: [customerId] },
    });
    return vehicle.id;
  });
}
