// Notification routes: everyone sees and marks only their own notifications.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import { insertCase } from '../../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../../test/factories.js';
import { notify } from './index.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('notification routes', () => {
  let owner: Session;
  let other: Session;
  let firstId: string;

  beforeAll(async () => {
    const ownerUser = await createStaff(t.db, { roles: ['agent'] });
    const otherUser = await createStaff(t.db, { roles: ['agent'] });
    owner = await login(t.app, ownerUser.email, TEST_PASSWORD);
    other = await login(t.app, otherUser.email, TEST_PASSWORD);
    const kase = await insertCase(t.db, { customerId: (await createCustomer(t.db)).id });
    firstId = await notify(t.db, {
      userId: ownerUser.id,
      kind: 'case_assigned',
      caseId: kase.id,
      title: 'first',
      body: 'a',
    });
    await notify(t.db, {
      userId: ownerUser.id,
      kind: 'sla_warning',
      caseId: null,
      title: 'second',
      body: 'b',
    });
    await notify(t.db, {
      userId: otherUser.id,
      kind: 'case_assigned',
      caseId: null,
      title: 'not yours',
      body: 'c',
    });
  });

  it('lists only your own notifications, newest first, with the unread count and case number', async () => {
    const response = await owner.request('GET', '/api/cases/notifications');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.unread).toBe(2);
    expect(body.items.map((n: { title: string }) => n.title)).toEqual(['second', 'first']);
    expect(body.items[1].caseNumber).toMatch(/^PW-/);
  });

  it("marks one read; someone else's notification is not found", async () => {
    expect((await other.request('POST', `/api/cases/notifications/${firstId}/read`)).statusCode).toBe(404);
    expect((await owner.request('POST', `/api/cases/notifications/${firstId}/read`)).statusCode).toBe(204);
    expect((await owner.request('GET', '/api/cases/notifications')).json().unread).toBe(1);
  });

  it('marks all read, touching nobody else', async () => {
    expect((await owner.request('POST', '/api/cases/notifications/read-all')).statusCode).toBe(204);
    expect((await owner.request('GET', '/api/cases/notifications')).json().unread).toBe(0);
    expect((await other.request('GET', '/api/cases/notifications')).json().unread).toBe(1);
  });

  it('requires a signed-in person', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/cases/notifications' })).statusCode).toBe(401);
  });
});

/** The event names one signed-in person receives on GET /api/live. */
function listen(base: string, session: Session): Promise<{ events: string[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    const request = http.get(`${base}/api/live`, { headers: { cookie: session.cookie } }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        for (const match of chunk.matchAll(/^event: (.*)$/gm)) events.push(match[1] ?? '');
        if (events.includes('ready')) resolve({ events, close: () => request.destroy() });
      });
    });
    request.on('error', reject);
  });
}

describe('live notice', () => {
  it('notification.created reaches its recipient only, staff or customer', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const staffUser = await createStaff(t.db, { roles: ['agent'] });
    const colleague = await createStaff(t.db, { roles: ['agent'] });
    const customer = await createCustomer(t.db);
    const streams = {
      staff: await listen(base, await login(t.app, staffUser.email, TEST_PASSWORD)),
      colleague: await listen(base, await login(t.app, colleague.email, TEST_PASSWORD)),
      customer: await listen(base, await login(t.app, customer.email, customer.password)),
    };
    await t.db.transaction().execute(async (trx) => {
      await notify(trx, { userId: staffUser.id, kind: 'case_assigned', caseId: null, title: 'x', body: 'y' });
      await notify(trx, {
        userId: customer.userId ?? '',
        kind: 'staff_reply',
        caseId: null,
        title: 'x',
        body: 'y',
      });
    });
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && !(streams.staff.events.length > 1 && streams.customer.events.length > 1))
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(streams.staff.events).toEqual(['ready', 'notification.created']);
    expect(streams.customer.events).toEqual(['ready', 'notification.created']);
    expect(streams.colleague.events).toEqual(['ready']);
    for (const stream of Object.values(streams)) stream.close();
  });
});
