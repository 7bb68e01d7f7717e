import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../platform/crypto.js';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { auditCount, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';
import type { StaffPrincipal } from './identity.principal.js';
import { createApiToken } from './identity.tokens.js';

let t: TestApp;
let admin: Session;
let adminId: string;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['admin'], markets: [] });
  adminId = user.id;
  admin = await login(t.app, user.email, TEST_PASSWORD);
  // The step-up itself is tested in identity.stepup.test.ts; here the session is simply elevated.
  await t.db
    .updateTable('sessions')
    .set({ elevated_until: sql`now() + interval '1 hour'` })
    .where('user_id', '=', user.id)
    .execute();
});
afterAll(() => t.close());

async function newToken(body: object) {
  const response = await admin.request('POST', '/api/identity/api-tokens', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as {
    token: string;
    item: { id: string; name: string; scopes: string[]; expiresAt: string | null };
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const customerBody = {
  firstName: 'Jonas',
  lastName: 'Keller',
  email: 'jonas@customer.test',
  language: 'de',
  market: 'DE',
};

describe('creating API tokens', () => {
  it('needs a step-up', async () => {
    const user = await createStaff(t.db, { roles: ['admin'], markets: [] });
    const session = await login(t.app, user.email, TEST_PASSWORD);
    const response = await session.request('POST', '/api/identity/api-tokens', {
      name: 'ERP',
      scopes: ['customers:read'],
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('step_up_required');
  });

  it('shows the secret once, stores only its sha256 and never lists or audits it', async () => {
    const auditsBefore = await auditCount(t.db, 'api_token.created');
    const { token, item } = await newToken({
      name: 'ERP sync',
      scopes: ['customers:read'],
      expiresInDays: 30,
    });
    expect(token).toMatch(/^pw_[A-Za-z0-9_-]{40,}$/);
    expect(item).toMatchObject({
      name: 'ERP sync',
      scopes: ['customers:read'],
      markets: ['*'],
      revokedAt: null,
    });
    expect(Date.parse(item.expiresAt ?? '')).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const stored = await t.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const list = await admin.request('GET', '/api/identity/api-tokens');
    expect(list.json().items).toContainEqual(item);
    expect(list.body).not.toContain(token);
    expect(await auditCount(t.db, 'api_token.created')).toBe(auditsBefore + 1);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', item.id).execute();
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(stored.token_hash);
  });

  it('rejects scopes that are not permissions at all with 400', async () => {
    const response = await admin.request('POST', '/api/identity/api-tokens', { name: 'x', scopes: ['root'] });
    expect(response.statusCode).toBe(400);
  });

  it('refuses scopes and markets the creator does not hold', async () => {
    // Only admins hold tokens:manage today, so a narrower creator is built by hand.
    const creator: StaffPrincipal = {
      kind: 'staff',
      userId: adminId,
      email: 'narrow@staff.test',
      name: 'Narrow',
      roles: ['agent'],
      markets: ['DE'],
      allMarkets: false,
      permissions: new Set(['tokens:manage', 'customers:read']),
      language: 'en',
      sessionId: 'test',
      csrfToken: 'test',
      elevatedUntil: new Date(Date.now() + 60_000),
    };
    const context = { principal: creator, requestId: null, ip: null, language: 'en' as const };
    await expect(
      createApiToken(t.db, context, { name: 'x', scopes: ['users:manage'] }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'scope_not_allowed',
      params: { scope: 'users:manage' },
    });
    await expect(
      createApiToken(t.db, context, { name: 'x', scopes: ['customers:read'], markets: ['AT'] }),
    ).rejects.toMatchObject({ status: 422, code: 'market_not_in_scope' });
    await expect(
      createApiToken(t.db, context, { name: 'x', scopes: ['customers:read'], markets: ['*'] }),
    ).rejects.toMatchObject({ status: 422, code: 'market_not_in_scope' });
    const own = await createApiToken(t.db, context, { name: 'x', scopes: ['customers:read'] });
    expect(own.item.markets).toEqual(['DE']);
  });

  it('a token cannot manage tokens', async () => {
    const { token } = await newToken({ name: 'Sneaky', scopes: ['tokens:manage'] });
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/identity/api-tokens',
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('calling the API with a token', () => {
  it('a customers:read token can list customers but not create one', async () => {
    const { token } = await newToken({ name: 'Reporting', scopes: ['customers:read'], markets: ['DE'] });
    const read = await t.app.inject({ method: 'GET', url: '/api/customers', headers: bearer(token) });
    expect(read.statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: bearer(token),
      payload: customerBody,
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('forbidden');
  });

  it('never needs a CSRF token', async () => {
    const { token } = await newToken({
      name: 'Dealer system',
      scopes: ['customers:write', 'customers:read'],
      markets: ['DE'],
    });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: bearer(token),
      payload: customerBody,
    });
    expect(response.statusCode).toBe(201);
  });

  it('a revoked token gets 401 at once; revoking again changes nothing', async () => {
    const { token, item } = await newToken({ name: 'Old integration', scopes: ['customers:read'] });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/customers', headers: bearer(token) })).statusCode,
    ).toBe(200);
    const before = await auditCount(t.db, 'api_token.revoked');
    expect((await admin.request('DELETE', `/api/identity/api-tokens/${item.id}`)).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/customers', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect((await admin.request('DELETE', `/api/identity/api-tokens/${item.id}`)).statusCode).toBe(204);
    expect(await auditCount(t.db, 'api_token.revoked')).toBe(before + 1);
    const listed = (await admin.request('GET', '/api/identity/api-tokens')).json().items;
    expect(listed.find((entry: { id: string }) => entry.id === item.id).revokedAt).not.toBeNull();
  });

  it('an expired token gets 401', async () => {
    const { token, item } = await newToken({
      name: 'Short-lived',
      scopes: ['customers:read'],
      expiresInDays: 1,
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/customers', headers: bearer(token) })).statusCode,
    ).toBe(200);
    await t.db
      .updateTable('api_tokens')
      .set({ expires_at: sql`now() - interval '1 minute'` })
      .where('id', '=', item.id)
      .execute();
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/customers', headers: bearer(token) })).statusCode,
    ).toBe(401);
  });

  it('revoking an unknown token answers 404', async () => {
    const response = await admin.request(
      'DELETE',
      '/api/identity/api-tokens/00000000-0000-4000-8000-000000000000',
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('The API token was not found.');
  });
});
