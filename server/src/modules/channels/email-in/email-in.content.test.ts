// What a mail carries and what becomes of it: attachments (kept, refused and listed, inline
// images rewritten), HTML sanitised, auto-replies and bounces ignored (bounces mark the
// address and the outgoing mail), and the quarantine an admin works through.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/app.js';
import { PNG } from '../../../test/cases-extensions.js';
import { auditCount, createCustomer, createStaff } from '../../../test/factories.js';
import { type MailHarness, mail, startMailHarness } from './testing/harness.js';

let h: MailHarness;
beforeAll(async () => {
  h = await startMailHarness();
});
afterAll(async () => {
  await h?.stop();
});

const TNEF = Buffer.concat([Buffer.from([0x78, 0x9f, 0x3e, 0x22]), Buffer.alloc(64, 1)]);

function multipart(headers: Record<string, string>, parts: string[]): string {
  const boundary = 'b-outer';
  return mail(
    { 'MIME-Version': '1.0', ...headers, 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
    `${parts.map((part) => `--${boundary}\n${part}`).join('\n')}\n--${boundary}--\n`,
  );
}
const base64Part = (type: string, name: string, content: Buffer, extra = '') =>
  `Content-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n${extra}\n${content.toString('base64')}\n`;

const inbound = (messageId: string) =>
  h.db.selectFrom('inbound_emails').selectAll().where('message_id', '=', messageId).executeTakeFirstOrThrow();
const caseMessage = (externalId: string) =>
  h.db
    .selectFrom('case_messages')
    .selectAll()
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();

describe('attachments and HTML', () => {
  it('keeps files, lists refused ones on the message, rewrites cid images and sanitises the HTML', async () => {
    const related = [
      'Content-Type: multipart/related; boundary="b-rel"\n',
      '--b-rel\nContent-Type: text/html; charset=utf-8\n\n<p onclick="x()">Foto: <img src="cid:foto@customer.test"><img src="https://tracker.example/p.gif"><script>alert(1)</script><a href="javascript:alert(1)">x</a><a href="https://example.com">ok</a></p><blockquote type="cite">alt</blockquote>',
      `--b-rel\nContent-Type: image/png\nContent-ID: <foto@customer.test>\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\n${PNG.toString('base64')}`,
      '--b-rel--',
    ].join('\n');
    const raw = multipart(
      { From: 'eva@customer.test', Subject: 'Bilder', 'Message-ID': '<files@customer.test>' },
      [
        related,
        base64Part(
          'application/pdf',
          'rechnung.pdf',
          Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
        ),
        base64Part(
          'application/x-msdownload',
          'tool.exe',
          Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]),
        ),
        base64Part('application/ms-tnef', 'winmail.dat', TNEF),
        base64Part('application/octet-stream', 'leer.txt', Buffer.alloc(0)),
      ],
    );
    await h.sendRaw(raw);
    await h.settled();
    const message = await caseMessage('<files@customer.test>');
    const files = await h.db
      .selectFrom('case_attachments')
      .select(['id', 'filename', 'mime_type'])
      .where('message_id', '=', message.id)
      .orderBy('filename')
      .execute();
    expect(files.map((file) => file.mime_type).sort()).toEqual([
      'application/pdf',
      'application/vnd.ms-tnef',
      'image/png',
    ]);
    expect(files.map((file) => file.filename)).toEqual(
      expect.arrayContaining(['rechnung.pdf', 'winmail.dat']),
    );
    const image = files.find((file) => file.mime_type === 'image/png');
    expect(message.body_html).toContain(`src="/api/cases/attachments/${image?.id}/preview"`);
    expect(message.body_html).toContain('data-pw-remote-src="https://tracker.example/p.gif"');
    expect(message.body_html).toContain('<blockquote class="pw-quoted">');
    expect(message.body_html).not.toMatch(/<script|onclick|javascript:| src="https/);
    expect(message.body_html).toContain(
      '<a rel="noopener noreferrer" target="_blank" href="https://example.com">',
    );
    expect(message.body_text).toMatch(
      /Nicht an diesen Fall angehängt: tool\.exe \(Dateityp application\/x-msdownload ist nicht erlaubt\), leer\.txt \(leere Datei\)/,
    );
    expect((await inbound('<files@customer.test>')).reason).toBe(
      'attachments not kept: tool.exe (type_not_allowed), leer.txt (empty)',
    );
  });
});

describe('automatic mail', () => {
  it('ignores auto-replies, out-of-office and bulk mail: no case, no answer', async () => {
    const headers: Array<Record<string, string>> = [
      { 'Auto-Submitted': 'auto-replied' },
      { 'X-Autoreply': 'yes' },
      { 'X-Autorespond': 'vacation' },
      { Precedence: 'bulk' },
    ];
    for (const [index, extra] of headers.entries())
      await h.sendRaw(
        mail(
          {
            From: 'ooo@customer.test',
            Subject: 'Out of office',
            'Message-ID': `<auto-${index}@customer.test>`,
            ...extra,
          },
          'I am away.',
        ),
      );
    await h.settled();
    for (const index of headers.keys())
      expect(await inbound(`<auto-${index}@customer.test>`)).toMatchObject({
        status: 'ignored',
        case_id: null,
      });
    expect((await inbound('<auto-0@customer.test>')).reason).toBe(
      'auto-reply (Auto-Submitted: auto-replied)',
    );
    const customers = await h.db
      .selectFrom('customer_emails')
      .select('id')
      .where('address', '=', 'ooo@customer.test')
      .execute();
    expect(customers).toHaveLength(0);
    const outbox = await h.db
      .selectFrom('outbox_messages')
      .select('id')
      .where('to_address', '=', 'ooo@customer.test')
      .execute();
    expect(outbox).toHaveLength(0);
  });

  it('a bounce marks the customer address and the outgoing mail bounced, and opens nothing', async () => {
    const customer = await createCustomer(h.db);
    const outgoing = await h.db
      .insertInto('outbox_messages')
      .values({
        to_address: customer.email,
        from_address: 'service-de@pitwall.test',
        subject: 'Ihr Fall',
        text_body: 'Hallo',
        language: 'de',
        template: 'case_reply',
        status: 'sent',
        message_id: '<0b5f6c52-9a4e-4a63-9d0e-9b7d9f1c2a11@pitwall.test>',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const dsn = mail(
      {
        From: 'Mail Delivery System <MAILER-DAEMON@mx.customer.test>',
        Subject: 'Undelivered Mail Returned to Sender',
        'Message-ID': '<dsn-1@mx.customer.test>',
        'MIME-Version': '1.0',
        'Content-Type': 'multipart/report; report-type=delivery-status; boundary="r"',
      },
      [
        '--r',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.customer.test',
        '',
        `Final-Recipient: rfc822; ${customer.email}`,
        'Action: failed',
        'Status: 5.1.1',
        '',
        '--r',
        'Content-Type: text/rfc822-headers',
        '',
        `To: ${customer.email}`,
        'Message-ID: <0b5f6c52-9a4e-4a63-9d0e-9b7d9f1c2a11@pitwall.test>',
        'Subject: Ihr Fall',
        '',
        '--r--',
        '',
      ].join('\n'),
    );
    await h.sendRaw(dsn, { from: '' });
    await h.settled();
    expect(await inbound('<dsn-1@mx.customer.test>')).toMatchObject({ status: 'ignored', case_id: null });
    const address = await h.db
      .selectFrom('customer_emails')
      .select('bounced_at')
      .where('address', '=', customer.email)
      .executeTakeFirstOrThrow();
    expect(address.bounced_at).toBeInstanceOf(Date);
    const sent = await h.db
      .selectFrom('outbox_messages')
      .select('status')
      .where('id', '=', outgoing.id)
      .executeTakeFirstOrThrow();
    expect(sent.status).toBe('bounced');
  });
});

describe('the quarantine', () => {
  it('holds what cannot be processed with the reason; an admin views, downloads and reprocesses it after a fix, audited', async () => {
    const admin = await login(
      h.app,
      (await createStaff(h.db, { roles: ['admin'] })).email,
      'correct-horse-battery',
    );
    const agent = await login(
      h.app,
      (await createStaff(h.db, { roles: ['agent'] })).email,
      'correct-horse-battery',
    );
    // A rule the database enforces refuses this message (standing in for a bug fixed later).
    await sql`ALTER TABLE case_messages ADD CONSTRAINT test_no_boom CHECK (body_text NOT LIKE '%BOOM%')`.execute(
      h.db,
    );
    await h.sendRaw(
      mail(
        { From: 'ida@customer.test', Subject: 'Boom', 'Message-ID': '<boom@customer.test>' },
        'BOOM goes the charger',
      ),
    );
    await h.sendRaw(mail({ Subject: 'No sender', 'Message-ID': '<nofrom@customer.test>' }, 'Who am I?'));
    await h.settled();
    const boom = await inbound('<boom@customer.test>');
    expect(boom.status).toBe('quarantined');
    expect(boom.reason).toMatch(/test_no_boom/);
    expect(
      await h.db
        .selectFrom('inbound_emails')
        .select(['status', 'reason'])
        .where('raw_sha256', '!=', boom.raw_sha256)
        .where('status', '=', 'quarantined')
        .execute(),
    ).toEqual([{ status: 'quarantined', reason: 'no usable sender address in From' }]);

    expect((await agent.request('GET', '/api/channels/quarantine')).statusCode).toBe(403);
    const list = await admin.request('GET', '/api/channels/quarantine');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(boom.id);
    // Each reason explained in the admin's language, beside the stored one.
    const german = await login(
      h.app,
      (await createStaff(h.db, { roles: ['admin'], language: 'de' })).email,
      'correct-horse-battery',
    );
    const inGerman = (await german.request('GET', '/api/channels/quarantine')).json().items;
    expect(inGerman).toContainEqual(
      expect.objectContaining({
        reason: 'no usable sender address in From',
        reasonText: expect.stringContaining('keine verwendbare Adresse'),
      }),
    );
    expect(list.json().items).toContainEqual(
      expect.objectContaining({
        reason: 'no usable sender address in From',
        reasonText: expect.stringContaining('The From line has no usable sender address'),
      }),
    );
    const detail = await admin.request('GET', `/api/channels/quarantine/${boom.id}`);
    expect(detail.json()).toMatchObject({
      id: boom.id,
      status: 'quarantined',
      size: boom.size,
      mailbox: 'service-de@pitwall.test',
    });
    expect(detail.json().headers).toContainEqual({ name: 'Subject', value: 'Boom' });
    const raw = await admin.request('GET', detail.json().downloadUrl);
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.rawPayload.equals(boom.raw)).toBe(true);

    await sql`ALTER TABLE case_messages DROP CONSTRAINT test_no_boom`.execute(h.db);
    const again = await admin.request('POST', `/api/channels/quarantine/${boom.id}/reprocess`);
    expect(again.statusCode).toBe(202);
    await h.settled();
    expect(await inbound('<boom@customer.test>')).toMatchObject({ status: 'processed', reason: null });
    expect((await caseMessage('<boom@customer.test>')).body_text).toBe('BOOM goes the charger');
    expect(await auditCount(h.db, 'inbound_email.reprocessed')).toBe(1);
    expect(await auditCount(h.db, 'inbound_email.downloaded')).toBe(1);
    expect((await admin.request('POST', `/api/channels/quarantine/${boom.id}/reprocess`)).statusCode).toBe(
      409,
    );
  });
});
