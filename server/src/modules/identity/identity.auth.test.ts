import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type TestApp } from '../../test/app.js';
import { auditCount, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';
import { IP_FAILURE_LIMIT, LOCKOUT_THRESHOLD } from './identity.auth.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(() => t.close());

describe('sign-in and sessions', () => {
  it('GET /api/me answers 401 with the error shape when nobody is signed in', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: { code: 'unauthenticated', message: 'Please sign in to continue.' },
    });
  });

  it('answers in German when the browser asks for German', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' },
    });
    expect(response.json().error.message).toBe('Bitte melden Sie sich an, um fortzufahren.');
  });

  it('signs in with email and password, sets an HttpOnly SameSite cookie, and /api/me returns the user', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT'] });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: staff.email, password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/pw_session=/);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const me = await session.request('GET', '/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: staff.email,
      kind: 'staff',
      roles: ['agent'],
      markets: ['DE', 'AT'],
    });
    expect(me.json().permissions).toContain('customers:read');
  });

  it('stores only a hash of the session token', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const token = session.cookie.split('=')[1] ?? '';
    const stored = await t.db.selectFrom('sessions').select('id').where('user_id', '=', staff.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).not.toBe(token);
  });

  it('rejects a wrong password with 401 invalid_credentials and the same answer for an unknown email', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: staff.email, password: 'nope-nope-nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@staff.test', password: 'nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('locks the account after repeated failures, even for the right password, and audits the lock', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: staff.email, password: 'wrong-password-x' },
        remoteAddress: `10.1.0.${i}`,
      });
    }
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: staff.email, password: TEST_PASSWORD },
      remoteAddress: '10.1.1.1',
    });
    expect(response.statusCode).toBe(423);
    expect(response.json().error.code).toBe('account_locked');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.locked')
      .where('entity_id', '=', staff.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('rate-limits sign-in attempts per IP address with 429 and Retry-After', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
      await t.db
        .insertInto('login_attempts')
        .values({ email: `x${i}@staff.test`, ip, succeeded: false })
        .execute();
    }
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'x@staff.test', password: 'whatever-123' },
      remoteAddress: ip,
    });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBeDefined();
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'x@staff.test', password: 'whatever-123' },
      remoteAddress: '10.9.9.10',
    });
    expect(other.statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF header, and accepts it with the header', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const without = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { cookie: session.cookie },
      payload: { language: 'de' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_token_invalid');
    const withHeader = await session.request('PATCH', '/api/me', { language: 'de' });
    expect(withHeader.statusCode).toBe(200);
    expect(withHeader.json().language).toBe('de');
    // The user's own language now wins over the browser's.
    const me = await session.request('GET', '/api/me', undefined, { 'accept-language': 'en' });
    expect(me.json().language).toBe('de');
    const denied = await session.request('GET', '/api/identity/users');
    expect(denied.json().error.message).toBe('Dazu sind Sie nicht berechtigt.');
  });

  it('logout ends the session for good and is audited', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const before = await auditCount(t.db, 'session.ended');
    expect((await session.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await session.request('GET', '/api/me')).statusCode).toBe(401);
    expect(await auditCount(t.db, 'session.ended')).toBe(before + 1);
  });

  it('a disabled user cannot sign in or keep using an old session', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', staff.id).execute();
    expect((await session.request('GET', '/api/me')).statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: staff.email, password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(401);
  });
});

describe('password reset', () => {
  it('mails a single-use link to the outbox; the token sets a new password once and ends old sessions', async () => {
    const staff = await createStaff(t.db, { roles: ['agent'] });
    const old = await login(t.app, staff.email, TEST_PASSWORD);
    const requested = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/request',
      payload: { email: staff.email },
    });
    expect(requested.statusCode).toBe(202);
    const mail = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('to_address', '=', staff.email)
      .executeTakeFirstOrThrow();
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text_body)?.[1] ?? '');
    expect(token.length).toBeGreaterThan(20);

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'short' },
    });
    expect(weak.statusCode).toBe(422);
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a-brand-new-password' },
    });
    expect(done.statusCode).toBe(204);
    const reused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'another-new-password' },
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('reset_token_invalid');

    expect((await old.request('GET', '/api/me')).statusCode).toBe(401);
    await expect(login(t.app, staff.email, 'a-brand-new-password')).resolves.toBeDefined();
  });

  it('answers 202 for an unknown address without sending anything', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/request',
      payload: { email: 'ghost@nowhere.test' },
    });
    expect(response.statusCode).toBe(202);
    const mails = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('to_address', '=', 'ghost@nowhere.test')
      .execute();
    expect(mails).toHaveLength(0);
  });
});
