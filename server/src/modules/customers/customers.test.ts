import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('contact for an email address', () => {
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
  });
});
