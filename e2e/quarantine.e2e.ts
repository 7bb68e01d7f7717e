// An admin works the mail quarantine: a mail without a usable sender is listed with its reason
// and can be downloaded; a mail that failed for a cause since fixed is processed again from the
// page and leaves the quarantine for a case.

import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import { storeInboundEmail } from '../server/src/modules/channels/email-in/index.js';
import { createDb, type Db } from '../server/src/platform/database.js';
import { launchBrowser, newPage, signIn } from './browser.js';

const baseUrl = inject('baseUrl');
const admin = demoStaff.find((member) => member.role === 'admin');
const stamp = Date.now();
let browser: Browser;
let db: Db;
let fixableId: string;

const mail = (headers: string[], body: string) => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`);

beforeAll(async () => {
  db = createDb(inject('databaseUrl'), { max: 2 });
  const mailbox = await db
    .selectFrom('email_mailboxes')
    .select('id')
    .where('market', '=', 'DE')
    .orderBy('address')
    .executeTakeFirstOrThrow();
  // Stored as the receiver stores it; the server's worker finds no sender and quarantines it.
  const senderless = await storeInboundEmail(db, {
    mailboxId: mailbox.id,
    source: 'smtp',
    raw: mail(
      [
        `To: service-de@pitwall.local`,
        `Subject: Ohne Absender ${stamp}`,
        `Message-ID: <nosender-${stamp}@e2e.test>`,
      ],
      'Wer hat das geschickt?',
    ),
    envelope: { mailFrom: null, rcptTo: ['service-de@pitwall.local'] },
  });
  // A good mail that was quarantined for a cause since fixed (say, the database was full).
  const fixable = await db
    .insertInto('inbound_emails')
    .values({
      mailbox_id: mailbox.id,
      source: 'smtp',
      raw: mail(
        [
          `From: Erika Fix <erika.fix-${stamp}@customer.test>`,
          'To: service-de@pitwall.local',
          `Subject: Ladekabel klemmt ${stamp}`,
          `Message-ID: <fixable-${stamp}@e2e.test>`,
          'Content-Type: text/plain; charset=utf-8',
        ],
        'Das Ladekabel lässt sich nicht mehr abziehen.',
      ),
      raw_sha256: `e2e-fixable-${stamp}`,
      size: 300,
      status: 'quarantined',
      reason: 'e2e: could not write to the database (disk full)',
      envelope: JSON.stringify({
        mailFrom: `erika.fix-${stamp}@customer.test`,
        rcptTo: ['service-de@pitwall.local'],
      }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  fixableId = fixable.id;
  // Wait until the worker has quarantined the senderless mail.
  for (let attempt = 0; attempt < 200; attempt++) {
    const row = await db
      .selectFrom('inbound_emails')
      .select('status')
      .where('id', '=', senderless.id)
      .executeTakeFirstOrThrow();
    if (row.status === 'quarantined') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe('mail quarantine', () => {
  it('lists a quarantined mail with its reason, and processes a fixed one again onto a case', async () => {
    if (!admin) throw new Error('no demo admin');
    const page = await newPage(browser, baseUrl, 'en-GB');
    await signIn(page, admin.email, DEMO_PASSWORD);
    await page.getByTestId('nav-quarantine').click();
    await page.waitForURL('**/agent/admin/quarantine');

    const rows = page.getByTestId('quarantine-row');
    const senderless = rows.filter({ hasText: 'no usable sender address in From' });
    await senderless.first().waitFor();
    // Explained in the admin's language, the stored reason beside it.
    await senderless
      .first()
      .getByText('The From line has no usable sender address', { exact: false })
      .waitFor();
    expect(await senderless.first().getByTestId('quarantine-reason-stored').textContent()).toBe(
      'no usable sender address in From',
    );
    const download = senderless.first().getByRole('link', { name: 'Download .eml' });
    const href = await download.getAttribute('href');
    const raw = await page.evaluate(async (url) => (await fetch(url as string)).text(), href);
    expect(raw).toContain(`Subject: Ohne Absender ${stamp}`);

    const fixable = rows.filter({ hasText: 'disk full' });
    await fixable.first().waitFor();
    await fixable.first().getByTestId('quarantine-reprocess').click();
    await page.getByText('The mail was processed again.').waitFor();
    // It leaves the list, and it is a message on a case now.
    await expect.poll(() => fixable.count(), { timeout: 15_000 }).toBe(0);
    // Leaving the list means it is queued again; the worker then puts it on a case.
    const processedRow = () =>
      db
        .selectFrom('inbound_emails')
        .select(['status', 'case_id'])
        .where('id', '=', fixableId)
        .executeTakeFirstOrThrow();
    await expect.poll(async () => (await processedRow()).status, { timeout: 15_000 }).toBe('processed');
    const processed = await processedRow();
    expect(processed.case_id).toBeTruthy();
    const subject = await sql<{
      subject: string;
    }>`SELECT subject FROM cases WHERE id = ${processed.case_id}`.execute(db);
    expect(subject.rows[0]?.subject).toContain(`Ladekabel klemmt ${stamp}`);
    // The senderless one stays, with its reason, until someone deals with it.
    expect(await senderless.count()).toBe(1);
    await page.context().close();
  });
});
