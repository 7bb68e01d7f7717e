import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { type CaseByOwnerOptions, caseByOwner } from '../../test/cases-extensions.js';
import { addVehicle, createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';

let t: TestApp;
let agent: Session;
let otherAgentId: string;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const user = await createStaff(t.db, { roles: ['agent'], markets: ['DE', 'AT'] });
  agent = await login(t.app, user.email, TEST_PASSWORD);
  otherAgentId = (await createStaff(t.db, { roles: ['agent'], markets: ['DE'] })).id;
});
afterAll(() => t.close());

const ownerWithCase = (options: CaseByOwnerOptions = {}) => caseByOwner(t.app, t.db, options);

describe('cases from the portal', () => {
  it('an owner opens a case: human-friendly number, topic tag, status new, first message from the customer, event and audit', async () => {
    const { caseId, number, session } = await ownerWithCase();
    expect(number).toMatch(/^PW-\d{4}-\d{6}$/);
    const detail = (await session.request('GET', `/api/cases/${number}`)).json();
    expect(detail).toMatchObject({
      id: caseId,
      status: 'new',
      channel: 'portal',
      tags: ['topic:charging'],
      market: 'DE',
    });
    expect(detail.timeline).toEqual([
      expect.objectContaining({
        kind: 'reply',
        internal: false,
        author: expect.objectContaining({ kind: 'customer' }),
        channel: 'portal',
      }),
    ]);
    const events = await t.db
      .selectFrom('domain_events')
      .select('type')
      .where('entity_id', '=', caseId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['case.created', 'case.message_added']);
  });

  it("internal notes and phone calls never reach the customer's API responses", async () => {
    const { caseId, session } = await ownerWithCase();
    expect(
      (
        await agent.request('POST', `/api/cases/${caseId}/messages`, {
          kind: 'note',
          body: 'SECRET: goodwill up to 200 EUR',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await agent.request('POST', `/api/cases/${caseId}/calls`, {
          direction: 'outbound',
          durationSeconds: 95,
          outcome: 'dropped',
          notes: 'SECRET call notes',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await agent.request('POST', `/api/cases/${caseId}/messages`, {
          kind: 'reply',
          body: 'Wir kümmern uns darum.',
        })
      ).statusCode,
    ).toBe(201);
    const asCustomer = await session.request('GET', `/api/cases/${caseId}`);
    expect(asCustomer.body).not.toContain('SECRET');
    expect(asCustomer.json().timeline.map((m: { kind: string }) => m.kind)).toEqual(['reply', 'reply']);
    const list = await session.request('GET', '/api/cases');
    expect(list.body).not.toContain('SECRET');
    const asAgent = (await agent.request('GET', `/api/cases/${caseId}`)).json();
    expect(asAgent.timeline.map((m: { kind: string }) => m.kind)).toEqual([
      'reply',
      'note',
      'phone_call',
      'reply',
    ]);
    expect(asAgent.timeline[2]).toMatchObject({
      internal: true,
      call: { direction: 'outbound', durationSeconds: 95, outcome: 'dropped' },
    });
    expect(asAgent.status).toBe('open');
  });

  it('another owner cannot open the case by number or id: 404 both, same as unknown', async () => {
    const { caseId, number } = await ownerWithCase();
    const stranger = await createCustomer(t.db);
    const session = await login(t.app, stranger.email, stranger.password);
    const byNumber = await session.request('GET', `/api/cases/${number}`);
    const byId = await session.request('GET', `/api/cases/${caseId}`);
    const unknown = await session.request('GET', '/api/cases/PW-2099-999999');
    expect([byNumber.statusCode, byId.statusCode, unknown.statusCode]).toEqual([404, 404, 404]);
    expect(byNumber.json()).toEqual(unknown.json());
    expect(
      (await session.request('POST', `/api/cases/${caseId}/messages`, { kind: 'reply', body: 'hi' }))
        .statusCode,
    ).toBe(404);
    expect((await session.request('GET', '/api/cases')).json().items).toEqual([]);
  });

  it('an owner cannot write internal notes or set a status', async () => {
    const { caseId, session } = await ownerWithCase();
    expect(
      (await session.request('POST', `/api/cases/${caseId}/messages`, { kind: 'note', body: 'x' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await session.request('POST', `/api/cases/${caseId}/messages`, {
          kind: 'reply',
          body: 'x',
          status: 'solved',
        })
      ).statusCode,
    ).toBe(403);
    expect((await session.request('PATCH', `/api/cases/${caseId}`, { status: 'solved' })).statusCode).toBe(
      403,
    );
  });

  it("an owner cannot attach another owner's vehicle", async () => {
    const other = await createCustomer(t.db);
    const vehicle = await addVehicle(t.db, other.id);
    const owner = await createCustomer(t.db);
    const session = await login(t.app, owner.email, owner.password);
    const response = await session.request('POST', '/api/cases', {
      subject: 'x',
      topic: 'other',
      body: 'x',
      vehicleId: vehicle.id,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('vehicle_not_owned');
  });
});

describe('status rules', () => {
  it('closed is final for staff; a customer reply to a closed case opens a linked follow-up', async () => {
    const { caseId, number, session } = await ownerWithCase();
    expect((await session.request('POST', `/api/cases/${caseId}/close`)).json().status).toBe('closed');
    const reopen = await agent.request('PATCH', `/api/cases/${caseId}`, { status: 'open' });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().error.code).toBe('case_closed');
    expect(
      (await agent.request('POST', `/api/cases/${caseId}/messages`, { kind: 'reply', body: 'x' })).statusCode,
    ).toBe(409);
    const reply = await session.request('POST', `/api/cases/${caseId}/messages`, {
      kind: 'reply',
      body: 'Es klemmt wieder.',
    });
    expect(reply.statusCode).toBe(201);
    const followUpNumber = reply.headers['x-follow-up-case'];
    expect(followUpNumber).toMatch(/^PW-/);
    expect(followUpNumber).not.toBe(number);
    const followUp = (await session.request('GET', `/api/cases/${followUpNumber}`)).json();
    expect(followUp.followUpOf).toEqual({ id: caseId, number });
    expect(followUp.timeline[0].bodyText).toBe('Es klemmt wieder.');
  });

  it('nothing goes back to new (422), a customer reply reopens a pending case, solved and closed get timestamps', async () => {
    const { caseId, session } = await ownerWithCase();
    await agent.request('PATCH', `/api/cases/${caseId}`, { status: 'open' });
    const back = await agent.request('PATCH', `/api/cases/${caseId}`, { status: 'new' });
    expect(back.statusCode).toBe(422);
    expect(back.json().error.code).toBe('invalid_status_transition');
    await agent.request('POST', `/api/cases/${caseId}/messages`, {
      kind: 'reply',
      body: 'Bitte senden Sie ein Foto.',
      status: 'pending_customer',
    });
    expect((await agent.request('GET', `/api/cases/${caseId}`)).json().status).toBe('pending_customer');
    await session.request('POST', `/api/cases/${caseId}/messages`, { kind: 'reply', body: 'Foto folgt.' });
    expect((await agent.request('GET', `/api/cases/${caseId}`)).json().status).toBe('open');
    await agent.request('PATCH', `/api/cases/${caseId}`, { status: 'solved' });
    const row = await t.db
      .selectFrom('cases')
      .select(['solved_at', 'first_response_at'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(row.solved_at).toBeInstanceOf(Date);
    expect(row.first_response_at).toBeInstanceOf(Date);
  });

  it('an invalid transition writes nothing: no event, no audit', async () => {
    const { caseId } = await ownerWithCase();
    await agent.request('PATCH', `/api/cases/${caseId}`, { status: 'open' });
    const before = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('entity_id', '=', caseId)
      .executeTakeFirstOrThrow();
    await agent.request('PATCH', `/api/cases/${caseId}`, { status: 'new', priority: 'urgent' });
    const after = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('entity_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await agent.request('GET', `/api/cases/${caseId}`)).json().priority).toBe('normal');
  });
});

describe('assignment, followers, links, merge', () => {
  it('assigns to a colleague of the market (opens the case, emits case.assigned); refuses someone without the market', async () => {
    const { caseId } = await ownerWithCase();
    const response = await agent.request('PATCH', `/api/cases/${caseId}`, { assigneeId: otherAgentId });
    expect(response.json()).toMatchObject({ status: 'open', assignee: { id: otherAgentId } });
    const ukAgent = await createStaff(t.db, { roles: ['agent'], markets: ['UK'] });
    const refused = await agent.request('PATCH', `/api/cases/${caseId}`, { assigneeId: ukAgent.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('assignee_not_allowed');
    const events = await t.db
      .selectFrom('domain_events')
      .select(['type', 'payload'])
      .where('entity_id', '=', caseId)
      .where('type', '=', 'case.assigned')
      .execute();
    expect(events[0]?.payload).toMatchObject({ assigneeId: otherAgentId, previousAssigneeId: null });
  });

  it('follows and links cases both ways', async () => {
    const a = await ownerWithCase();
    const b = await ownerWithCase();
    await agent.request('POST', `/api/cases/${a.caseId}/follow`);
    await agent.request('POST', `/api/cases/${a.caseId}/links`, { ref: b.number });
    const detailA = (await agent.request('GET', `/api/cases/${a.caseId}`)).json();
    expect(detailA.viewerIsFollower).toBe(true);
    expect(detailA.links).toEqual([expect.objectContaining({ number: b.number })]);
    expect((await agent.request('GET', `/api/cases/${b.caseId}`)).json().links).toEqual([
      expect.objectContaining({ number: a.number }),
    ]);
    expect((await agent.request('POST', `/api/cases/${a.caseId}/links`, { ref: a.number })).statusCode).toBe(
      422,
    );
  });

  it("merge moves the messages, the old number redirects, and another customer's case cannot be merged", async () => {
    const first = await ownerWithCase({ body: 'Erste Nachricht' });
    const second = await first.session.request('POST', '/api/cases', {
      subject: 'Nochmal die Ladeklappe',
      topic: 'charging',
      body: 'Zweite Nachricht',
    });
    const secondNumber = second.json().number;
    const merged = await agent.request('POST', `/api/cases/${secondNumber}/merge`, { into: first.number });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().timeline.map((m: { bodyText: string }) => m.bodyText)).toEqual([
      'Erste Nachricht',
      'Zweite Nachricht',
    ]);
    expect(merged.json().mergedFrom).toEqual([expect.objectContaining({ number: secondNumber })]);
    const viaOldNumber = await first.session.request('GET', `/api/cases/${secondNumber}`);
    expect(viaOldNumber.json()).toMatchObject({ number: first.number, redirectedFrom: secondNumber });
    const stranger = await ownerWithCase();
    const refused = await agent.request('POST', `/api/cases/${stranger.caseId}/merge`, {
      into: first.number,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('merge_other_customer');
    const strangerSession = stranger.session;
    expect((await strangerSession.request('GET', `/api/cases/${first.number}`)).statusCode).toBe(404);
  });
});

describe('attaching a case to the right customer', () => {
  it('moves a case from an unverified contact to the real customer of the same market, audited', async () => {
    const contact = await createCustomer(t.db, { withAccount: false });
    const realOwner = await createCustomer(t.db);
    const { receiveInboundMessage } = await import('./index.js');
    const inbound = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: null,
      customerId: contact.id,
      subject: 'Von privater Adresse',
      bodyText: 'Hallo',
    });
    const moved = await agent.request('PATCH', `/api/cases/${inbound.caseId}`, { customerId: realOwner.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().customer.id).toBe(realOwner.id);
    const ownerSession = await login(t.app, realOwner.email, realOwner.password);
    expect((await ownerSession.request('GET', `/api/cases/${inbound.caseNumber}`)).statusCode).toBe(200);
    const ukCustomer = await createCustomer(t.db, { market: 'UK' });
    expect(
      (await agent.request('PATCH', `/api/cases/${inbound.caseId}`, { customerId: ukCustomer.id }))
        .statusCode,
    ).toBe(404);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', inbound.caseId)
      .where('action', '=', 'case.updated')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ customer_id: contact.id });
    expect(audit.after).toMatchObject({ customer_id: realOwner.id });
  });
});

describe('case numbers', () => {
  it('are PW-<year>-<six digits>, and keep every digit past 999,999', async () => {
    const { nextCaseNumberSql } = await import('./cases.events.js');
    const numberAfter = async (last: number) => {
      await sql`SELECT setval('case_number_seq', ${last})`.execute(t.db);
      return (
        await sql<{ n: string }>`SELECT ${nextCaseNumberSql(new Date('2026-03-01T00:00:00Z'))} AS n`.execute(
          t.db,
        )
      ).rows[0]?.n;
    };
    const before = await sql<{ last: string }>`SELECT last_value AS last FROM case_number_seq`.execute(t.db);
    try {
      expect(await numberAfter(41)).toBe('PW-2026-000042');
      expect(await numberAfter(999_999)).toBe('PW-2026-1000000');
    } finally {
      await sql`SELECT setval('case_number_seq', ${Math.max(Number(before.rows[0]?.last), 1_000_000)})`.execute(
        t.db,
      );
    }
  });
});
