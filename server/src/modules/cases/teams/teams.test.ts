import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import {
  auditCount,
  createCustomer,
  createStaff,
  seedMarkets,
  TEST_PASSWORD,
} from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let agent: Session;
let dachAgentId: string;
let northAgentId: string;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const adminUser = await createStaff(t.db, { roles: ['admin'], markets: ['DE'], language: 'de' });
  admin = await login(t.app, adminUser.email, TEST_PASSWORD);
  const agentUser = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT'] });
  dachAgentId = agentUser.id;
  agent = await login(t.app, agentUser.email, TEST_PASSWORD);
  northAgentId = (await createStaff(t.db, { roles: ['agent'], markets: ['NL', 'SE'] })).id;
});
afterAll(() => t.close());

let counter = 0;
async function newTeam(markets: string[] = ['DE', 'AT']) {
  counter += 1;
  const response = await admin.request('POST', '/api/cases/teams', { name: `Care ${counter}`, markets });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; name: string; markets: string[] };
}

describe('team administration', () => {
  it('an admin creates a team: 201 with its markets and no members, audited, listed for agents', async () => {
    const before = await auditCount(t.db, 'team.created');
    const response = await admin.request('POST', '/api/cases/teams', {
      name: '  Escalations  ',
      markets: ['DE'],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ name: 'Escalations', markets: ['DE'], members: [] });
    expect(await auditCount(t.db, 'team.created')).toBe(before + 1);
    const list = (await agent.request('GET', '/api/cases/teams')).json();
    expect(list.items).toContainEqual({ id: response.json().id, name: 'Escalations', markets: ['DE'] });
  });

  it('a second team of the same name is a conflict, in the caller’s language', async () => {
    const team = await newTeam();
    const response = await admin.request('POST', '/api/cases/teams', { name: team.name, markets: ['AT'] });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'team_name_taken',
      message: 'Ein Team mit diesem Namen gibt es bereits.',
    });
  });

  it('a team needs at least one known market', async () => {
    const none = await admin.request('POST', '/api/cases/teams', { name: 'No markets', markets: [] });
    expect(none.statusCode).toBe(400);
    const unknown = await admin.request('POST', '/api/cases/teams', { name: 'Mars', markets: ['MA'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('market_unknown');
  });

  it('renames a team and changes its markets; the detail answers the change', async () => {
    const team = await newTeam(['DE']);
    const patched = await admin.request('PATCH', `/api/cases/teams/${team.id}`, {
      name: `${team.name} renamed`,
      markets: ['DE', 'CH'],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: `${team.name} renamed`, markets: ['DE', 'CH'] });
    const detail = await admin.request('GET', `/api/cases/teams/${team.id}`);
    expect(detail.json()).toMatchObject({ name: `${team.name} renamed`, markets: ['DE', 'CH'] });
    expect(await auditCount(t.db, 'team.updated')).toBeGreaterThan(0);
  });

  it('an unknown team is 404 on read and on every change', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await admin.request('GET', `/api/cases/teams/${id}`)).statusCode).toBe(404);
    expect((await admin.request('PATCH', `/api/cases/teams/${id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await admin.request('PUT', `/api/cases/teams/${id}/members`, { userIds: [] })).statusCode).toBe(
      404,
    );
  });

  it('agents without users:manage may neither read nor change a team', async () => {
    const team = await newTeam();
    const answers = await Promise.all([
      agent.request('POST', '/api/cases/teams', { name: 'Sneaky', markets: ['DE'] }),
      agent.request('GET', `/api/cases/teams/${team.id}`),
      agent.request('PATCH', `/api/cases/teams/${team.id}`, { name: 'Sneaky' }),
      agent.request('PUT', `/api/cases/teams/${team.id}/members`, { userIds: [dachAgentId] }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([403, 403, 403, 403]);
  });
});

describe('team members', () => {
  it('replaces the members with staff covering one of the team’s markets; audited with before and after', async () => {
    const team = await newTeam(['AT']);
    const before = await auditCount(t.db, 'team.members_changed');
    const set = await admin.request('PUT', `/api/cases/teams/${team.id}/members`, { userIds: [dachAgentId] });
    expect(set.statusCode).toBe(200);
    expect(set.json().members).toEqual([expect.objectContaining({ id: dachAgentId, markets: ['DE', 'AT'] })]);
    const cleared = await admin.request('PUT', `/api/cases/teams/${team.id}/members`, { userIds: [] });
    expect(cleared.json().members).toEqual([]);
    expect(await auditCount(t.db, 'team.members_changed')).toBe(before + 2);
  });

  it('refuses staff who cover none of the team’s markets, naming them; the members stay as they were', async () => {
    const team = await newTeam(['DE']);
    await admin.request('PUT', `/api/cases/teams/${team.id}/members`, { userIds: [dachAgentId] });
    const response = await admin.request('PUT', `/api/cases/teams/${team.id}/members`, {
      userIds: [dachAgentId, northAgentId],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('team_member_outside_markets');
    expect(response.json().error.message).toContain('Test agent');
    const detail = (await admin.request('GET', `/api/cases/teams/${team.id}`)).json();
    expect(detail.members.map((member: { id: string }) => member.id)).toEqual([dachAgentId]);
  });

  it('refuses portal accounts, unknown and disabled users as members', async () => {
    const team = await newTeam(['DE']);
    const owner = await createCustomer(t.db);
    const disabled = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', disabled.id).execute();
    for (const userId of [owner.userId, disabled.id, '00000000-0000-4000-8000-000000000001']) {
      const response = await admin.request('PUT', `/api/cases/teams/${team.id}/members`, {
        userIds: [userId],
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('team_member_unknown');
    }
  });

  it('admins cover every market and may join any team', async () => {
    const team = await newTeam(['SE']);
    const response = await admin.request('PUT', `/api/cases/teams/${team.id}/members`, {
      userIds: [admin.userId, northAgentId],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().members).toHaveLength(2);
  });

  it('a market change that would leave a member without any of the team’s markets is refused', async () => {
    const team = await newTeam(['DE', 'NL']);
    await admin.request('PUT', `/api/cases/teams/${team.id}/members`, {
      userIds: [dachAgentId, northAgentId],
    });
    const response = await admin.request('PATCH', `/api/cases/teams/${team.id}`, { markets: ['DE'] });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('team_markets_exclude_members');
    const kept = await admin.request('PATCH', `/api/cases/teams/${team.id}`, { markets: ['AT', 'SE'] });
    expect(kept.statusCode).toBe(200);
  });
});
