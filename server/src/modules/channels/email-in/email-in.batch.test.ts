// Mail that waits in one sender queue is processed in batches (email-in.batch.ts): every mail
// of the batch ends on its case in order of arrival, and one that cannot be processed is
// quarantined with its reason by its own job without holding back the others.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyProcessed, loadStoredMails, prepareMail, writeMail } from './email-in.process.js';
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

  it('threads a reply onto the case its original opened earlier in the same batch, and takes a second delivery of it as a duplicate', async () => {
    const sender = 'thread.batch@customer.test';
    const mailbox = await h.db
      .selectFrom('email_mailboxes')
      .select('id')
      .where('address', '=', `service-de@${TEST_DOMAIN}`)
      .executeTakeFirstOrThrow();
    const original = mail(
      { From: sender, Subject: 'Wallbox trips', 'Message-ID': '<wallbox-1@customer.test>' },
      'The wallbox trips the breaker.',
    );
    const reply = mail(
      {
        From: sender,
        Subject: 'Re: Wallbox trips',
        'Message-ID': '<wallbox-2@customer.test>',
        'In-Reply-To': '<wallbox-1@customer.test>',
        References: '<wallbox-1@customer.test>',
      },
      'It happened again this morning.',
    );
    // One commit: the three wait in the queue together and are processed as one batch.
    await h.db.transaction().execute(async (trx) => {
      for (const raw of [original, reply, `Received: from mx2\r\n${original}`])
        await storeInboundEmail(trx, {
          mailboxId: mailbox.id,
          source: 'smtp',
          raw: Buffer.from(raw),
          envelope: { mailFrom: sender, rcptTo: [`service-de@${TEST_DOMAIN}`], remoteAddress: null },
        });
    });
    await h.settled();
    const messages = await h.db
      .selectFrom('case_messages')
      .select(['external_id', 'case_id'])
      .where('external_id', 'in', ['<wallbox-1@customer.test>', '<wallbox-2@customer.test>'])
      .orderBy('external_id')
      .execute();
    expect(messages.map((row) => row.external_id)).toEqual([
      '<wallbox-1@customer.test>',
      '<wallbox-2@customer.test>',
    ]);
    expect(messages[1]?.case_id).toBe(messages[0]?.case_id);
    const inbound = await h.db
      .selectFrom('inbound_emails')
      .select(['status', 'reason', 'case_id'])
      .where('message_id', '=', '<wallbox-1@customer.test>')
      .orderBy('received_at')
      .execute();
    expect(inbound.map((row) => [row.status, row.reason, row.case_id])).toEqual([
      ['processed', null, messages[0]?.case_id],
      ['processed', 'duplicate: already on the case', messages[0]?.case_id],
    ]);
  });

  it('a mail processed by two runs at once ends on its case once: the slower run writes nothing', async () => {
    const mailbox = await h.db
      .selectFrom('email_mailboxes')
      .select('id')
      .where('address', '=', `service-de@${TEST_DOMAIN}`)
      .executeTakeFirstOrThrow();
    const boundary = 'twice-boundary';
    const raw = Buffer.from(
      mail(
        {
          From: 'twice@customer.test',
          To: `service-de@${TEST_DOMAIN}`,
          Subject: 'Processed twice',
          'Message-ID': '<processed-twice@customer.test>',
          'MIME-Version': '1.0',
          'Content-Type': `multipart/mixed; boundary="${boundary}"`,
        },
        [
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The invoice is attached.',
          `--${boundary}`,
          'Content-Type: application/pdf; name="invoice.pdf"',
          'Content-Disposition: attachment; filename="invoice.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('%PDF-1.4 twice').toString('base64'),
          `--${boundary}--`,
        ].join('\n'),
      ),
    );
    // Stored without its job running: both runs below read it while it is still `received`,
    // as a job released after a crash and the slow first run of it would.
    const { id } = await h.db.transaction().execute(async (trx) => {
      const stored = await storeInboundEmail(trx, {
        mailboxId: mailbox.id,
        source: 'smtp',
        raw,
        envelope: {
          mailFrom: 'twice@customer.test',
          rcptTo: [`service-de@${TEST_DOMAIN}`],
          remoteAddress: null,
        },
      });
      await sql`DELETE FROM graphile_worker._private_jobs WHERE payload->>'inboundEmailId' = ${stored.id}`.execute(
        trx,
      );
      return stored;
    });
    const stored = await loadStoredMails(h.db, [id]);
    const first = await prepareMail(h.db, stored.get(id));
    const second = await prepareMail(h.db, stored.get(id));
    if (!first || !second) throw new Error('the mail should need processing');
    const outcomes = await Promise.allSettled([
      h.db.transaction().execute((trx) => writeMail(trx, first)),
      h.db.transaction().execute((trx) => writeMail(trx, second)),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyProcessed);
    const row = await h.db
      .selectFrom('inbound_emails')
      .select(['status', 'case_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('processed');
    const messages = await h.db
      .selectFrom('case_messages')
      .select('id')
      .where('external_id', '=', '<processed-twice@customer.test>')
      .execute();
    expect(messages).toHaveLength(1);
    const files = await h.db
      .selectFrom('case_attachments')
      .select(['case_id'])
      .where('filename', '=', 'invoice.pdf')
      .execute();
    expect(files).toEqual([{ case_id: row.case_id }]);
  });

  it('a run whose mail was quarantined meanwhile writes nothing: its final status is the guard of the message', async () => {
    const mailbox = await h.db
      .selectFrom('email_mailboxes')
      .select('id')
      .where('address', '=', `service-de@${TEST_DOMAIN}`)
      .executeTakeFirstOrThrow();
    const raw = Buffer.from(
      mail(
        {
          From: 'meanwhile@customer.test',
          To: `service-de@${TEST_DOMAIN}`,
          Subject: 'Quarantined meanwhile',
          'Message-ID': '<quarantined-meanwhile@customer.test>',
        },
        'Hello',
      ),
    );
    const { id } = await h.db.transaction().execute(async (trx) => {
      const stored = await storeInboundEmail(trx, {
        mailboxId: mailbox.id,
        source: 'smtp',
        raw,
        envelope: {
          mailFrom: 'meanwhile@customer.test',
          rcptTo: [`service-de@${TEST_DOMAIN}`],
          remoteAddress: null,
        },
      });
      await sql`DELETE FROM graphile_worker._private_jobs WHERE payload->>'inboundEmailId' = ${stored.id}`.execute(
        trx,
      );
      return stored;
    });
    const write = await prepareMail(h.db, (await loadStoredMails(h.db, [id])).get(id));
    if (!write) throw new Error('the mail should need processing');
    await h.db
      .updateTable('inbound_emails')
      .set({ status: 'quarantined', reason: 'by hand' })
      .where('id', '=', id)
      .execute();
    await expect(h.db.transaction().execute((trx) => writeMail(trx, write))).rejects.toBeInstanceOf(
      AlreadyProcessed,
    );
    const row = await h.db
      .selectFrom('inbound_emails')
      .select(['status', 'case_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'quarantined', case_id: null });
    const cases = await h.db
      .selectFrom('cases')
      .select('id')
      .where('subject', '=', 'Quarantined meanwhile')
      .execute();
    expect(cases).toEqual([]);
  });
});
