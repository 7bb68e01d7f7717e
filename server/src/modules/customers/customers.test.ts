import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor, Transaction } from '../../platform/database.js';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import {
  addVehicle,
  createCustomer,
  createStaff,
  randomVin,
  seedMarkets,
  TEST_PASSWORD,
} from '../../test/factories.js';
import { isVin, parseVin } from './customers.vin.js';

let t: TestApp;
let agent: Session;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT', 'CH'] });
  agent = await login(t.app, user.email, TEST_PASSWORD);
});
afterAll(() => t.close());

describe('VIN', () => {
  it('accepts 17 characters without I, O and Q, normalising case and spaces', () => {
    expect(parseVin(' wnlaur0ra12345678 ')).toBe('WNLAUR0RA12345678');
    expect(isVin('WNLAUR0RA12345678')).toBe(true);
  });
  it.each([
    'WNLAUR0RA1234567',
    'WNLAUR0RA123456789',
    'WNLAURORA12345678',
    'WNLAUR0RA1234567I',
    'QNLAUR0RA12345678',
    'WNL-UR0RA12345678',
  ])('rejects %s', (vin) => expect(parseVin(vin)).toBeNull());
});

describe('customers', () => {
  it('an agent creates a customer in their market, adds a vehicle and opens the 360; all audited and announced', async () => {
    const created = await agent.request('POST', '/api/customers', {
      firstName: 'Jürgen',
      lastName: 'Schäfer',
      email: 'juergen.schaefer@customer.test',
      phones: ['+49 89 123456'],
      language: 'de',
      market: 'DE',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().customer.id;
    const vin = randomVin();
    const withVehicle = await agent.request('POST', `/api/customers/${id}/vehicles`, {
      vin: vin.toLowerCase(),
      model: 'Fjord',
      modelYear: 2026,
      softwareVersion: '2026.44.1',
      firstRegistration: '2026-02-01',
    });
    expect(withVehicle.statusCode).toBe(201);
    const view = await agent.request('GET', `/api/customers/${id}`);
    expect(view.json()).toMatchObject({
      customer: {
        name: 'Jürgen Schäfer',
        market: 'DE',
        language: 'de',
        phones: ['+49 89 123456'],
        emails: [{ address: 'juergen.schaefer@customer.test', primary: true, verified: false }],
      },
      vehicles: [
        {
          vin,
          model: 'Fjord',
          modelYear: 2026,
          softwareVersion: '2026.44.1',
          firstRegistration: '2026-02-01',
          market: 'DE',
        },
      ],
    });
    const events = await t.db
      .selectFrom('domain_events')
      .select('type')
      .where('entity_id', 'in', [id, view.json().vehicles[0].id])
      .execute();
    expect(events.map((e) => e.type).sort()).toEqual(['customer.created', 'vehicle.added']);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', 'in', [id, view.json().vehicles[0].id])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['customer.created', 'vehicle.added']);
  });

  it('refuses a VIN that is already registered with 409 and an unknown market with 422', async () => {
    const owner = await createCustomer(t.db);
    const { vin } = await addVehicle(t.db, owner.id);
    const duplicate = await agent.request('POST', `/api/customers/${owner.id}/vehicles`, {
      vin,
      model: 'Aurora',
      modelYear: 2025,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('vin_taken');
    const admin = await createStaff(t.db, { roles: ['admin'], markets: [] });
    const adminSession = await login(t.app, admin.email, TEST_PASSWORD);
    const unknownMarket = await adminSession.request('POST', '/api/customers', {
      firstName: 'A',
      lastName: 'B',
      email: 'a@b.test',
      language: 'en',
      market: 'FR',
    });
    expect(unknownMarket.statusCode).toBe(422);
    expect(unknownMarket.json().error.message).toBe('Unknown market FR.');
  });

  it('records consents and changes with before/after', async () => {
    const owner = await createCustomer(t.db);
    const response = await agent.request('PATCH', `/api/customers/${owner.id}`, {
      language: 'en',
      consents: [
        { purpose: 'marketing_email', granted: false },
        { purpose: 'service_reminders', granted: true },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().customer.language).toBe('en');
    expect(
      response
        .json()
        .customer.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]),
    ).toEqual([
      ['marketing_email', false],
      ['service_reminders', true],
    ]);
    const bad = await agent.request('PATCH', `/api/customers/${owner.id}`, {
      consents: [{ purpose: 'spam', granted: true }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('search finds by name fragment, by email and by VIN, ranked by name, with totals', async () => {
    const owner = await createCustomer(t.db, { firstName: 'Annika', lastName: 'Bergström', market: 'CH' });
    const { vin } = await addVehicle(t.db, owner.id, { market: 'CH' });
    const byName = await agent.request('GET', '/api/customers?q=bergstr');
    expect(byName.json().items.map((i: { id: string }) => i.id)).toContain(owner.id);
    const byEmail = await agent.request('GET', `/api/customers?q=${encodeURIComponent(owner.email)}`);
    expect(byEmail.json().items).toEqual([
      expect.objectContaining({ id: owner.id, email: owner.email, vehicleCount: 1, market: 'CH' }),
    ]);
    const byVin = await agent.request('GET', `/api/customers?q=${vin}`);
    expect(byVin.json()).toMatchObject({ total: 1, items: [{ id: owner.id }] });
    const byMarket = await agent.request('GET', '/api/customers?market=CH&limit=100');
    expect(byMarket.json().items.every((i: { market: string }) => i.market === 'CH')).toBe(true);
  });

  it('a previous owner no longer sees the vehicle; ownership keeps its history', async () => {
    const seller = await createCustomer(t.db);
    const buyer = await createCustomer(t.db);
    const vehicle = await addVehicle(t.db, seller.id);
    await t.db
      .updateTable('vehicle_ownerships')
      .set({ owned_until: '2026-06-30' })
      .where('vehicle_id', '=', vehicle.id)
      .execute();
    await t.db
      .insertInto('vehicle_ownerships')
      .values({ vehicle_id: vehicle.id, customer_id: buyer.id, owned_from: '2026-07-01' })
      .execute();
    const sellerSession = await login(t.app, seller.email, seller.password);
    const buyerSession = await login(t.app, buyer.email, buyer.password);
    expect((await sellerSession.request('GET', '/api/customers/me')).json().vehicles).toEqual([]);
    expect((await buyerSession.request('GET', '/api/customers/me')).json().vehicles[0]).toMatchObject({
      vin: vehicle.vin,
      ownedSince: '2026-07-01',
    });
    await expect(
      t.db
        .insertInto('vehicle_ownerships')
        .values({ vehicle_id: vehicle.id, customer_id: seller.id, owned_from: '2026-08-01' })
        .execute(),
    ).rejects.toThrow(/vehicle_ownerships_one_current/);
  });
});

/**
 * Rows `change` inserts into and updates in customers (each a new row version with its index
 * entries). The statistics count since the connection last reported them, never while a
 * transaction is open: the difference is `change`'s.
 */
async function customerRowWrites<T>(trx: Transaction, change: () => Promise<T>) {
  const counts = async () => {
    const result = await sql<{ inserted: string; updated: string }>`
      SELECT pg_stat_get_xact_tuples_inserted('customers'::regclass) AS inserted,
        pg_stat_get_xact_tuples_updated('customers'::regclass) AS updated`.execute(trx);
    const row = result.rows[0];
    return { inserted: Number(row?.inserted), updated: Number(row?.updated) };
  };
  const before = await counts();
  const result = await change();
  const after = await counts();
  return { result, inserted: after.inserted - before.inserted, updated: after.updated - before.updated };
}

describe('contact for an email address', () => {
  /** What the new contact's one statement wrote: the customer, its address, its audit entry and
   * its event. */
  async function writtenFor(customerId: string, db: Executor = t.db) {
    const customer = await db
      .selectFrom('customers')
      .select(['first_name', 'last_name', 'market', 'language', 'search_text'])
      .where('id', '=', customerId)
      .executeTakeFirst();
    const emails = await db
      .selectFrom('customer_emails')
      .select(['address', 'verified', 'is_primary'])
      .where('customer_id', '=', customerId)
      .execute();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'actor_kind', 'after'])
      .where('entity_id', '=', customerId)
      .execute();
    const events = await db
      .selectFrom('domain_events')
      .select(['type', 'entity_type', 'payload'])
      .where('entity_id', '=', customerId)
      .execute();
    return { customer, emails, audit, events };
  }

  /** What `writtenFor` finds for a new sender's contact. */
  const createdRows = (names: { first: string; last: string }, address: string, market: string) => ({
    customer: {
      first_name: names.first,
      last_name: names.last,
      market,
      language: 'de',
      search_text: `${names.first} ${names.last} ${address}`.toLowerCase(),
    },
    emails: [{ address, verified: false, is_primary: true }],
    audit: [
      {
        action: 'customer.created',
        entity_type: 'customer',
        actor_kind: 'system',
        after: { address, unverified: true, market },
      },
    ],
    events: [{ type: 'customer.created', entity_type: 'customer', payload: { market, unverified: true } }],
  });

  it('finds the verified owner, else creates an unverified contact in the mailbox market (once)', async () => {
    const { contactForEmail, customerContacts } = await import('./index.js');
    // The contact handed on with the address is the one customerContacts reads.
    const contactOf = async (id: string) => (await customerContacts(t.db, [id])).get(id);
    const { systemContext } = await import('../identity/index.js');
    const owner = await createCustomer(t.db);
    const known = await contactForEmail(t.db, systemContext, {
      address: owner.email.toUpperCase(),
      displayName: null,
      market: 'AT',
      language: 'de',
    });
    expect(known).toEqual({
      customerId: owner.id,
      verified: true,
      created: false,
      contact: await contactOf(owner.id),
    });
    const stranger = await contactForEmail(t.db, systemContext, {
      address: 'Neu.Kunde@mail.test',
      displayName: 'Neu Kunde',
      market: 'AT',
      language: 'de',
    });
    expect(stranger).toMatchObject({ verified: false, created: true });
    expect(stranger.contact).toEqual(await contactOf(stranger.customerId));
    expect(await writtenFor(stranger.customerId)).toEqual(
      createdRows({ first: 'Neu', last: 'Kunde' }, 'neu.kunde@mail.test', 'AT'),
    );
    const again = await contactForEmail(t.db, systemContext, {
      address: 'neu.kunde@mail.test',
      displayName: null,
      market: 'AT',
      language: 'de',
    });
    expect(again).toEqual({
      customerId: stranger.customerId,
      verified: false,
      created: false,
      contact: stranger.contact,
    });
    const view = await agent.request('GET', `/api/customers/${stranger.customerId}`);
    expect(view.json().customer).toMatchObject({
      firstName: 'Neu',
      lastName: 'Kunde',
      market: 'AT',
      emails: [{ address: 'neu.kunde@mail.test', verified: false }],
    });
    // Found by the search the agents use (the search text came with the insert).
    const found = await agent.request('GET', '/api/customers?q=neu.kunde@mail');
    expect(found.json().items.map((item: { id: string }) => item.id)).toEqual([stranger.customerId]);
  });

  it("creates a new sender's contact in the caller's transaction: with it or not at all, the customer row written once", async () => {
    const { contactForEmail } = await import('./index.js');
    const { systemContext } = await import('../identity/index.js');
    const sender = (address: string) => ({
      address,
      displayName: 'Ola Nordmann',
      market: 'DE',
      language: 'de' as const,
    });
    const rolledBack = new Error('rolled back on purpose');
    let discarded = '';
    await expect(
      t.db.transaction().execute(async (trx) => {
        const { result: created, ...writes } = await customerRowWrites(trx, () =>
          contactForEmail(trx, systemContext, sender('ola@rollback.test'), { asyncCommit: true }),
        );
        discarded = created.customerId;
        expect(await writtenFor(created.customerId, trx)).toEqual(
          createdRows({ first: 'Ola', last: 'Nordmann' }, 'ola@rollback.test', 'DE'),
        );
        // One row version: the address's trigger found the search text already right.
        expect(writes).toEqual({ inserted: 1, updated: 0 });
        // The caller's transaction commits as the caller decides.
        expect(
          (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(trx)).rows,
        ).toEqual([{ synchronous_commit: 'on' }]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await writtenFor(discarded)).toEqual({ customer: undefined, emails: [], audit: [], events: [] });

    const kept = await t.db
      .transaction()
      .execute((trx) => contactForEmail(trx, systemContext, sender('ola@commit.test')));
    expect(await writtenFor(kept.customerId)).toEqual(
      createdRows({ first: 'Ola', last: 'Nordmann' }, 'ola@commit.test', 'DE'),
    );
  });

  it('creates the contact on its own with an asynchronous commit that stays with its statement', async () => {
    const { contactForEmail } = await import('./index.js');
    const { systemContext } = await import('../identity/index.js');
    // One connection throughout, so the setting after the call is that of the connection used.
    await t.db.connection().execute(async (connection) => {
      const created = await contactForEmail(
        connection,
        systemContext,
        { address: 'Kari@Async.test', displayName: null, market: 'CH', language: 'de' },
        { asyncCommit: true },
      );
      expect(created).toMatchObject({ verified: false, created: true });
      expect(await writtenFor(created.customerId, connection)).toEqual(
        createdRows({ first: 'kari', last: '' }, 'kari@async.test', 'CH'),
      );
      expect(
        (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(connection)).rows,
      ).toEqual([{ synchronous_commit: 'on' }]);
    });
  });
});

describe('customer search text', () => {
  /** Each customer's stored search text beside what it must be: names and all addresses. */
  async function searchTexts(ids: readonly string[]) {
    const rows = await sql<{ id: string; stored: string; expected: string }>`
      SELECT c.id, c.search_text AS stored, lower(c.first_name || ' ' || c.last_name || ' ' ||
        coalesce((SELECT string_agg(e.address::text, ' ') FROM customer_emails e WHERE e.customer_id = c.id), '')) AS expected
      FROM customers c WHERE c.id = ANY(${ids}::uuid[])`.execute(t.db);
    expect(rows.rows).toHaveLength(ids.length);
    return rows.rows;
  }
  async function expectCurrent(ids: readonly string[]) {
    for (const row of await searchTexts(ids)) expect(row.stored).toBe(row.expected);
  }
  /** Row versions written to customers by `change` (one per INSERT or UPDATE). */
  const customerWrites = (change: (trx: Transaction) => Promise<unknown>) =>
    t.db.transaction().execute(async (trx) => (await customerRowWrites(trx, () => change(trx))).updated);

  it('is the names and addresses of each customer after every kind of change, rewritten only when it changes', async () => {
    const { contactForEmail, markEmailBounced } = await import('./index.js');
    const { systemContext } = await import('../identity/index.js');
    // Addresses of one customer are added (and moved) in their alphabetical order, so that the
    // order the text joins them in is the same whether PostgreSQL reads them by index or from
    // the table.
    const tag = randomVin().toLowerCase();
    const created = await agent.request('POST', '/api/customers', {
      firstName: 'Ärne',
      lastName: 'Öberg',
      email: `a-${tag}@search.test`,
      language: 'de',
      market: 'DE',
    });
    expect(created.statusCode).toBe(201);
    const agentsCustomer: string = created.json().customer.id;
    const addAddress = (customerId: string, address: string) =>
      customerWrites((trx) =>
        trx
          .insertInto('customer_emails')
          .values({ customer_id: customerId, address, verified: true, is_primary: false })
          .execute(),
      );
    expect(await addAddress(agentsCustomer, `b-${tag}@search.test`)).toBe(1);
    expect(await addAddress(agentsCustomer, `c-${tag}@search.test`)).toBe(1);
    expect(await addAddress(agentsCustomer, `z-${tag}@search.test`)).toBe(1);
    const sender = await contactForEmail(t.db, systemContext, {
      address: `M-${tag}@Search.test`,
      displayName: 'Jörg  Ünal-Çelik',
      market: 'DE',
      language: 'de',
    });
    const ids = [agentsCustomer, sender.customerId];
    await expectCurrent(ids);
    const renamed = await agent.request('PATCH', `/api/customers/${agentsCustomer}`, { lastName: 'Åström' });
    expect(renamed.statusCode).toBe(200);
    await expectCurrent(ids);
    // Removing an address rewrites the text once; a change that leaves it as it is (a bounce,
    // a verification) writes no new row version.
    expect(
      await customerWrites((trx) =>
        trx.deleteFrom('customer_emails').where('address', '=', `b-${tag}@search.test`).execute(),
      ),
    ).toBe(1);
    expect(await customerWrites((trx) => markEmailBounced(trx, `c-${tag}@search.test`))).toBe(0);
    expect(
      await customerWrites((trx) =>
        trx
          .updateTable('customer_emails')
          .set({ verified: true })
          .where('address', '=', `m-${tag}@search.test`)
          .execute(),
      ),
    ).toBe(0);
    await expectCurrent(ids);
    // An address moved to another customer leaves the one and joins the other.
    expect(
      await customerWrites((trx) =>
        trx
          .updateTable('customer_emails')
          .set({ customer_id: sender.customerId })
          .where('address', '=', `z-${tag}@search.test`)
          .execute(),
      ),
    ).toBe(2);
    await expectCurrent(ids);
    expect((await searchTexts(ids)).map((row) => row.stored).sort()).toEqual(
      [
        `ärne åström a-${tag}@search.test c-${tag}@search.test`,
        `jörg ünal-çelik m-${tag}@search.test z-${tag}@search.test`,
      ].sort(),
    );
    // A search text an insert brings is kept only when it starts with the row's names.
    const supplied = await sql<{ search_text: string }>`
      INSERT INTO customers (first_name, last_name, language, market, search_text)
      VALUES ('Eva', 'Berg', 'de', 'DE', 'someone else') RETURNING search_text`.execute(t.db);
    expect(supplied.rows).toEqual([{ search_text: 'eva berg ' }]);
  });
});
