import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';

let t: TestApp;
let admin: Session;
let adminId: string;

/** Stands in for a passed TOTP/passkey step-up (those are tested in identity.stepup tests). */
async function elevate(session: Session) {
  await sql`UPDATE sessions SET elevated_until = now() + interval '5 minutes' WHERE user_id = ${session.userId}`.execute(
    t.db,
  );
}

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['admin'], markets: [] });
  adminId = user.id;
  admin = await login(t.app, user.email, TEST_PASSWORD);
});
afterAll(() => t.close());

describe('users and roles (admin)', () => {
  it('creating a user needs a fresh step-up', async () => {
    const body = {
      email: 'new.agent@staff.test',
      name: 'New Agent',
      roles: ['agent'],
      markets: ['NL'],
      language: 'en',
      password: 'long-enough-password',
    };
    const refused = await admin.request('POST', '/api/identity/users', body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('step_up_required');
    await elevate(admin);
    const created = await admin.request('POST', '/api/identity/users', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'new.agent@staff.test',
      roles: ['agent'],
      markets: ['NL'],
      disabled: false,
    });
    const again = await admin.request('POST', '/api/identity/users', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('email_taken');
    const newcomer = await login(t.app, 'new.agent@staff.test', 'long-enough-password');
    expect((await newcomer.request('GET', '/api/me')).json().markets).toEqual(['NL']);
  });

  it('rejects unknown roles and markets with clear messages', async () => {
    await elevate(admin);
    const badRole = await admin.request('POST', '/api/identity/users', {
      email: 'x@staff.test',
      name: 'X',
      roles: ['wizard'],
      markets: [],
      language: 'en',
      password: 'long-enough-password',
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.details[0].field).toBe('roles.0');
    const badMarket = await admin.request('POST', '/api/identity/users', {
      email: 'y@staff.test',
      name: 'Y',
      roles: ['agent'],
      markets: ['FR'],
      language: 'en',
      password: 'long-enough-password',
    });
    expect(badMarket.statusCode).toBe(422);
    expect(badMarket.json().error.code).toBe('market_unknown');
  });

  it('changing roles and markets takes effect on the next request and is audited before/after', async () => {
    const staff = await createStaff(t.db, { roles: ['quality'], markets: ['DE'] });
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    expect((await session.request('GET', '/api/identity/users')).statusCode).toBe(403);
    await elevate(admin);
    const changed = await admin.request('PATCH', `/api/identity/users/${staff.id}`, {
      roles: ['admin'],
      markets: ['DE', 'AT'],
    });
    expect(changed.statusCode).toBe(200);
    expect((await session.request('GET', '/api/identity/users')).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.updated')
      .where('entity_id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ roles: ['quality'], markets: ['DE'] });
    expect(audit.after).toMatchObject({ roles: ['admin'], markets: ['DE', 'AT'] });
  });

  it('disabling a user ends their sessions at once', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    await elevate(admin);
    expect(
      (await admin.request('PATCH', `/api/identity/users/${staff.id}`, { disabled: true })).statusCode,
    ).toBe(200);
    expect((await session.request('GET', '/api/me')).statusCode).toBe(401);
  });

  it('the last active admin cannot lose the admin role', async () => {
    await sql`UPDATE users SET disabled = true WHERE 'admin' = ANY(roles) AND id <> ${adminId}`.execute(t.db);
    await elevate(admin);
    const response = await admin.request('PATCH', `/api/identity/users/${adminId}`, { roles: ['agent'] });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('cannot_remove_last_admin');
  });

  it('lists and filters users; markets are listed in the caller language', async () => {
    const list = await admin.request('GET', '/api/identity/users?role=admin&kind=staff');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.every((u: { roles: string[] }) => u.roles.includes('admin'))).toBe(true);
    await admin.request('PATCH', '/api/me', { language: 'de' });
    const markets = await admin.request('GET', '/api/identity/markets');
    expect(markets.json().items.find((m: { code: string }) => m.code === 'AT').name).toBe('Österreich');
  });
});
