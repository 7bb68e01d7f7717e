// Agent replies leave through a real SMTP server and arrive as mails in the customer's
// thread: our Message-ID (kept on the case message), In-Reply-To and References of the
// customer's mail, the case number in the subject, the market's sender, both parts in the
// case's language with the agent's signature, and the reply's files.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskList } from '../../../jobs.js';
import { type JobWorker, startJobWorker } from '../../../platform/jobs.js';
import { buildTestApp, login, type Session, type TestApp } from '../../../test/app.js';
import { insertCase, PNG, uploadForm } from '../../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../../test/factories.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp.js';
import { receiveInboundMessage } from '../../cases/index.js';
import { processInboundEmail, storeInboundEmail } from '../email-in/index.js';
import { type MailSettings, queueCaseReply } from '../index.js';

const DOMAIN = 'care.example.test';
const MESSAGE_ID = /^<[0-9a-f-]{36}@care\.example\.test>$/;
let t: TestApp;
let smtp: SmtpSink;
let worker: JobWorker;
let mail: MailSettings;

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  await t.db
    .insertInto('email_mailboxes')
    .values([
      { address: 'service-de@mail.example.test', market: 'DE', language: 'de', kind: 'smtp' },
      { address: 'service-uk@mail.example.test', market: 'UK', language: 'en', kind: 'smtp' },
      // Switched off by an admin: mail to it is refused, so it must never be a sender.
      { address: 'service-ch@mail.example.test', market: 'CH', language: 'de', kind: 'smtp', enabled: false },
    ])
    .execute();
  smtp = await startSmtpSink();
  mail = { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: smtp.url, domain: DOMAIN };
  const log = pino({ level: 'silent' });
  worker = await startJobWorker({
    connectionString: t.database.url,
    concurrency: 2,
    log,
    tasks: taskList({ db: t.db, log, mail, publicUrl: 'https://care.example.test' }),
  });
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await t?.close();
});

async function agentOf(market: string): Promise<{ session: Session; name: string }> {
  const user = await createStaff(t.db, { roles: ['agent'], markets: [market] });
  const row = await t.db
    .selectFrom('users')
    .select('name')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  return { session: await login(t.app, user.email, TEST_PASSWORD), name: row.name };
}

async function reply(agent: Session, caseNumber: string, body: string, attachmentIds?: string[]) {
  const response = await agent.request('POST', `/api/cases/${caseNumber}/messages`, {
    kind: 'reply',
    body,
    ...(attachmentIds ? { attachmentIds } : {}),
  });
  expect(response.statusCode).toBe(201);
  return (response.json() as { id: string }).id;
}

const outgoingHeaders = async (messageId: string) =>
  (
    await t.db
      .selectFrom('case_messages')
      .select(['email', 'external_id'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow()
  ).email;

describe('a reply to a customer who wrote by mail', () => {
  it('threads under the customer mail, comes from the market mailbox, in German with signature and attachment', async () => {
    const customer = await createCustomer(t.db, { market: 'DE' });
    const inbound = await receiveInboundMessage(t.db, {
      channel: 'email',
      externalId: '<c2@customer.test>',
      customerId: customer.id,
      subject: 'AW: Ladeklappe klemmt',
      bodyText: 'Die Ladeklappe klemmt seit dem Update.',
      email: {
        messageId: '<c2@customer.test>',
        inReplyTo: '<c1@customer.test>',
        references: ['<c1@customer.test>'],
        from: customer.email,
        to: ['service-de@mail.example.test'],
        cc: [],
        subject: 'AW: Ladeklappe klemmt',
      },
    });
    const agent = await agentOf('DE');
    const upload = await uploadForm(t.app, agent.session, [{ filename: 'klappe.png', content: PNG }]);
    expect(upload.statusCode).toBe(201);
    const attachmentId = (upload.json() as { id: string }).id;
    const caseMessageId = await reply(
      agent.session,
      inbound.caseNumber,
      'Guten Tag,\n\nbitte starten Sie das Fahrzeug neu.\nDanach <b>erneut</b> versuchen.',
      [attachmentId],
    );

    const received = await smtp.mailTo(customer.email);
    expect(received.messageId).toMatch(MESSAGE_ID);
    expect(received.inReplyTo).toBe('<c2@customer.test>');
    expect(received.references).toEqual(['<c1@customer.test>', '<c2@customer.test>']);
    expect(received.subject).toBe(`Re: Ladeklappe klemmt [${inbound.caseNumber}]`);
    expect(received.from?.value[0]).toEqual({
      address: 'service-de@mail.example.test',
      name: 'Pitwall Kundenservice',
    });
    expect(received.text).toContain('bitte starten Sie das Fahrzeug neu.\nDanach <b>erneut</b> versuchen.');
    expect(received.text).toContain(`Freundliche Grüße\n${agent.name}\nPitwall Kundenservice`);
    expect(received.text).toContain(`Fall ${inbound.caseNumber}`);
    expect(received.html).toContain('<p style="margin:0 0 16px 0">Guten Tag,</p>');
    expect(received.html).toContain('Danach &lt;b&gt;erneut&lt;/b&gt; versuchen.');
    expect(received.html).toContain('Freundliche Grüße');
    expect(received.html).toContain('href="https://care.example.test/portal/cases/');
    expect(received.attachments).toHaveLength(1);
    expect(received.attachments[0]).toMatchObject({ filename: 'klappe.png', contentType: 'image/png' });
    expect(received.attachments[0]?.content.equals(PNG)).toBe(true);

    // The sent id is on the case message, so the customer's answer (In-Reply-To) finds the case.
    const headers = await outgoingHeaders(caseMessageId);
    expect(headers).toMatchObject({
      messageId: received.messageId,
      inReplyTo: '<c2@customer.test>',
      references: ['<c1@customer.test>', '<c2@customer.test>'],
      to: [customer.email],
    });
    const outbox = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('case_message_id', '=', caseMessageId)
      .execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ status: 'sent', attempts: 1, message_id: received.messageId });
  });
});

describe("the customer's answer", () => {
  it('to our reply, carrying only In-Reply-To (no case number), lands on the same case', async () => {
    const customer = await createCustomer(t.db, { market: 'DE' });
    const kase = await insertCase(t.db, { customerId: customer.id, subject: 'Ladekabel' });
    const agent = await agentOf('DE');
    await reply(agent.session, kase.number, 'Bitte prüfen Sie das Kabel.');
    const ours = await smtp.mailTo(customer.email);
    const mailbox = await t.db
      .selectFrom('email_mailboxes')
      .select('id')
      .where('address', '=', 'service-de@mail.example.test')
      .executeTakeFirstOrThrow();
    const answer = [
      `From: Erika <${customer.email}>`,
      'To: service-de@mail.example.test',
      'Subject: Danke',
      `Message-ID: <answer-${Date.now()}@customer.test>`,
      `In-Reply-To: ${ours.messageId}`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hat funktioniert, danke!',
      '',
    ].join('\r\n');
    const stored = await storeInboundEmail(t.db, {
      mailboxId: mailbox.id,
      source: 'smtp',
      raw: Buffer.from(answer),
      envelope: {},
    });
    await processInboundEmail(t.db, stored.id);
    const messages = await t.db
      .selectFrom('case_messages')
      .select(['author_kind', 'body_text'])
      .where('case_id', '=', kase.id)
      .orderBy('created_at')
      .execute();
    expect(messages.map((m) => [m.author_kind, m.body_text.trim()])).toEqual([
      ['staff', 'Bitte prüfen Sie das Kabel.'],
      ['customer', 'Hat funktioniert, danke!'],
    ]);
  });
});

describe('a reply on a case without customer mail', () => {
  it('is English for an English case, from the UK mailbox, and the next reply threads under the first', async () => {
    const customer = await createCustomer(t.db, { market: 'UK' });
    const kase = await insertCase(t.db, {
      customerId: customer.id,
      market: 'UK',
      language: 'en',
      subject: 'Re: Wallbox pairing [PW-2026-999999]',
    });
    const agent = await agentOf('UK');
    await reply(agent.session, kase.number, 'Please pair the wallbox again.');
    const first = await smtp.mailTo(customer.email);
    expect(first.inReplyTo).toBeUndefined();
    expect(first.subject).toBe(`Re: Wallbox pairing [${kase.number}]`);
    expect(first.from?.value[0]).toEqual({
      address: 'service-uk@mail.example.test',
      name: 'Pitwall Customer Care',
    });
    expect(first.text).toContain(`Kind regards\n${agent.name}\nPitwall Customer Care`);
    expect(first.text).toContain(`Case ${kase.number}`);
    expect(first.text).not.toContain('Freundliche');

    await reply(agent.session, kase.number, 'Did it work?');
    const deadline = Date.now() + 15_000;
    while (smtp.mailsTo(customer.email).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const { simpleParser } = await import('mailparser');
    const second = await simpleParser(smtp.mailsTo(customer.email)[1]?.raw ?? Buffer.alloc(0));
    expect(second.inReplyTo).toBe(first.messageId);
    expect(second.references).toBe(first.messageId);
  });

  it('a market without a mailbox sends from MAIL_FROM', async () => {
    const customer = await createCustomer(t.db, { market: 'AT' });
    const kase = await insertCase(t.db, { customerId: customer.id, market: 'AT' });
    const agent = await agentOf('AT');
    await reply(agent.session, kase.number, 'Servus.');
    const received = await smtp.mailTo(customer.email);
    expect(received.from?.value[0]).toEqual({ address: 'no-reply@pitwall.test', name: 'Pitwall' });
  });

  it('a market whose only mailbox is disabled sends from MAIL_FROM, not from the refused address', async () => {
    const customer = await createCustomer(t.db, { market: 'CH' });
    const kase = await insertCase(t.db, { customerId: customer.id, market: 'CH' });
    const agent = await agentOf('CH');
    await reply(agent.session, kase.number, 'Grüezi.');
    const received = await smtp.mailTo(customer.email);
    expect(received.from?.value[0]).toEqual({ address: 'no-reply@pitwall.test', name: 'Pitwall' });
  });
});

describe('once per reply', () => {
  it('queueing the same case message twice queues one mail', async () => {
    const customer = await createCustomer(t.db);
    const kase = await insertCase(t.db, { customerId: customer.id });
    const input = {
      to: customer.email,
      language: 'de' as const,
      market: 'DE',
      caseId: kase.id,
      caseNumber: kase.number,
      caseSubject: 'Test',
      caseMessageId: '00000000-0000-4000-8000-000000000001',
      author: 'Agent',
      text: 'Hallo',
      portalLink: 'https://care.example.test/portal',
      parent: null,
      attachments: [],
    };
    const first = await queueCaseReply(t.db, { ...mail, smtpUrl: null }, input);
    const second = await queueCaseReply(t.db, { ...mail, smtpUrl: null }, input);
    expect(first?.headers.messageId).toMatch(MESSAGE_ID);
    expect(second).toBeNull();
  });
});
