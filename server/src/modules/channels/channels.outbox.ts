// Reading the outbox: the admin's list and mail view, the delivery state of a case's
// mails for the case page, and the bounce mark the receiving side sets.
import type { Static } from 'typebox';
import type { Executor } from '../../platform/database.js';
import type { Delivery, OutboxMessage, OutboxQuery, OutboxSummary } from './channels.schemas.js';
import type { OutboxMessageRow, OutboxStatus } from './channels.tables.js';
import { bracketed } from './email-out/email-out.headers.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toSummary(row: OutboxMessageRow): Static<typeof OutboxSummary> {
  return {
    id: row.id,
    to: row.to_address,
    from: row.from_address,
    subject: row.subject,
    template: row.template,
    status: row.status,
    lastError: row.last_error,
    attempts: row.attempts,
    caseId: row.case_id,
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
  };
}

export async function listOutbox(
  db: Executor,
  filters: Static<typeof OutboxQuery>,
): Promise<Static<typeof OutboxSummary>[]> {
  let query = db.selectFrom('outbox_messages').selectAll().orderBy('created_at', 'desc').limit(200);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.caseId) query = query.where('case_id', '=', filters.caseId);
  if (filters.to) {
    const pattern = `%${filters.to.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where('to_address', 'ilike', pattern);
  }
  return (await query.execute()).map(toSummary);
}

export async function outboxMessage(db: Executor, id: string): Promise<Static<typeof OutboxMessage> | null> {
  const row = await db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    ...toSummary(row),
    text: row.text_body,
    html: row.html_body,
    language: row.language,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: row.reference_ids,
    caseMessageId: row.case_message_id,
    failedAt: iso(row.failed_at),
    attachments: row.attachments.map((file) => ({
      ...file,
      url: `/api/cases/attachments/${file.attachmentId}`,
    })),
  };
}

/** The mails that carried a case's messages, newest first; the case page marks failed ones. */
export async function deliveriesOfCase(db: Executor, caseId: string): Promise<Static<typeof Delivery>[]> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select([
      'id',
      'case_message_id',
      'to_address',
      'status',
      'last_error',
      'attempts',
      'sent_at',
      'failed_at',
    ])
    .where('case_id', '=', caseId)
    .where('case_message_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    outboxId: row.id,
    caseMessageId: row.case_message_id ?? '',
    to: row.to_address,
    status: row.status,
    lastError: row.last_error,
    attempts: row.attempts,
    sentAt: iso(row.sent_at),
    failedAt: iso(row.failed_at),
  }));
}

/**
 * For the receiving side: a bounce report (DSN) named this Message-ID. Returns the mail's
 * case and case message, or null when the id is not one of ours.
 */
export async function markOutboxBounced(
  db: Executor,
  input: { messageId: string; reason: string },
): Promise<{ outboxId: string; caseId: string | null; caseMessageId: string | null } | null> {
  const status: OutboxStatus = 'bounced';
  const row = await db
    .updateTable('outbox_messages')
    .set({ status, last_error: input.reason.slice(0, 2000), failed_at: new Date() })
    .where('message_id', '=', bracketed(input.messageId))
    .returning(['id', 'case_id', 'case_message_id'])
    .executeTakeFirst();
  return row ? { outboxId: row.id, caseId: row.case_id, caseMessageId: row.case_message_id } : null;
}
