// Walks the whole route table: every API route declares a rule, and the rule holds for
// anonymous callers, customers and staff whose role lacks the permission.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { addVehicle, createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';
import { permissionsOf, staffRoles } from './identity.permissions.js';
import { installRouteRules } from './identity.rules.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(() => t.close());

const someId = '00000000-0000-4000-8000-000000000000';
const concrete = (url: string) => url.replace(/:id\b/g, someId).replace(/:[a-zA-Z]+/g, '1');
const apiRoutes = () =>
  t.app.routeTable.filter((route) => route.url.startsWith('/api/') && !route.url.startsWith('/api/docs'));

describe('every route declares who may call it', () => {
  it('the route table has rules for all API routes', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.filter((route) => !route.rule).map((route) => `${route.method} ${route.url}`);
    expect(missing).toEqual([]);
  });

  it('registering an API route without a rule fails at start', async () => {
    const app = Fastify({ logger: false });
    installRouteRules(app, t.db, null);
    expect(() => app.get('/api/unguarded', async () => 'oops')).toThrow(/declares no authorisation rule/);
    await app.close();
  });

  it('anonymous callers get 401 on every non-public route', async () => {
    for (const route of apiRoutes()) {
      if (!route.rule || 'public' in route.rule) continue;
      const response = await t.app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('a customer gets 403 on every route not open to customers', async () => {
    const owner = await createCustomer(t.db);
    const session = await login(t.app, owner.email, owner.password);
    for (const route of apiRoutes()) {
      if (!route.rule || 'public' in route.rule || route.rule.allow.includes('customer')) continue;
      const response = await session.request(
        route.method as 'GET',
        concrete(route.url),
        route.method === 'GET' ? undefined : {},
      );
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
  });

  for (const role of staffRoles) {
    it(`staff with role ${role} get 403 on every route needing a permission the role lacks`, async () => {
      const staff = await createStaff(t.db, { roles: [role], markets: ['DE'] });
      const session = await login(t.app, staff.email, TEST_PASSWORD);
      const granted = permissionsOf([role]);
      let checked = 0;
      for (const route of apiRoutes()) {
        if (!route.rule || 'public' in route.rule) continue;
        const lacksPermission = route.rule.permission && !granted.has(route.rule.permission);
        const kindNotAllowed = !route.rule.allow.includes('staff');
        if (!lacksPermission && !kindNotAllowed) continue;
        checked++;
        const response = await session.request(
          route.method as 'GET',
          concrete(route.url),
          route.method === 'GET' ? undefined : {},
        );
        expect(response.statusCode, `${role}: ${route.method} ${route.url}`).toBe(403);
      }
      if (role !== 'admin') expect(checked).toBeGreaterThan(0);
    });
  }
});

describe('data scopes', () => {
  let agentDe: Session;
  beforeAll(async () => {
    const agent = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT'] });
    agentDe = await login(t.app, agent.email, TEST_PASSWORD);
  });

  it("a customer cannot read another customer's 360: 404, the same as for an unknown id", async () => {
    const alice = await createCustomer(t.db);
    const bob = await createCustomer(t.db);
    const session = await login(t.app, alice.email, alice.password);
    expect((await session.request('GET', `/api/customers/${alice.id}`)).statusCode).toBe(200);
    const other = await session.request('GET', `/api/customers/${bob.id}`);
    const unknown = await session.request('GET', `/api/customers/${someId}`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(unknown.json());
  });

  it('an agent cannot read a customer of another market: 404; and does not find them by search', async () => {
    const uk = await createCustomer(t.db, { market: 'UK', lastName: 'Wellington' });
    const at = await createCustomer(t.db, { market: 'AT', lastName: 'Wellington' });
    expect((await agentDe.request('GET', `/api/customers/${uk.id}`)).statusCode).toBe(404);
    expect((await agentDe.request('GET', `/api/customers/${at.id}`)).statusCode).toBe(200);
    const search = await agentDe.request('GET', '/api/customers?q=wellington');
    const ids = search.json().items.map((item: { id: string }) => item.id);
    expect(ids).toContain(at.id);
    expect(ids).not.toContain(uk.id);
  });

  it("an agent cannot change or add vehicles to another market's customer", async () => {
    const uk = await createCustomer(t.db, { market: 'UK' });
    expect(
      (await agentDe.request('PATCH', `/api/customers/${uk.id}`, { firstName: 'Hacked' })).statusCode,
    ).toBe(404);
    expect(
      (
        await agentDe.request('POST', `/api/customers/${uk.id}/vehicles`, {
          vin: 'WNLAUR0RA12345678',
          model: 'Aurora',
          modelYear: 2025,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await agentDe.request('POST', '/api/customers', {
          firstName: 'A',
          lastName: 'B',
          email: 'ab@customer.test',
          language: 'en',
          market: 'UK',
        })
      ).statusCode,
    ).toBe(422);
  });

  it('a customer finds their own vehicles through /api/customers/me and cannot list customers', async () => {
    const owner = await createCustomer(t.db);
    const vehicle = await addVehicle(t.db, owner.id);
    const session = await login(t.app, owner.email, owner.password);
    const me = await session.request('GET', '/api/customers/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().vehicles.map((v: { vin: string }) => v.vin)).toEqual([vehicle.vin]);
    expect((await session.request('GET', '/api/customers')).statusCode).toBe(403);
  });
});
