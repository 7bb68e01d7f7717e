// The per-process session cache: it really saves the lookup, and no change to a session or
// user outlives the moment a process hears of it, whichever process or psql prompt made it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type TestApp } from '../../test/app.js';
import { createCustomer, createStaff, seedMarkets } from '../../test/factories.js';
import { until } from '../../test/until.js';

let first: TestApp;
let second: TestApp;
let germanCustomer: string;
let austrianCustomer: string;

beforeAll(async () => {
  first = await buildTestApp();
  second = await buildTestApp({ database: first.database });
  await seedMarkets(first.db);
  germanCustomer = (await createCustomer(first.db, { market: 'DE', withAccount: false })).id;
  austrianCustomer = (await createCustomer(first.db, { market: 'AT', withAccount: false })).id;
});
afterAll(async () => {
  await second.close();
  await first.close();
});

/** Deletes rows the way nothing in Pitwall does: without the triggers that announce it. */
async function silently(statement: ReturnType<typeof sql>) {
  await first.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

async function agentOnBothProcesses() {
  const staff = await createStaff(first.db, { roles: ['agent'], markets: ['DE'] });
  const onFirst = await login(first.app, staff.email, staff.password);
  const get = (app: TestApp, url: string) =>
    app.app.inject({ method: 'GET', url, headers: { cookie: onFirst.cookie } });
  return { staff, onFirst, get };
}

describe('session cache', () => {
  it('answers from the cache: a session row removed behind its back still works until a notice says so', async () => {
    const { staff, get } = await agentOnBothProcesses();
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(200);
    await silently(sql`DELETE FROM sessions WHERE user_id = ${staff.id}`);
    // No statement reads the session now: the cached principal is used.
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(200);
    await sql`SELECT pg_notify('pitwall_identity', '*')`.execute(first.db);
    await until(
      async () => (await get(second, `/api/customers/${germanCustomer}`)).statusCode === 401,
      2_000,
    );
  });

  it('a market change made at a psql prompt reaches the other process within a second', async () => {
    const { staff, get } = await agentOnBothProcesses();
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(200);
    expect((await get(second, `/api/customers/${austrianCustomer}`)).statusCode).toBe(404);
    await sql`UPDATE users SET markets = '{AT}' WHERE id = ${staff.id}`.execute(first.db);
    await until(
      async () => (await get(second, `/api/customers/${austrianCustomer}`)).statusCode === 200,
      1_000,
    );
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(404);
  });

  it('a role taken away and an account disabled take effect on the other process within a second', async () => {
    const { staff, get } = await agentOnBothProcesses();
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(200);
    await sql`UPDATE users SET roles = '{}' WHERE id = ${staff.id}`.execute(first.db);
    await until(
      async () => (await get(second, `/api/customers/${germanCustomer}`)).statusCode === 403,
      1_000,
    );
    await sql`UPDATE users SET disabled = true WHERE id = ${staff.id}`.execute(first.db);
    await until(
      async () => (await get(second, `/api/customers/${germanCustomer}`)).statusCode === 401,
      1_000,
    );
  });

  it('logging out on one process ends the session on the other within a second', async () => {
    const { onFirst, get } = await agentOnBothProcesses();
    expect((await get(second, '/api/me')).statusCode).toBe(200);
    expect((await onFirst.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    // The process that ended it never answers from its cache again.
    expect((await get(first, '/api/me')).statusCode).toBe(401);
    await until(async () => (await get(second, '/api/me')).statusCode === 401, 1_000);
  });

  it('an admin change on this process takes effect on the very next request here', async () => {
    const { staff, get } = await agentOnBothProcesses();
    const admin = await createStaff(first.db, { roles: ['admin'] });
    const adminSession = await login(first.app, admin.email, admin.password);
    // Changing a user needs a step-up; pretend the admin just passed one.
    await sql`UPDATE sessions SET elevated_until = now() + interval '5 minutes' WHERE user_id = ${admin.id}`.execute(
      first.db,
    );
    expect((await get(first, `/api/customers/${germanCustomer}`)).statusCode).toBe(200);
    const changed = await adminSession.request('PATCH', `/api/identity/users/${staff.id}`, {
      markets: ['AT'],
    });
    expect(changed.statusCode).toBe(200);
    expect((await get(first, `/api/customers/${germanCustomer}`)).statusCode).toBe(404);
  });

  it('while the listening connection is down nothing is served from the cache', async () => {
    const { staff, get } = await agentOnBothProcesses();
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(200);
    await second.live.stop();
    await silently(sql`UPDATE users SET disabled = true WHERE id = ${staff.id}`);
    expect((await get(second, `/api/customers/${germanCustomer}`)).statusCode).toBe(401);
  });
});
