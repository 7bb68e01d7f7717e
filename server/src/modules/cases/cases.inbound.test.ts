// The channel adapters' entry point: a normalised inbound message becomes a new case, a
// reply on its case, or a follow-up of a closed case; the same external id is stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/app.js';
import { createCustomer, seedMarkets } from '../../test/factories.js';
import { receiveInboundMessage } from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(() => t.close());

describe('receiveInboundMessage', () => {
  it('opens a case in the customer market and language, then threads a reply onto it by case reference', async () => {
    const customer = await createCustomer(t.db, { market: 'AT' });
    const first = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: '<a1@mail.test>',
      customerId: customer.id,
      subject: 'Reifenwechsel',
      bodyText: 'Wann kann ich kommen?',
    });
    expect(first).toMatchObject({ created: true, duplicate: false });
    const row = await t.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', first.caseId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ market: 'AT', language: 'de', channel: 'email', status: 'new' });
    // The case opens with the customer's message: its time is the case's last customer message.
    expect(row.last_customer_message_at).toEqual(row.created_at);
    const reply = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: '<a2@mail.test>',
      customerId: customer.id,
      subject: 'Re: Reifenwechsel',
      bodyText: 'Noch eine Frage',
      caseRef: first.caseNumber,
    });
    expect(reply).toMatchObject({ caseId: first.caseId, created: false });
    const messages = await t.db
      .selectFrom('case_messages')
      .select('body_text')
      .where('case_id', '=', first.caseId)
      .orderBy('created_at')
      .execute();
    expect(messages.map((m) => m.body_text)).toEqual(['Wann kann ich kommen?', 'Noch eine Frage']);
  });

  it('the same external id delivered twice is stored once', async () => {
    const customer = await createCustomer(t.db);
    const input = {
      channel: 'email' as const,
      externalId: '<dup@mail.test>',
      customerId: customer.id,
      subject: 'Doppelt',
      bodyText: 'Einmal bitte',
    };
    const first = await receiveInboundMessage(t.db, input);
    const second = await receiveInboundMessage(t.db, input);
    expect(second).toMatchObject({ caseId: first.caseId, messageId: first.messageId, duplicate: true });
    const count = await t.db
      .selectFrom('case_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('external_id', '=', '<dup@mail.test>')
      .executeTakeFirstOrThrow();
    expect(count.n).toBe('1');
  });

  it('the same mail processed twice at the same moment is stored once, without an error', async () => {
    const customer = await createCustomer(t.db);
    const input = {
      channel: 'email' as const,
      externalId: '<race@mail.test>',
      customerId: customer.id,
      subject: 'Gleichzeitig',
      bodyText: 'Zweimal zugestellt',
    };
    const results = await Promise.all([
      receiveInboundMessage(t.db, input),
      receiveInboundMessage(t.db, input),
      receiveInboundMessage(t.db, input),
    ]);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);
  });

  it("a reference to a closed case opens a follow-up; a reference to another customer's case opens a new case", async () => {
    const customer = await createCustomer(t.db);
    const first = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: null,
      customerId: customer.id,
      subject: 'Lieferung',
      bodyText: 'Wo ist mein Auto?',
    });
    await t.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', first.caseId).execute();
    const again = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: null,
      customerId: customer.id,
      subject: 'Re: Lieferung',
      bodyText: 'Und jetzt?',
      caseRef: first.caseNumber,
    });
    expect(again.created).toBe(true);
    expect(again.caseId).not.toBe(first.caseId);
    const followUp = await t.db
      .selectFrom('cases')
      .select('follow_up_of_id')
      .where('id', '=', again.caseId)
      .executeTakeFirstOrThrow();
    expect(followUp.follow_up_of_id).toBe(first.caseId);

    const intruder = await createCustomer(t.db);
    const foreign = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: null,
      customerId: intruder.id,
      subject: 'Hijack',
      bodyText: 'x',
      caseRef: again.caseNumber,
    });
    expect(foreign.caseId).not.toBe(again.caseId);
    expect(foreign.created).toBe(true);
  });
});
