// Factories build the data a test needs, through the same tables the app uses.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { hashPassword } from '../modules/identity/index.js';
import type { Db } from '../platform/database.js';

export const TEST_PASSWORD = 'correct-horse-battery';
let cachedHash: Promise<string> | null = null;
const passwordHash = () => {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
};

const unique = () => randomBytes(4).toString('hex');

export async function seedMarkets(db: Db): Promise<void> {
  await db
    .insertInto('markets')
    .values([
      {
        code: 'DE',
        name_en: 'Germany',
        name_de: 'Deutschland',
        time_zone: 'Europe/Berlin',
        language: 'de',
        currency: 'EUR',
      },
      {
        code: 'AT',
        name_en: 'Austria',
        name_de: 'Österreich',
        time_zone: 'Europe/Vienna',
        language: 'de',
        currency: 'EUR',
      },
      {
        code: 'CH',
        name_en: 'Switzerland',
        name_de: 'Schweiz',
        time_zone: 'Europe/Zurich',
        language: 'de',
        currency: 'CHF',
      },
      {
        code: 'NL',
        name_en: 'Netherlands',
        name_de: 'Niederlande',
        time_zone: 'Europe/Amsterdam',
        language: 'en',
        currency: 'EUR',
      },
      {
        code: 'SE',
        name_en: 'Sweden',
        name_de: 'Schweden',
        time_zone: 'Europe/Stockholm',
        language: 'en',
        currency: 'SEK',
      },
      {
        code: 'UK',
        name_en: 'United Kingdom',
        name_de: 'Vereinigtes Königreich',
        time_zone: 'Europe/London',
        language: 'en',
        currency: 'GBP',
      },
    ])
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function createStaff(
  db: Db,
  options: { roles: string[]; markets?: string[]; email?: string; language?: 'de' | 'en' },
) {
  const email = options.email ?? `${options.roles.join('-')}-${unique()}@staff.test`;
  const row = await db
    .insertInto('users')
    .values({
      kind: 'staff',
      email,
      name: `Test ${options.roles.join(' ')}`,
      password_hash: await passwordHash(),
      roles: options.roles,
      markets: options.markets ?? ['DE'],
      language: options.language ?? 'en',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email, password: TEST_PASSWORD };
}

export async function createCustomer(
  db: Db,
  options: { market?: string; withAccount?: boolean; firstName?: string; lastName?: string } = {},
) {
  const email = `owner-${unique()}@customer.test`;
  const customer = await db
    .insertInto('customers')
    .values({
      first_name: options.firstName ?? 'Erika',
      last_name: options.lastName ?? `Muster${unique()}`,
      language: 'de',
      market: options.market ?? 'DE',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('customer_emails')
    .values({ customer_id: customer.id, address: email, verified: true, is_primary: true })
    .execute();
  let userId: string | null = null;
  if (options.withAccount !== false) {
    const user = await db
      .insertInto('users')
      .values({
        kind: 'customer',
        email,
        name: 'Erika Muster',
        password_hash: await passwordHash(),
        customer_id: customer.id,
        language: 'de',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userId = user.id;
  }
  return { id: customer.id, email, password: TEST_PASSWORD, userId };
}

export function randomVin(): string {
  const alphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
  return Array.from(randomBytes(17), (byte) => alphabet[byte % alphabet.length]).join('');
}

export async function addVehicle(
  db: Db,
  customerId: string,
  options: { market?: string; vin?: string } = {},
) {
  const vin = options.vin ?? randomVin();
  const vehicle = await db
    .insertInto('vehicles')
    .values({
      vin,
      model: 'Aurora',
      model_year: 2025,
      market: options.market ?? 'DE',
      software_version: '2026.44.1',
      first_registration: '2025-03-14',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('vehicle_ownerships')
    .values({ vehicle_id: vehicle.id, customer_id: customerId, owned_from: '2025-03-14' })
    .execute();
  return { id: vehicle.id, vin };
}

export async function auditCount(db: Db, action: string): Promise<number> {
  const row = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action}`.execute(
    db,
  );
  return Number(row.rows[0]?.n ?? 0);
}
