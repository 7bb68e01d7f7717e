// Macros through the API: admins manage them (audited), agents render them in the case's
// language and apply them as a reply that also sets the status and adds tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import { insertCase } from '../../../test/cases-extensions.js';
import {
  addVehicle,
  auditCount,
  createCustomer,
  createStaff,
  seedMarkets,
  TEST_PASSWORD,
} from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let agent: Session;
let ukAgent: Session;
let customer: Awaited<ReturnType<typeof createCustomer>>;

const template = {
  title: 'Charging follow-up',
  bodyDe:
    'Hallo {{customer.firstName}}, zu Fall {{case.number}}: Ihr {{vehicle.model}} ({{vehicle.vin}}) ist bereit. {{agent.name}}',
  bodyEn:
    'Hi {{customer.name}}, about {{case.number}}: your {{vehicle.model}}[{{vehicle.vin}}] is ready. {{agent.name}}',
  setStatus: 'pending_customer',
  addTags: ['charging', 'follow-up'],
};

async function createMacro(body: Record<string, unknown> = template) {
  const response = await admin.request('POST', '/api/cases/macros', body);
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string };
}

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  admin = await login(
    t.app,
    (await createStaff(t.db, { roles: ['admin'], markets: [] })).email,
    TEST_PASSWORD,
  );
  const agentUser = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
  await t.db.updateTable('users').set({ name: 'Jonas Weber' }).where('id', '=', agentUser.id).execute();
  agent = await login(t.app, agentUser.email, TEST_PASSWORD);
  ukAgent = await login(
    t.app,
    (await createStaff(t.db, { roles: ['agent'], markets: ['UK'] })).email,
    TEST_PASSWORD,
  );
  customer = await createCustomer(t.db, { market: 'DE', firstName: 'Erika', lastName: 'Mustermann' });
});
afterAll(async () => {
  await t.close();
});

describe('managing macros', () => {
  it('admins create, change and delete macros, each audited; agents only list them', async () => {
    const macro = await createMacro();
    expect(macro).toMatchObject({ ...template, id: expect.any(String) });
    const listed = (await agent.request('GET', '/api/cases/macros')).json().items;
    expect(listed.map((m: { id: string }) => m.id)).toContain(macro.id);

    const changed = await admin.request('PATCH', `/api/cases/macros/${macro.id}`, {
      title: 'Renamed',
      setStatus: null,
    });
    expect(changed.json()).toMatchObject({ title: 'Renamed', setStatus: null, bodyDe: template.bodyDe });
    expect((await admin.request('DELETE', `/api/cases/macros/${macro.id}`)).statusCode).toBe(204);
    expect((await admin.request('DELETE', `/api/cases/macros/${macro.id}`)).statusCode).toBe(404);
    for (const action of ['macro.created', 'macro.updated', 'macro.deleted'])
      expect(await auditCount(t.db, action)).toBeGreaterThan(0);

    expect((await agent.request('POST', '/api/cases/macros', template)).statusCode).toBe(403);
    expect((await agent.request('DELETE', `/api/cases/macros/${macro.id}`)).statusCode).toBe(403);
  });

  it('refuses a macro with a misspelt placeholder, naming it', async () => {
    const response = await admin.request('POST', '/api/cases/macros', {
      ...template,
      bodyEn: 'Hi {{customer.fristName}}',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'macro_placeholder_unknown' });
    expect(response.json().error.message).toContain('{{customer.fristName}}');
  });

  it('refuses a status a macro may not set', async () => {
    expect(
      (await admin.request('POST', '/api/cases/macros', { ...template, setStatus: 'closed' })).statusCode,
    ).toBe(400);
  });
});

describe('rendering and applying', () => {
  it('renders in German for a German case, with customer, case, vehicle and agent filled', async () => {
    const vehicle = await addVehicle(t.db, customer.id);
    const kase = await insertCase(t.db, { customerId: customer.id, language: 'de', vehicleId: vehicle.id });
    const macro = await createMacro();
    const response = await agent.request('GET', `/api/cases/${kase.number}/macros/${macro.id}/render`);
    expect(response.statusCode).toBe(200);
    expect(response.json().body).toBe(
      `Hallo Erika, zu Fall ${kase.number}: Ihr Aurora (${vehicle.vin}) ist bereit. Jonas Weber`,
    );
  });

  it('renders in English for an English case; no vehicle renders empty', async () => {
    const kase = await insertCase(t.db, { customerId: customer.id, language: 'en' });
    const macro = await createMacro();
    const response = await agent.request('GET', `/api/cases/${kase.id}/macros/${macro.id}/render`);
    expect(response.json().body).toBe(
      `Hi Erika Mustermann, about ${kase.number}: your [] is ready. Jonas Weber`,
    );
  });

  it('answers 404 for a case outside your markets and for an unknown macro', async () => {
    const kase = await insertCase(t.db, { customerId: customer.id });
    const macro = await createMacro();
    expect(
      (await ukAgent.request('GET', `/api/cases/${kase.number}/macros/${macro.id}/render`)).statusCode,
    ).toBe(404);
    const unknown = await agent.request(
      'GET',
      `/api/cases/${kase.number}/macros/00000000-0000-4000-8000-000000000000/render`,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('applying posts the rendered reply, sets the status and adds the tags to those the case has', async () => {
    const kase = await insertCase(t.db, {
      customerId: customer.id,
      language: 'en',
      tags: ['vip', 'charging'],
    });
    const macro = await createMacro();
    const response = await agent.request('POST', `/api/cases/${kase.number}/macros/${macro.id}/apply`);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'reply',
      internal: false,
      author: { kind: 'staff', name: 'Jonas Weber' },
    });
    expect(response.json().bodyText).toBe(
      `Hi Erika Mustermann, about ${kase.number}: your [] is ready. Jonas Weber`,
    );
    const row = await t.db
      .selectFrom('cases')
      .select(['status', 'tags'])
      .where('id', '=', kase.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending_customer');
    expect([...row.tags].sort()).toEqual(['charging', 'follow-up', 'vip']);
  });

  it('staff without cases:write cannot apply a macro', async () => {
    const observer = await login(
      t.app,
      (await createStaff(t.db, { roles: ['quality'], markets: ['DE'] })).email,
      TEST_PASSWORD,
    );
    const kase = await insertCase(t.db, { customerId: customer.id });
    const macro = await createMacro();
    expect(
      (await observer.request('POST', `/api/cases/${kase.number}/macros/${macro.id}/apply`)).statusCode,
    ).toBe(403);
    expect(
      (await observer.request('GET', `/api/cases/${kase.number}/macros/${macro.id}/render`)).statusCode,
    ).toBe(200);
  });
});
