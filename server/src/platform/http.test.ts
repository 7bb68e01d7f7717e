import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../app.js';
import { buildTestApp, login, type Session, type TestApp } from '../test/app.js';
import { createStaff, seedMarkets, TEST_PASSWORD } from '../test/factories.js';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['admin'], markets: [] });
  admin = await login(t.app, user.email, TEST_PASSWORD);
});
afterAll(() => t.close());

const customerBody = {
  firstName: 'Jonas',
  lastName: 'Keller',
  email: 'jonas@customer.test',
  language: 'de',
  market: 'DE',
};

describe('bad input gets a clear 4xx in one error shape and writes nothing', () => {
  it('malformed JSON -> 400 invalid_json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      payload: '{"firstName": "Jonas",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
    expect(response.json().error.message).toMatch(/not valid JSON/);
  });

  it('wrong types are not coerced -> 400 validation_failed naming the field', async () => {
    const response = await admin.request('POST', '/api/customers', { ...customerBody, firstName: 42 });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details).toContainEqual({ field: 'firstName', message: 'firstName must be string' });
  });

  it('unknown fields are rejected, not silently dropped', async () => {
    const response = await admin.request('POST', '/api/customers', { ...customerBody, isVip: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toContainEqual({
      field: 'isVip',
      message: 'isVip is not a known field',
    });
  });

  it("missing fields are listed, in the German-speaking user's language", async () => {
    const user = await createStaff(t.db, { roles: ['admin'], markets: [], language: 'de' });
    const german = await login(t.app, user.email, TEST_PASSWORD);
    const response = await german.request('POST', '/api/customers', { firstName: 'Jonas' });
    expect(response.statusCode).toBe(400);
    const fields = response.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['lastName', 'email', 'language', 'market']));
    expect(response.json().error.message).toMatch(/Die Anfrage ist ungültig: .*lastName ist erforderlich/);
  });

  it('oversized bodies -> 413 payload_too_large', async () => {
    const response = await admin.request('POST', '/api/customers', {
      ...customerBody,
      lastName: 'x'.repeat(BODY_LIMIT + 10),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('a non-JSON content type -> 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  it('an unknown API route -> 404 route_not_found in the error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('route_not_found');
  });

  it('a failing request writes nothing: an invalid VIN leaves no vehicle, audit entry or event behind', async () => {
    const created = await admin.request('POST', '/api/customers', {
      ...customerBody,
      email: 'nothing-written@customer.test',
    });
    expect(created.statusCode).toBe(201);
    const customerId = created.json().customer.id;
    const before = await Promise.all([
      t.db
        .selectFrom('vehicles')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom('domain_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const response = await admin.request('POST', `/api/customers/${customerId}/vehicles`, {
      vin: 'WNL0AURORA0000OIQ',
      model: 'Aurora',
      modelYear: 2025,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('invalid_vin');
    const after = await Promise.all([
      t.db
        .selectFrom('vehicles')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom('domain_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    expect(after).toEqual(before);
  });

  it('every response carries a request id, and a given x-request-id is kept', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.headers['x-request-id']).toBe('trace-123');
  });
});

describe('OpenAPI', () => {
  it('serves the document generated from the route schemas at /api/docs/json and the UI at /api/docs', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const body = doc.json();
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/auth/login', '/api/me', '/api/customers/{id}']),
    );
    expect(
      body.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['email', 'password']);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
