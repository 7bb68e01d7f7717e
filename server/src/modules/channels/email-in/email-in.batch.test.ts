// Mail that waits in one sender queue is processed in batches (email-in.batch.ts): every mail
// of the batch ends on its case in order of arrival, and one that cannot be processed is
// quarantined with its reason by its own job without holding back the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processingQueue, storeInboundEmail } from './email-in.store.js';
import { type MailHarness, mail, startMailHarness, TEST_DOMAIN } from './testing/harness.js';

let h: MailHarness;
beforeAll(async () => {
  h = await startMailHarness({ concurrency: 2 });
});
afterAll(async () => {
  await h?.stop();
});

describe('batches of one sender queue', () => {
  it('processes every waiting mail in order and quarantines the one without a usable sender', async () => {
    const sender = 'batch.sender@customer.test';
    const raw = (n: number, from = sender) =>
      Buffer.from(
        mail(
          {
            From: from,
            To: `service-de@${TEST_DOMAIN}`,
            Subject: `Batch ${n}`,
            'Message-ID': `<batch-${n}@customer.test>`,
          },
          `Mail ${n}`,
        ),
      );
    // A From without a usable address (no dot in the domain) that lands in the same queue.
    let bad = '';
    for (let n = 0; !bad; n++)
      if (processingQueue(raw(0, `broken${n}@nodot`)) === processingQueue(raw(0))) bad = `broken${n}@nodot`;
    const mailbox = await h.db
      .selectFrom('email_mailboxes')
      .select('id')
      .where('address', '=', `service-de@${TEST_DOMAIN}`)
      .executeTakeFirstOrThrow();
    // One commit: all six jobs wait in the queue when the first one runs.
    await h.db.transaction().execute(async (trx) => {
      for (let n = 1; n <= 6; n++)
        await storeInboundEmail(trx, {
          mailboxId: mailbox.id,
          source: 'smtp',
          raw: raw(n, n === 3 ? bad : sender),
          envelope: { mailFrom: sender, rcptTo: [`service-de@${TEST_DOMAIN}`], remoteAddress: null },
        });
    });
    await h.settled();
    const rows = await h.db
      .selectFrom('inbound_emails')
      .select(['message_id', 'status', 'reason', 'case_id'])
      .where('message_id', 'like', '<batch-%')
      .orderBy('message_id')
      .execute();
    expect(rows.map((row) => [row.message_id, row.status])).toEqual([
      ['<batch-1@customer.test>', 'processed'],
      ['<batch-2@customer.test>', 'processed'],
      ['<batch-3@customer.test>', 'quarantined'],
      ['<batch-4@customer.test>', 'processed'],
      ['<batch-5@customer.test>', 'processed'],
      ['<batch-6@customer.test>', 'processed'],
    ]);
    expect(rows[2]?.reason).toBe('no usable sender address in From');
    const cases = await h.db
      .selectFrom('cases')
      .select(['subject', 'number'])
      .where('subject', 'like', 'Batch %')
      .orderBy('number')
      .execute();
    // Opened in order of arrival: case numbers follow the mails.
    expect(cases.map((row) => row.subject)).toEqual(['Batch 1', 'Batch 2', 'Batch 4', 'Batch 5', 'Batch 6']);
  });
});
