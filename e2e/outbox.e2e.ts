// An admin reads a failed reply mail in the outbox as in a mail client: the header block, the
// HTML part in a frame without any permission, the text part, the attachment, the error, and
// on the case the reply is marked as not delivered.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import { storeAttachment } from '../server/src/modules/cases/attachments/index.js';
import { queueMail } from '../server/src/modules/channels/index.js';
import { createDb, type Db } from '../server/src/platform/database.js';
import { launchBrowser, newPage, signIn } from './browser.js';

const baseUrl = inject('baseUrl');
const admin = demoStaff.find((member) => member.role === 'admin');
const recipient = `outbox-e2e-${Date.now()}@customer.test`;
let browser: Browser;
let db: Db;
let caseId: string;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'), { max: 2 });
  // A public staff reply of a demo case: its mail failed, which the case page must show.
  const reply = await db
    .selectFrom('case_messages')
    .select(['id', 'case_id'])
    .where('author_kind', '=', 'staff')
    .where('kind', '=', 'reply')
    .where('internal', '=', false)
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  caseId = reply.case_id;
  const file = await storeAttachment(db, {
    filename: 'invoice.txt',
    content: Buffer.from('Invoice 4711'),
    uploadedBy: null,
  });
  const id = await queueMail(
    db,
    { from: 'Pitwall <no-reply@pitwall.local>', smtpUrl: null },
    {
      to: recipient,
      subject: 'Re: Wallbox [PW-2026-000001]',
      text: 'Please restart the wallbox.',
      html: '<p>Please restart the <b>wallbox</b>.</p>',
      language: 'en',
      template: 'case.staff_reply',
      inReplyTo: '<customer-1@customer.test>',
      attachments: [{ attachmentId: file.id, filename: 'invoice.txt', mimeType: 'text/plain', size: 12 }],
      caseId,
      caseMessageId: reply.id,
    },
  );
  await db
    .updateTable('outbox_messages')
    .set({ status: 'failed', attempts: 8, last_error: '550 5.1.1 user unknown' })
    .where('id', '=', id)
    .execute();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe('the outbox', () => {
  it('lists failed mail by recipient, shows it like a mail client, and the case marks the reply', async () => {
    const page = await newPage(browser, baseUrl);
    await signIn(page, admin?.email ?? '', DEMO_PASSWORD);
    await page.waitForURL('**/agent/**');
    await page.goto('/agent/admin/outbox?status=failed');
    await page.getByTestId('outbox-filter-to').fill(recipient.slice(0, 20).toUpperCase());
    await expect.poll(() => page.getByTestId('outbox-row').count()).toBe(1);
    await page.getByTestId('outbox-row').first().click();

    await page.getByTestId('outbox-message').waitFor();
    await expect(page.getByTestId('outbox-to').textContent()).resolves.toBe(recipient);
    await expect(page.getByTestId('outbox-from').textContent()).resolves.toBe(
      'Pitwall <no-reply@pitwall.local>',
    );
    await expect(page.getByTestId('outbox-error').textContent()).resolves.toContain('550 5.1.1 user unknown');
    const frame = page.getByTestId('outbox-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect
      .poll(() => page.frameLocator('[data-testid=outbox-html]').locator('b').textContent())
      .toBe('wallbox');
    await page.getByTestId('outbox-part').getByText('Plain text').click();
    await expect(page.getByTestId('outbox-text').textContent()).resolves.toContain(
      'Please restart the wallbox.',
    );
    await expect(page.getByTestId('outbox-attachments').textContent()).resolves.toContain('invoice.txt');
    await page.getByTestId('outbox-case-link').click();
    await page.waitForURL(`**/agent/cases/**`);
    const marker = page.getByTestId('delivery-failed');
    await expect.poll(() => marker.count()).toBe(1);
    await expect(marker.textContent()).resolves.toBe('Email not delivered: 550 5.1.1 user unknown');
    await page.context().close();
  });
});
