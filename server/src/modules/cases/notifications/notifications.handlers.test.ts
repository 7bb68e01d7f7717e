// Notification handlers against the real database: the right people get in-app
// notifications and mail in their language, and customers hear only of public replies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitEvent } from '../../../platform/events.js';
import type { TestApp } from '../../../test/app.js';
import { buildTestApp } from '../../../test/app.js';
import { insertCase, insertMessage } from '../../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets } from '../../../test/factories.js';
import { notificationEventHandlers } from './index.js';

let t: TestApp;
const publicUrl = 'https://care.example.test';
let handlers: ReturnType<typeof notificationEventHandlers>;

/** Emits an event and runs the handlers in one transaction, claiming it as the platform does. */
async function deliver(
  type: string,
  caseId: string,
  payload: Record<string, unknown>,
  actorId: string | null = null,
) {
  await t.db.transaction().execute(async (trx) => {
    const eventId = await emitEvent(
      trx,
      { actorId, requestId: null },
      { type, entityType: 'case', entityId: caseId, payload },
    );
    const event = await trx
      .selectFrom('domain_events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    for (const handler of handlers.filter((h) => h.eventTypes.includes(type))) {
      await trx
        .insertInto('event_handler_runs')
        .values({ event_id: eventId, handler: handler.name })
        .execute();
      await handler.handle(event, trx);
    }
  });
}

const notificationsOf = (userId: string) =>
  t.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
const mailsTo = (address: string) =>
  t.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('to_address', '=', address)
    .orderBy('created_at')
    .execute();

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  handlers = notificationEventHandlers({
    db: t.db,
    mail: { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: null },
    publicUrl,
  });
});
afterAll(async () => {
  await t.close();
});

describe('when a case is assigned', () => {
  it('the new assignee gets an in-app notification and a mail in their own language', async () => {
    const assignee = await createStaff(t.db, { roles: ['agent'], language: 'de' });
    const lead = await createStaff(t.db, { roles: ['agent'] });
    const customer = await createCustomer(t.db);
    const kase = await insertCase(t.db, {
      customerId: customer.id,
      assigneeId: assignee.id,
      subject: 'Ladeklappe klemmt',
    });
    await deliver(
      'case.assigned',
      kase.id,
      { number: kase.number, assigneeId: assignee.id, previousAssigneeId: null },
      lead.id,
    );

    const [notification] = await notificationsOf(assignee.id);
    expect(notification).toMatchObject({
      kind: 'case_assigned',
      case_id: kase.id,
      title: `Fall ${kase.number} wurde Ihnen zugewiesen`,
      body: 'Ladeklappe klemmt',
    });
    const mails = await mailsTo(assignee.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ language: 'de', template: 'case.case_assigned' });
    expect(mails[0]?.text_body).toContain(`${publicUrl}/agent/cases/${kase.number}`);
  });

  it('taking a case yourself or unassigning it notifies nobody', async () => {
    const agent = await createStaff(t.db, { roles: ['agent'] });
    const kase = await insertCase(t.db, {
      customerId: (await createCustomer(t.db)).id,
      assigneeId: agent.id,
    });
    await deliver(
      'case.assigned',
      kase.id,
      { number: kase.number, assigneeId: agent.id, previousAssigneeId: null },
      agent.id,
    );
    await deliver('case.assigned', kase.id, {
      number: kase.number,
      assigneeId: null,
      previousAssigneeId: agent.id,
    });
    expect(await notificationsOf(agent.id)).toHaveLength(0);
    expect(await mailsTo(agent.email)).toHaveLength(0);
  });
});

describe('when a message is added', () => {
  it('a public staff reply is mailed to the customer in their language with the portal link, and shown in the portal', async () => {
    const customer = await createCustomer(t.db);
    const kase = await insertCase(t.db, { customerId: customer.id });
    const agent = await createStaff(t.db, { roles: ['agent'] });
    const reply = await insertMessage(t.db, {
      caseId: kase.id,
      authorId: agent.id,
      body: 'Bitte starten Sie das Fahrzeug neu.',
    });
    await deliver(
      'case.message_added',
      kase.id,
      {
        number: kase.number,
        messageId: reply.id,
        kind: 'reply',
        internal: false,
        authorKind: 'staff',
        authorId: agent.id,
      },
      agent.id,
    );
    const [mail] = await mailsTo(customer.email);
    expect(mail).toMatchObject({ language: 'de', template: 'case.staff_reply' });
    expect(mail?.subject).toContain(kase.number);
    expect(mail?.text_body).toContain('Bitte starten Sie das Fahrzeug neu.');
    expect(mail?.text_body).toContain(`${publicUrl}/portal/cases/${kase.number}`);
    const [inApp] = await notificationsOf(customer.userId ?? '');
    expect(inApp).toMatchObject({
      kind: 'staff_reply',
      case_id: kase.id,
      body: 'Bitte starten Sie das Fahrzeug neu.',
    });
  });

  it('an internal note never reaches the customer, even when the event claims it is a public reply', async () => {
    const customer = await createCustomer(t.db);
    const kase = await insertCase(t.db, { customerId: customer.id });
    const note = await insertMessage(t.db, {
      caseId: kase.id,
      kind: 'note',
      internal: true,
      body: 'Goodwill max 200 EUR',
    });
    await deliver('case.message_added', kase.id, {
      number: kase.number,
      messageId: note.id,
      kind: 'note',
      internal: true,
      authorKind: 'staff',
    });
    await deliver('case.message_added', kase.id, {
      number: kase.number,
      messageId: note.id,
      kind: 'reply',
      internal: false,
      authorKind: 'staff',
    });
    expect(await mailsTo(customer.email)).toHaveLength(0);
    expect(await notificationsOf(customer.userId ?? '')).toHaveLength(0);
  });

  it('a customer message notifies the assignee and the followers in-app, nobody else and no mail', async () => {
    const customer = await createCustomer(t.db);
    const assignee = await createStaff(t.db, { roles: ['agent'] });
    const follower = await createStaff(t.db, { roles: ['agent'], language: 'de' });
    const bystander = await createStaff(t.db, { roles: ['agent'] });
    const kase = await insertCase(t.db, { customerId: customer.id, assigneeId: assignee.id });
    await t.db
      .insertInto('case_followers')
      .values([
        { case_id: kase.id, user_id: follower.id },
        { case_id: kase.id, user_id: assignee.id },
      ])
      .execute();
    const message = await insertMessage(t.db, {
      caseId: kase.id,
      authorKind: 'customer',
      body: 'Still broken after the update',
    });
    await deliver('case.message_added', kase.id, {
      number: kase.number,
      messageId: message.id,
      kind: 'reply',
      internal: false,
      authorKind: 'customer',
    });
    expect(await notificationsOf(assignee.id)).toHaveLength(1);
    const [forFollower] = await notificationsOf(follower.id);
    expect(forFollower).toMatchObject({ kind: 'customer_message', body: 'Still broken after the update' });
    expect(forFollower?.title).toContain('hat zu Fall');
    expect(await notificationsOf(bystander.id)).toHaveLength(0);
    expect(await mailsTo(assignee.email)).toHaveLength(0);
  });
});

describe('when an SLA target is near or missed', () => {
  it('warns the assignee in-app and by mail', async () => {
    const assignee = await createStaff(t.db, { roles: ['agent'] });
    const kase = await insertCase(t.db, {
      customerId: (await createCustomer(t.db)).id,
      assigneeId: assignee.id,
    });
    await deliver('case.sla_warning', kase.id, {
      number: kase.number,
      metric: 'first_response',
      dueAt: '2026-11-25T14:00:00.000Z',
    });
    const [notification] = await notificationsOf(assignee.id);
    expect(notification?.title).toBe(`Case ${kase.number}: first response due soon`);
    const [mail] = await mailsTo(assignee.email);
    expect(mail?.template).toBe('case.sla_warning');
    expect(mail?.text_body).toContain('25 Nov 2026');
    // 14:00 UTC, told as the case's market (DE, Europe/Berlin) keeps time.
    expect(mail?.text_body).toMatch(/15:00 (CET|GMT\+1)/);
  });

  it('without an assignee, tells every active member of the case team', async () => {
    const [memberA, memberB, disabled, outsider] = await Promise.all([
      createStaff(t.db, { roles: ['agent'] }),
      createStaff(t.db, { roles: ['agent'], language: 'de' }),
      createStaff(t.db, { roles: ['agent'] }),
      createStaff(t.db, { roles: ['agent'] }),
    ]);
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', disabled.id).execute();
    const team = await t.db
      .insertInto('teams')
      .values({ name: `Team ${Math.random()}`, markets: ['DE'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('team_members')
      .values([memberA, memberB, disabled].map((m) => ({ team_id: team.id, user_id: m.id })))
      .execute();
    const kase = await insertCase(t.db, { customerId: (await createCustomer(t.db)).id, teamId: team.id });
    await deliver('case.sla_breached', kase.id, {
      number: kase.number,
      metric: 'resolution',
      dueAt: '2026-11-25T14:00:00.000Z',
    });
    expect(await notificationsOf(memberA.id)).toHaveLength(1);
    const [german] = await notificationsOf(memberB.id);
    expect(german?.title).toBe(`Fall ${kase.number}: Lösung überfällig`);
    expect(await mailsTo(memberB.email)).toHaveLength(1);
    expect(await notificationsOf(disabled.id)).toHaveLength(0);
    expect(await notificationsOf(outsider.id)).toHaveLength(0);
  });
});
