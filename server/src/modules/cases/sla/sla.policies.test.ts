// SLA policy administration through the API and the choice of policy for a case.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import type { TestDatabase } from '../../../test/database.js';
import { auditCount, createStaff, seedMarkets, TEST_PASSWORD } from '../../../test/factories.js';
import { pickPolicy } from './sla.policies.js';

let database: TestDatabase;
let t: TestApp;
let app: FastifyInstance;
let admin: Session;
let agent: Session;

const officeHours = {
  mon: ['08:00', '18:00'],
  tue: ['08:00', '18:00'],
  wed: ['08:00', '18:00'],
  thu: ['08:00', '18:00'],
  fri: ['08:00', '17:00'],
  sat: null,
  sun: null,
};
const policy = (overrides: Record<string, unknown> = {}) => ({
  name: 'Germany standard',
  market: 'DE',
  firstResponseMinutes: 240,
  nextResponseMinutes: 480,
  resolutionMinutes: 2400,
  businessHours: officeHours,
  onBreach: 'notify',
  ...overrides,
});

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  app = t.app;
  database = t.database;
  const adminUser = await createStaff(database.db, { roles: ['admin'], markets: [] });
  admin = await login(app, adminUser.email, TEST_PASSWORD);
  const agentUser = await createStaff(database.db, { roles: ['agent'], markets: ['DE'] });
  agent = await login(app, agentUser.email, TEST_PASSWORD);
});
afterAll(() => t.close());

describe('SLA policies', () => {
  it('an admin creates, changes and deletes a policy; every change is audited', async () => {
    const created = await admin.request('POST', '/api/cases/sla-policies', policy());
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      market: 'DE',
      priority: null,
      channel: null,
      observeHolidays: true,
      escalationTeamId: null,
      businessHours: officeHours,
    });
    const changed = await admin.request('PATCH', `/api/cases/sla-policies/${body.id}`, {
      firstResponseMinutes: 120,
      businessHours: { ...officeHours, sat: ['09:00', '13:00'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      firstResponseMinutes: 120,
      businessHours: { sat: ['09:00', '13:00'] },
    });
    expect((await admin.request('DELETE', `/api/cases/sla-policies/${body.id}`)).statusCode).toBe(204);
    expect((await admin.request('DELETE', `/api/cases/sla-policies/${body.id}`)).statusCode).toBe(404);
    expect(await auditCount(database.db, 'sla_policy.created')).toBe(1);
    expect(await auditCount(database.db, 'sla_policy.updated')).toBe(1);
    expect(await auditCount(database.db, 'sla_policy.deleted')).toBe(1);
  });

  it('refuses a second policy for the same market, priority and channel', async () => {
    const first = await admin.request(
      'POST',
      '/api/cases/sla-policies',
      policy({ market: 'AT', priority: 'high' }),
    );
    expect(first.statusCode).toBe(201);
    const second = await admin.request(
      'POST',
      '/api/cases/sla-policies',
      policy({ market: 'AT', priority: 'high' }),
    );
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('sla_policy_exists');
  });

  it('rejects broken business hours and reassignment without a team, with a readable message', async () => {
    const hours = await admin.request(
      'POST',
      '/api/cases/sla-policies',
      policy({ market: 'CH', businessHours: { ...officeHours, mon: ['18:00', '08:00'] } }),
    );
    expect(hours.statusCode).toBe(422);
    expect(hours.json().error.code).toBe('sla_business_hours_invalid');
    const team = await admin.request(
      'POST',
      '/api/cases/sla-policies',
      policy({ market: 'CH', onBreach: 'reassign' }),
    );
    expect(team.statusCode).toBe(422);
    expect(team.json().error).toMatchObject({
      code: 'sla_escalation_team_required',
      message: 'Choose the team that breached cases are reassigned to.',
    });
    const unknown = await admin.request(
      'POST',
      '/api/cases/sla-policies',
      policy({ market: 'CH', onBreach: 'reassign', escalationTeamId: crypto.randomUUID() }),
    );
    expect(unknown.json().error.code).toBe('sla_escalation_team_unknown');
    const malformed = await admin.request(
      'POST',
      '/api/cases/sla-policies',
      policy({ market: 'CH', businessHours: { ...officeHours, mon: ['8am', '6pm'] } }),
    );
    expect(malformed.statusCode).toBe(400);
  });

  it('agents read the policies of their markets but cannot change them', async () => {
    await admin.request('POST', '/api/cases/sla-policies', policy({ market: 'SE' }));
    await admin.request('POST', '/api/cases/sla-policies', policy({ market: 'DE', channel: 'phone' }));
    const list = await agent.request('GET', '/api/cases/sla-policies');
    expect(list.statusCode).toBe(200);
    const markets = list.json().items.map((item: { market: string }) => item.market);
    expect(markets.length).toBeGreaterThan(0);
    expect(markets.every((market: string) => market === 'DE')).toBe(true);
    expect((await agent.request('POST', '/api/cases/sla-policies', policy())).statusCode).toBe(403);
  });

  it('the most specific policy applies: market + priority + channel, then priority, then channel, then market', async () => {
    const db = database.db;
    const names = ['market', 'market+channel', 'market+priority', 'market+priority+channel'];
    const scopes = [
      {},
      { channel: 'email' },
      { priority: 'urgent' },
      { priority: 'urgent', channel: 'email' },
    ];
    for (const [index, scope] of scopes.entries()) {
      const response = await admin.request(
        'POST',
        '/api/cases/sla-policies',
        policy({ market: 'NL', name: names[index], ...scope }),
      );
      expect(response.statusCode).toBe(201);
    }
    const pick = async (priority: 'urgent' | 'low', channel: 'email' | 'phone') =>
      (await pickPolicy(db, { market: 'NL', priority, channel }))?.name;
    expect(await pick('urgent', 'email')).toBe('market+priority+channel');
    expect(await pick('urgent', 'phone')).toBe('market+priority');
    expect(await pick('low', 'email')).toBe('market+channel');
    expect(await pick('low', 'phone')).toBe('market');
    expect(await pickPolicy(db, { market: 'UK', priority: 'low', channel: 'phone' })).toBeNull();
  });
});
