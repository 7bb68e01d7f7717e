// The agent inbox: views (mine, unassigned, team), their counts, bulk changes with per-case
// failures, saved views, market scoping, view totals counted up to 1,000 past the offset, and
// pages that agree with each other however they are cut.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { type CaseByOwnerOptions, caseByOwner } from '../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';
import { permissionsOf, type StaffPrincipal } from '../identity/index.js';
import { listInbox } from './cases.queries.js';
import { inboxSorts } from './cases.schemas.js';

let t: TestApp;
let agent: Session;
let agentId: string;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT'] });
  agentId = user.id;
  agent = await login(t.app, user.email, TEST_PASSWORD);
});
afterAll(() => t.close());

const ownerWithCase = (options: CaseByOwnerOptions = {}) => caseByOwner(t.app, t.db, options);

describe('agent inbox', () => {
  it('views mine, unassigned and team; counts; bulk assign and tag with per-case failures', async () => {
    const team = await t.db
      .insertInto('teams')
      .values({ name: `DACH ${Date.now()}`, markets: ['DE', 'AT'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('team_members').values({ team_id: team.id, user_id: agentId }).execute();
    const a = await ownerWithCase({ subject: 'Inbox A' });
    const b = await ownerWithCase({ subject: 'Inbox B' });
    const uk = await ownerWithCase({ market: 'UK', subject: 'Inbox UK' });
    const bulk = await agent.request('POST', '/api/cases/bulk', {
      caseIds: [a.caseId, b.caseId, uk.caseId],
      assigneeId: agentId,
      addTags: ['battery'],
    });
    expect(bulk.json().updated).toEqual([a.caseId, b.caseId]);
    expect(bulk.json().failed).toEqual([
      { id: uk.caseId, code: 'not_found', message: 'The case was not found.' },
    ]);
    await agent.request('PATCH', `/api/cases/${b.caseId}`, { teamId: team.id, assigneeId: null });
    const mine = (await agent.request('GET', '/api/cases?view=mine')).json();
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(a.caseId);
    expect(mine.items.map((c: { id: string }) => c.id)).not.toContain(b.caseId);
    const teamView = (await agent.request('GET', '/api/cases?view=team')).json();
    expect(teamView.items.map((c: { id: string }) => c.id)).toContain(b.caseId);
    const unassigned = (await agent.request('GET', '/api/cases?view=unassigned&limit=100')).json();
    expect(unassigned.items.map((c: { id: string }) => c.id)).toContain(b.caseId);
    expect(unassigned.items.every((c: { market: string }) => ['DE', 'AT'].includes(c.market))).toBe(true);
    const tagged = (await agent.request('GET', '/api/cases?tag=battery&sort=created_desc')).json();
    expect(tagged.items.map((c: { id: string }) => c.id)).toEqual([b.caseId, a.caseId]);
    const counts = (await agent.request('GET', '/api/cases/counts')).json();
    expect(counts.mine).toBeGreaterThanOrEqual(1);
    expect(counts.team).toBeGreaterThanOrEqual(1);
    expect(Object.keys(counts).sort()).toEqual([
      'all',
      'mine',
      'sla_at_risk',
      'sla_breached',
      'team',
      'unassigned',
    ]);
  });

  it('saved views are per user', async () => {
    const saved = await agent.request('POST', '/api/cases/views', {
      name: 'Urgent DE',
      filters: { priority: 'urgent', market: 'DE' },
    });
    expect(saved.statusCode).toBe(201);
    expect((await agent.request('GET', '/api/cases/views')).json().items).toEqual([
      expect.objectContaining({ name: 'Urgent DE', filters: { priority: 'urgent', market: 'DE' } }),
    ]);
    const other = await login(t.app, (await createStaff(t.db, { roles: ['agent'] })).email, TEST_PASSWORD);
    expect((await other.request('GET', '/api/cases/views')).json().items).toEqual([]);
    expect((await other.request('DELETE', `/api/cases/views/${saved.json().id}`)).statusCode).toBe(404);
  });

  it('the same view asked by two agents answers each with their own cases and markets', async () => {
    // The inbox statement is compiled once per shape; the values must still be each caller's.
    const [de, at] = await Promise.all([
      createStaff(t.db, { roles: ['agent'], markets: ['DE'] }),
      createStaff(t.db, { roles: ['agent'], markets: ['AT'] }),
    ]);
    const [deSession, atSession] = await Promise.all([
      login(t.app, de.email, TEST_PASSWORD),
      login(t.app, at.email, TEST_PASSWORD),
    ]);
    const deCase = await ownerWithCase({ market: 'DE', subject: 'Mine DE' });
    const atCase = await ownerWithCase({ market: 'AT', subject: 'Mine AT' });
    await deSession.request('PATCH', `/api/cases/${deCase.caseId}`, { assigneeId: de.id });
    await atSession.request('PATCH', `/api/cases/${atCase.caseId}`, { assigneeId: at.id });
    for (const [session, own, other] of [
      [deSession, deCase.caseId, atCase.caseId],
      [atSession, atCase.caseId, deCase.caseId],
      [deSession, deCase.caseId, atCase.caseId],
    ] as const) {
      const mine = (await session.request('GET', '/api/cases?view=mine')).json();
      expect(mine.items.map((c: { id: string }) => c.id)).toEqual([own]);
      const all = (await session.request('GET', '/api/cases?limit=100')).json();
      expect(all.items.map((c: { id: string }) => c.id)).toContain(own);
      expect(all.items.map((c: { id: string }) => c.id)).not.toContain(other);
    }
  });

  it('counts a view exactly up to 1,000 cases past the offset, then says "at least"', async () => {
    const swede = await createStaff(t.db, { roles: ['agent'], markets: ['SE'] });
    const session = await login(t.app, swede.email, TEST_PASSWORD);
    const owner = await createCustomer(t.db, { market: 'SE' });
    const insertOpenCases = (from: number, to: number) =>
      sql`
      INSERT INTO cases (number, subject, status, priority, channel, customer_id, market, language, updated_at)
      SELECT 'PW-2099-' || lpad(i::text, 6, '0'), 'Ladekabel ' || i, 'open', 'normal', 'email',
             ${owner.id}::uuid, 'SE', 'en', now() - i * interval '1 minute'
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(t.db);
    await insertOpenCases(1, 999);
    const exact = (await session.request('GET', '/api/cases?limit=5')).json();
    expect(exact).toMatchObject({ total: 999, totalIsLowerBound: false });
    await insertOpenCases(1000, 1001);
    const capped = (await session.request('GET', '/api/cases?limit=5')).json();
    expect(capped).toMatchObject({ total: 1000, totalIsLowerBound: true });
    // Newest first, whatever the count says; the customer's name comes with each row.
    expect(capped.items.map((c: { number: string }) => c.number)).toEqual([
      'PW-2099-000001',
      'PW-2099-000002',
      'PW-2099-000003',
      'PW-2099-000004',
      'PW-2099-000005',
    ]);
    expect(capped.items[0].customer.name).not.toBe('');
    // Further on, the count reaches further: exact again once the end is within 1,000.
    const deeper = (await session.request('GET', '/api/cases?limit=25&offset=975')).json();
    expect(deeper).toMatchObject({ total: 1001, totalIsLowerBound: false });
    expect(deeper.items).toHaveLength(25);
    const pastTheEnd = (await session.request('GET', '/api/cases?limit=25&offset=2000')).json();
    expect(pastTheEnd).toEqual({ items: [], total: 1001, totalIsLowerBound: false });
    // Narrower filters count exactly; nobody else's market leaks into the count.
    const filtered = (await session.request('GET', '/api/cases?q=Ladekabel%2010')).json();
    expect(filtered).toMatchObject({ total: 13, totalIsLowerBound: false }); // 10, 100–109, 1000, 1001
    expect((await agent.request('GET', '/api/cases?market=SE')).json()).toMatchObject({
      items: [],
      total: 0,
      totalIsLowerBound: false,
    });
  });

  it('an agent of another market cannot see the case (404) nor find it in any view', async () => {
    const { caseId } = await ownerWithCase({ market: 'UK' });
    expect((await agent.request('GET', `/api/cases/${caseId}`)).statusCode).toBe(404);
    expect(
      (await agent.request('GET', '/api/cases?limit=100')).json().items.map((c: { id: string }) => c.id),
    ).not.toContain(caseId);
  });
});

describe('inbox pages', () => {
  let nl: Session;
  let nlAgent: StaffPrincipal;
  beforeAll(async () => {
    const staff = await createStaff(t.db, { roles: ['agent'], markets: ['NL'] });
    nl = await login(t.app, staff.email, TEST_PASSWORD);
    nlAgent = {
      kind: 'staff',
      userId: staff.id,
      email: staff.email,
      name: 'Test agent',
      roles: ['agent'],
      language: 'en',
      sessionId: 'none',
      csrfToken: 'none',
      elevatedUntil: null,
      markets: ['NL'],
      allMarkets: false,
      permissions: permissionsOf(['agent']),
    };
    const owner = await createCustomer(t.db, { market: 'NL' });
    // 3,000 cases in runs of equal timestamps (a bulk change gives many cases the same
    // updated_at), every status and priority, a third assigned, half with an SLA state.
    await sql`
      INSERT INTO cases (number, subject, status, priority, channel, customer_id, market, language,
                         assignee_id, created_at, updated_at)
      SELECT 'PW-2098-' || lpad(i::text, 6, '0'), 'Seite ' || i,
             (ARRAY['new', 'open', 'pending_customer', 'pending_third_party', 'solved'])[1 + i % 5],
             (ARRAY['low', 'normal', 'high', 'urgent'])[1 + i % 4], 'email', ${owner.id}::uuid, 'NL', 'en',
             CASE WHEN i % 3 = 0 THEN ${staff.id}::uuid END,
             now() - interval '1 day' - (i / 4) * interval '1 minute', now() - (i / 7) * interval '1 minute'
      FROM generate_series(1, 3000) AS i`.execute(t.db);
    await sql`
      INSERT INTO case_sla (case_id, state, metric, due_at)
      SELECT id, (ARRAY['ok', 'warning', 'breached'])[1 + n % 3], 'resolution', now() + (n / 5) * interval '1 minute'
      FROM (SELECT id, substr(number, 9)::int AS n FROM cases WHERE number LIKE 'PW-2098-%') AS numbered
      WHERE n % 2 = 0`.execute(t.db);
    await sql`ANALYZE cases, case_sla`.execute(t.db);
  });

  const page = async (query: string) => {
    const response = await nl.request('GET', `/api/cases?market=NL&${query}`);
    expect(response.statusCode).toBe(200);
    return response.json().items as { id: string }[];
  };

  it('the first page and the pages after it agree, for every view and sort and however they are cut', async () => {
    // The first page is a statement of its own (no OFFSET, planned once); later pages are not.
    for (const view of ['all', 'mine', 'unassigned', 'sla_at_risk', 'sla_breached']) {
      for (const sort of inboxSorts) {
        const query = `view=${view}&sort=${sort}`;
        const first50 = await page(`${query}&limit=50`);
        expect(first50, query).toHaveLength(50);
        expect(new Set(first50.map((c) => c.id)).size).toBe(50);
        expect([
          ...(await page(`${query}&limit=25`)),
          ...(await page(`${query}&limit=25&offset=25`)),
        ]).toEqual(first50);
        expect(await page(`${query}&limit=5`)).toEqual(first50.slice(0, 5));
        expect(await page(`${query}&limit=30&offset=20`)).toEqual(first50.slice(20));
        expect(await page(`${query}&limit=100`)).toEqual(expect.arrayContaining(first50));
      }
    }
  });

  it('the first page of a view is planned once per connection, not on every call', async () => {
    // PostgreSQL plans a prepared statement afresh for each call (a custom plan) unless its
    // generic plan is as good: that needs the page size, the statuses and the count's cap in the
    // statement's text, not as parameters.
    const calls = await t.db.connection().execute(async (connection) => {
      const plans = async () =>
        (
          await sql<{ name: string; generic_plans: string; custom_plans: string }>`
            SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE NOT from_sql`.execute(
            connection,
          )
        ).rows;
      const before = await plans();
      for (let call = 0; call < 8; call++) {
        await listInbox(connection, nlAgent, { view: 'all', market: 'NL', limit: 25, offset: 0 });
      }
      // The statement these calls ran is the one whose plans grew by 8 (this connection may
      // have run others, and this one, before).
      return (await plans()).map((after) => {
        const earlier = before.find((row) => row.name === after.name);
        return {
          generic: Number(after.generic_plans) - Number(earlier?.generic_plans ?? 0),
          custom: Number(after.custom_plans) - Number(earlier?.custom_plans ?? 0),
        };
      });
    });
    const ours = calls.filter((plans) => plans.generic + plans.custom > 0);
    expect(ours).toHaveLength(1);
    // At most the first five calls on a connection are planned each (PostgreSQL's rule).
    expect(ours[0]?.generic).toBeGreaterThanOrEqual(3);
  });
});
