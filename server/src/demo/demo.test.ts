import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffRoles } from '../modules/identity/index.js';
import type { Db } from '../platform/database.js';
import { buildTestApp, login, type TestApp } from '../test/app.js';
import { createTestDatabase, type TestDatabase } from '../test/database.js';
import { auditCount } from '../test/factories.js';
import { DemoCustomerGenerator } from './generate.js';
import {
  DEMO_PASSWORD,
  type DemoSummary,
  databaseContents,
  demoLogins,
  demoOwners,
  isValidVin,
  seedDemoData,
} from './index.js';

const SEED = 4711;
const CUSTOMERS = 300;

let first: TestDatabase;
let second: TestDatabase;
let summary: DemoSummary;
let t: TestApp;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  [summary] = await Promise.all([
    seedDemoData(first.db, { customers: CUSTOMERS, seed: SEED }),
    seedDemoData(second.db, { customers: CUSTOMERS, seed: SEED }),
  ]);
  t = await buildTestApp({ database: first });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await Promise.all([first?.drop(), second?.drop()]);
});

async function snapshot(db: Db) {
  return {
    customers: await db
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name', 'market', 'language', 'phones', 'search_text'])
      .orderBy('id')
      .execute(),
    emails: await db.selectFrom('customer_emails').selectAll().orderBy('id').execute(),
    vehicles: await db
      .selectFrom('vehicles')
      .select(['id', 'vin', 'model', 'model_year', 'market', 'software_version', 'first_registration'])
      .orderBy('id')
      .execute(),
    ownerships: await db.selectFrom('vehicle_ownerships').selectAll().orderBy('id').execute(),
    users: await db
      .selectFrom('users')
      .select(['id', 'email', 'kind', 'customer_id'])
      .orderBy('id')
      .execute(),
  };
}

describe('demo data generator', () => {
  it('gives identical customers, vehicles and ids for the same seed in two databases', async () => {
    const [a, b] = await Promise.all([snapshot(first.db), snapshot(second.db)]);
    expect(a.customers).toHaveLength(CUSTOMERS);
    expect(a.vehicles.length).toBeGreaterThan(0);
    expect(a.customers.map((c) => c.id)).toEqual(b.customers.map((c) => c.id));
    expect(a.vehicles.map((v) => v.vin)).toEqual(b.vehicles.map((v) => v.vin));
    expect(a).toEqual(b);
  });

  it('gives different data for a different seed', () => {
    const one = new DemoCustomerGenerator(1, 'hash').nextChunk(20);
    const two = new DemoCustomerGenerator(2, 'hash').nextChunk(20);
    expect(one.customers.map((c) => c.id)).not.toEqual(two.customers.map((c) => c.id));
    expect(new DemoCustomerGenerator(1, 'hash').nextChunk(20)).toEqual(one);
  });

  it('stamps every vehicle with a valid, unique VIN of the brand', async () => {
    const vehicles = await first.db.selectFrom('vehicles').select('vin').execute();
    for (const { vin } of vehicles) {
      expect(isValidVin(vin), vin).toBe(true);
      expect(vin.startsWith('YNM')).toBe(true);
    }
    expect(new Set(vehicles.map((v) => v.vin)).size).toBe(vehicles.length);
  });

  it('gives about 1.5 vehicles per customer and some used cars with an ended ownership', async () => {
    expect(summary.vehicles / summary.customers).toBeGreaterThan(1.3);
    expect(summary.vehicles / summary.customers).toBeLessThan(1.7);
    const ended = await first.db
      .selectFrom('vehicle_ownerships')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owned_until', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(ended.n)).toBeGreaterThan(0);
    const current = await first.db
      .selectFrom('vehicle_ownerships')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owned_until', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(current.n)).toBe(summary.vehicles);
  });

  it('speaks German in DE, AT and CH and English elsewhere, with one verified primary email and four consents each', async () => {
    const rows = await sql<{ market: string; language: string; primaries: number; consents: number }>`
      SELECT c.market, c.language,
        (SELECT count(*)::int FROM customer_emails e WHERE e.customer_id = c.id AND e.is_primary AND e.verified) AS primaries,
        (SELECT count(*)::int FROM customer_consents k WHERE k.customer_id = c.id) AS consents
      FROM customers c
    `.execute(first.db);
    for (const row of rows.rows) {
      expect(row.language).toBe(['DE', 'AT', 'CH'].includes(row.market) ? 'de' : 'en');
      expect(row.primaries).toBe(1);
      expect(row.consents).toBe(4);
    }
    expect(new Set(rows.rows.map((r) => r.market))).toEqual(new Set(['DE', 'AT', 'CH', 'NL', 'SE', 'UK']));
  });

  it('leaves the search text exactly as the database triggers compute it, and the triggers on', async () => {
    const searchTexts = () =>
      first.db.selectFrom('customers').select(['id', 'search_text']).orderBy('id').execute();
    const seeded = await searchTexts();
    expect(seeded.every((c) => c.search_text.includes('@'))).toBe(true);
    // The trigger function joins addresses in the order PostgreSQL reads them: by index…
    await sql`SELECT customers_refresh_search_text(id) FROM customers`.execute(first.db);
    expect(await searchTexts()).toEqual(seeded);
    // …or straight from the table.
    await first.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_indexscan = off`.execute(trx);
      await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
      await sql`SELECT customers_refresh_search_text(id) FROM customers`.execute(trx);
    });
    expect(await searchTexts()).toEqual(seeded);
    const triggers = await sql<{ tgenabled: string }>`
      SELECT tgenabled FROM pg_trigger WHERE tgname = 'customer_emails_search_text'
    `.execute(first.db);
    expect(triggers.rows).toEqual([{ tgenabled: 'O' }]);
  });

  it('writes one audit entry per seed run and is recognised as demo data', async () => {
    expect(await auditCount(first.db, 'demo.seeded')).toBe(1);
    expect(await databaseContents(first.db)).toEqual({ users: 13, customers: CUSTOMERS, demo: true });
  });
});

describe('demo logins', () => {
  it('lists one login for every staff role and two owners', () => {
    const roles = demoLogins.filter((l) => l.kind === 'staff').map((l) => l.role);
    expect([...roles].sort()).toEqual([...staffRoles].sort());
    expect(demoLogins.filter((l) => l.kind === 'customer')).toHaveLength(2);
    expect(demoLogins.every((l) => l.password === DEMO_PASSWORD && l.email.endsWith('nordlys.example'))).toBe(
      true,
    );
  });

  it('signs every demo login in with the demo password', async () => {
    for (const demoLogin of demoLogins) {
      const session = await login(t.app, demoLogin.email, DEMO_PASSWORD);
      const me = await session.request('GET', '/api/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ email: demoLogin.email, kind: demoLogin.kind });
    }
  });

  it('shows an owner their own vehicles, the used one included', async () => {
    const lena = demoOwners.find((o) => o.firstName === 'Lena');
    if (!lena) throw new Error('Lena is a demo owner');
    const session = await login(t.app, lena.email, DEMO_PASSWORD);
    const response = await session.request('GET', '/api/customers/me');
    expect(response.statusCode).toBe(200);
    expect(response.json().customer.name).toBe('Lena Vogel');
    expect(response.json().vehicles).toHaveLength(2);
  });

  it('lets the DACH agent find customers of DE, AT and CH only', async () => {
    const session = await login(t.app, 'agent.dach@nordlys.example', DEMO_PASSWORD);
    const response = await session.request('GET', '/api/customers?limit=100');
    expect(response.statusCode).toBe(200);
    const { items, total } = response.json() as { items: { market: string }[]; total: number };
    expect(total).toBeGreaterThan(0);
    expect(items.every((c) => ['DE', 'AT', 'CH'].includes(c.market))).toBe(true);
  });
});

describe('demo cases', () => {
  it('fills the inbox with German and English cases, teams, SLA policies and macros, every timeline starting with the customer', async () => {
    const { seedDemoCases, seedDemoData, DEFAULT_SEED } = await import('./index.js');
    const database = await createTestDatabase();
    try {
      await seedDemoData(database.db, { customers: 120 });
      const count = await seedDemoCases(database.db, { seed: DEFAULT_SEED });
      expect(count).toBeGreaterThan(30);
      const languages = await database.db.selectFrom('cases').select('language').distinct().execute();
      expect(languages.map((l) => l.language).sort()).toEqual(['de', 'en']);
      const firsts = await database.db
        .selectFrom('case_messages')
        .select(['case_id', 'author_kind'])
        .distinctOn('case_id')
        .orderBy('case_id')
        .orderBy('created_at')
        .execute();
      expect(firsts).toHaveLength(count);
      expect(firsts.every((m) => m.author_kind === 'customer')).toBe(true);
      const policies = await database.db.selectFrom('sla_policies').select('market').execute();
      expect(new Set(policies.map((p) => p.market)).size).toBe(6);
      expect((await database.db.selectFrom('macros').select('id').execute()).length).toBeGreaterThanOrEqual(
        3,
      );
    } finally {
      await database.drop();
    }
  });
});
