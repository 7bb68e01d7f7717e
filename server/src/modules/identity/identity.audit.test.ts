import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['admin'], markets: [] });
  admin = await login(t.app, user.email, TEST_PASSWORD);
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records who changed what, before and after, with request id and IP', async () => {
    const created = await admin.request(
      'POST',
      '/api/customers',
      { firstName: 'Lena', lastName: 'Audit', email: 'lena@customer.test', language: 'de', market: 'DE' },
      { 'x-request-id': 'req-audit-1' },
    );
    const customerId = created.json().customer.id;
    await admin.request('PATCH', `/api/customers/${customerId}`, { lastName: 'Auditorin' });
    const page = await admin.request('GET', `/api/identity/audit?entityType=customer&entityId=${customerId}`);
    expect(page.statusCode).toBe(200);
    const [update, create] = page.json().items;
    expect(create).toMatchObject({
      action: 'customer.created',
      actorId: admin.userId,
      requestId: 'req-audit-1',
      actorKind: 'staff',
    });
    expect(create.ip).toBeTruthy();
    expect(update.action).toBe('customer.updated');
    expect(update.before.last_name).toBe('Audit');
    expect(update.after.last_name).toBe('Auditorin');
  });

  it('is append-only, enforced by the database: UPDATE, DELETE and TRUNCATE fail', async () => {
    await expect(sql`UPDATE audit_log SET action = 'tampered'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('never stores secrets: password hashes are redacted', async () => {
    await admin.request('POST', '/api/auth/password-reset/request', { email: 'nobody@x.test' });
    const rows = await sql<{
      body: string;
    }>`SELECT coalesce(before::text, '') || coalesce(after::text, '') AS body FROM audit_log`.execute(t.db);
    for (const row of rows.rows) expect(row.body).not.toMatch(/\$argon2/);
  });

  it('is searchable by free text and pages backwards with nextBefore', async () => {
    for (let i = 0; i < 3; i++) {
      await admin.request('POST', '/api/customers', {
        firstName: 'Page',
        lastName: `Turner${i}`,
        email: `turner${i}@customer.test`,
        language: 'en',
        market: 'UK',
      });
    }
    const first = await admin.request('GET', '/api/identity/audit?q=turner&limit=2');
    expect(first.json().items).toHaveLength(2);
    expect(first.json().nextBefore).toBeTruthy();
    const second = await admin.request(
      'GET',
      `/api/identity/audit?q=turner&limit=2&before=${first.json().nextBefore}`,
    );
    expect(second.json().items).toHaveLength(1);
    const agent = await createStaff(t.db, { roles: ['agent'] });
    const agentSession = await login(t.app, agent.email, TEST_PASSWORD);
    expect((await agentSession.request('GET', '/api/identity/audit')).statusCode).toBe(403);
  });
});
