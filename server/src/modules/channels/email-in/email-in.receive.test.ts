// Receiving over the real SMTP receiver into a real database, processed by the real job
// worker: who may deliver, size limits, new cases, threading, de-duplication, charsets.
import nodemailer from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpReceiver } from './email-in.smtp.js';
import { storeInboundEmail } from './email-in.store.js';
import { type MailHarness, mail, startMailHarness, TEST_DOMAIN } from './testing/harness.js';

let h: MailHarness;
beforeAll(async () => {
  h = await startMailHarness();
});
afterAll(async () => {
  await h?.stop();
});

const inboundOf = (messageId: string) =>
  h.db.selectFrom('inbound_emails').selectAll().where('message_id', '=', messageId).execute();
const messageOf = (externalId: string) =>
  h.db
    .selectFrom('case_messages')
    .innerJoin('cases', 'cases.id', 'case_messages.case_id')
    .select(['case_messages.id', 'case_messages.case_id', 'cases.number', 'cases.subject', 'cases.market'])
    .select([
      'case_messages.body_text',
      'case_messages.quoted_text',
      'case_messages.email',
      'case_messages.channel',
    ])
    .where('case_messages.external_id', '=', externalId)
    .execute();

describe('the SMTP receiver', () => {
  it('refuses an unknown recipient with 550 and stores nothing', async () => {
    const error = await h
      .sendRaw(mail({ From: 'a@customer.test', Subject: 'x' }, 'x'), { to: [`nobody@${TEST_DOMAIN}`] })
      .catch((e) => e);
    expect(error).toMatchObject({ responseCode: 550 });
    const count = await h.db
      .selectFrom('inbound_emails')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses a mail over MAIL_MAX_BYTES with 552 and stays usable for the next one', async () => {
    const small = await startSmtpReceiver({
      db: h.db,
      log: pino({ level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      maxBytes: 20_000,
    });
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port: small.port,
      secure: false,
      ignoreTLS: true,
    });
    const envelope = { from: 'big@customer.test', to: [`service-de@${TEST_DOMAIN}`] };
    const tooBig = await client
      .sendMail({ envelope, raw: mail({ From: 'big@customer.test', Subject: 'big' }, 'x'.repeat(30_000)) })
      .catch((e) => e);
    expect(tooBig).toMatchObject({ responseCode: 552 });
    const fits = await client.sendMail({
      envelope,
      raw: mail({ From: 'big@customer.test', Subject: 'small', 'Message-ID': '<fits@customer.test>' }, 'ok'),
    });
    expect(fits.response).toMatch(/^250 /);
    client.close();
    await small.stop();
    await h.settled();
    expect(await inboundOf('<fits@customer.test>')).toHaveLength(1);
  });
});

describe('storing a mail', () => {
  it('commits the mail with its processing job, once for the same bytes into the same mailbox', async () => {
    const mailbox = await h.db
      .selectFrom('email_mailboxes')
      .select('id')
      .where('address', '=', `service-de@${TEST_DOMAIN}`)
      .executeTakeFirstOrThrow();
    const store = (messageId: string) =>
      storeInboundEmail(h.db, {
        mailboxId: mailbox.id,
        source: 'smtp',
        raw: Buffer.from(
          mail({ From: 'store@customer.test', Subject: 'Stored', 'Message-ID': messageId }, 'x'),
        ),
        envelope: {
          mailFrom: 'store@customer.test',
          rcptTo: [`service-de@${TEST_DOMAIN}`],
          remoteAddress: null,
        },
      });
    // The first mail of a sender's queue may create graphile-worker's queue row (add_job); the
    // second is written in one statement with its job; the third is the second's bytes again.
    const first = await store('<store-1@customer.test>');
    const second = await store('<store-2@customer.test>');
    const again = await store('<store-2@customer.test>');
    expect(first.stored && second.stored).toBe(true);
    expect(again).toEqual({ id: second.id, stored: false });
    await h.settled();
    const rows = await h.db
      .selectFrom('inbound_emails')
      .select(['id', 'status'])
      .where('message_id', 'in', ['<store-1@customer.test>', '<store-2@customer.test>'])
      .orderBy('message_id')
      .execute();
    // Processed means the job was there and ran.
    expect(rows).toEqual([
      { id: first.id, status: 'processed' },
      { id: second.id, status: 'processed' },
    ]);
    expect(await messageOf('<store-2@customer.test>')).toHaveLength(1);
  });
});

describe('a mail from a customer', () => {
  it('opens a case for an unknown sender as an unverified contact of the mailbox market, quotes folded', async () => {
    const response = await h.sendRaw(
      mail(
        {
          From: 'Anna Gruber <anna.gruber@customer.test>',
          To: `service-at@${TEST_DOMAIN}`,
          Subject: 'Ladeklappe klemmt',
          'Message-ID': '<first@customer.test>',
        },
        'Die Ladeklappe öffnet nicht.\n\nAm Mo., 3. Nov. 2026 um 10:12 schrieb Service <service-at@pitwall.test>:\n> Wie können wir helfen?\n',
      ),
      { to: [`service-at@${TEST_DOMAIN}`] },
    );
    expect(response).toMatch(/^250 OK: queued as [0-9a-f-]{36}/);
    await h.settled();
    const [message] = await messageOf('<first@customer.test>');
    expect(message).toMatchObject({
      subject: 'Ladeklappe klemmt',
      market: 'AT',
      channel: 'email',
      body_text: 'Die Ladeklappe öffnet nicht.',
    });
    expect(message?.quoted_text).toMatch(/^Am Mo\., 3\. Nov\. 2026 .*schrieb.*\n> Wie können wir helfen\?$/);
    expect(message?.email).toMatchObject({
      messageId: '<first@customer.test>',
      from: 'anna.gruber@customer.test',
      to: [`service-at@${TEST_DOMAIN}`],
    });
    const contact = await h.db
      .selectFrom('customer_emails')
      .innerJoin('customers', 'customers.id', 'customer_emails.customer_id')
      .select(['customers.market', 'customers.first_name', 'customer_emails.verified'])
      .where('customer_emails.address', '=', 'anna.gruber@customer.test')
      .execute();
    expect(contact).toEqual([{ market: 'AT', first_name: 'Anna', verified: false }]);
    expect(await inboundOf('<first@customer.test>')).toMatchObject([
      { status: 'processed', case_id: message?.case_id },
    ]);
  });

  it('threads a reply by In-Reply-To/References, then by the case number in the subject', async () => {
    const [first] = await messageOf('<first@customer.test>');
    await h.sendRaw(
      mail(
        {
          From: 'anna.gruber@customer.test',
          Subject: 'Re: Ladeklappe klemmt',
          'Message-ID': '<second@customer.test>',
          'In-Reply-To': '<unknown@elsewhere>',
          References: '<first@customer.test> <unknown@elsewhere>',
        },
        'Noch ein Foto anbei.',
      ),
    );
    await h.sendRaw(
      mail(
        {
          From: 'anna.gruber@customer.test',
          Subject: `AW: [${first?.number}] Ladeklappe`,
          'Message-ID': '<third@customer.test>',
        },
        'Danke!',
      ),
    );
    await h.settled();
    expect((await messageOf('<second@customer.test>'))[0]?.case_id).toBe(first?.case_id);
    expect((await messageOf('<third@customer.test>'))[0]?.case_id).toBe(first?.case_id);
  });

  it('stores the same mail delivered to two mailboxes once, by Message-ID, and a mail without one by its body hash', async () => {
    const shared = mail(
      { From: 'jan@customer.test', Subject: 'Two mailboxes', 'Message-ID': '<twice@customer.test>' },
      'Hello twice',
    );
    await h.sendRaw(`Received: from mx1\r\n${shared}`, { to: [`service-de@${TEST_DOMAIN}`] });
    await h.sendRaw(`Received: from mx2\r\n${shared}`, { to: [`service-nl@${TEST_DOMAIN}`] });
    const anonymous = mail({ From: 'jan@customer.test', Subject: 'No id' }, 'A mail without a Message-ID');
    await h.sendRaw(`Received: from mx1\r\n${anonymous}`, { to: [`service-de@${TEST_DOMAIN}`] });
    await h.sendRaw(`Received: from mx2\r\n${anonymous}`, { to: [`service-se@${TEST_DOMAIN}`] });
    // The very same bytes again (an SMTP retry after a lost 250) are not even stored twice.
    await h.sendRaw(`Received: from mx2\r\n${anonymous}`, { to: [`service-se@${TEST_DOMAIN}`] });
    await h.settled();
    expect(await messageOf('<twice@customer.test>')).toHaveLength(1);
    const twice = await inboundOf('<twice@customer.test>');
    expect(twice.map((row) => row.status).sort()).toEqual(['processed', 'processed']);
    expect(twice.map((row) => row.reason)).toContain('duplicate: already on the case');
    const noId = await h.db
      .selectFrom('inbound_emails')
      .selectAll()
      .where('message_id', 'like', '<body-sha256-%')
      .execute();
    expect(noId).toHaveLength(2);
    expect(await messageOf(noId[0]?.message_id ?? '')).toHaveLength(1);
  });

  it('keeps the files of a mail delivered to two mailboxes once, on its one message', async () => {
    const boundary = 'files-twice';
    const shared = mail(
      {
        From: 'jan@customer.test',
        Subject: 'Two mailboxes, one file',
        'Message-ID': '<file-twice@customer.test>',
        'MIME-Version': '1.0',
        'Content-Type': `multipart/mixed; boundary="${boundary}"`,
      },
      [
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The photo of the scratch.',
        `--${boundary}`,
        'Content-Type: application/pdf; name="scratch-report.pdf"',
        'Content-Disposition: attachment; filename="scratch-report.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4 scratch report').toString('base64'),
        `--${boundary}--`,
      ].join('\n'),
    );
    await h.sendRaw(`Received: from mx1\r\n${shared}`, { to: [`service-de@${TEST_DOMAIN}`] });
    await h.settled();
    await h.sendRaw(`Received: from mx2\r\n${shared}`, { to: [`service-nl@${TEST_DOMAIN}`] });
    await h.settled();
    const [message] = await messageOf('<file-twice@customer.test>');
    const files = await h.db
      .selectFrom('case_attachments')
      .select(['case_id', 'message_id'])
      .where('filename', '=', 'scratch-report.pdf')
      .execute();
    expect(files).toEqual([{ case_id: message?.case_id, message_id: message?.id }]);
    const twice = await inboundOf('<file-twice@customer.test>');
    expect(twice.map((row) => row.reason)).toContain('duplicate: already on the case');
  });

  it('decodes charsets, quoted-printable, base64 and encoded-word headers with umlauts', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(
        mail(
          {
            From: '=?ISO-8859-1?Q?J=FCrgen_M=FCller?= <juergen@customer.test>',
            Subject: '=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=',
            'Message-ID': '<latin1@customer.test>',
            'MIME-Version': '1.0',
            'Content-Type': 'text/plain; charset=ISO-8859-15',
            'Content-Transfer-Encoding': 'quoted-printable',
          },
          'Sch=F6ne Gr=FC=DFe, der Preis ist 30 =A4.',
        ),
      ),
    ]);
    const cp1252 = mail(
      {
        From: 'sven@customer.test',
        Subject: '=?windows-1252?Q?=93Quoted=94_and_=80?=',
        'Message-ID': '<cp1252@customer.test>',
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=windows-1252',
        'Content-Transfer-Encoding': 'base64',
      },
      Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0x80, 0x20, 0x96, 0x20, 0xe4]).toString('base64'),
    );
    await h.sendRaw(latin1);
    await h.sendRaw(cp1252);
    await h.settled();
    expect(await messageOf('<latin1@customer.test>')).toMatchObject([
      { subject: 'Grüße aus München', body_text: 'Schöne Grüße, der Preis ist 30 €.' },
    ]);
    expect(await messageOf('<cp1252@customer.test>')).toMatchObject([
      { subject: '“Quoted” and €', body_text: '“Hi” € – ä' },
    ]);
    const customer = await h.db
      .selectFrom('customer_emails')
      .innerJoin('customers', 'customers.id', 'customer_emails.customer_id')
      .select(['first_name', 'last_name'])
      .where('address', '=', 'juergen@customer.test')
      .executeTakeFirst();
    expect(customer).toEqual({ first_name: 'Jürgen', last_name: 'Müller' });
  });
});
