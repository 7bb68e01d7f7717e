// What admins see of mail that could not become a case message, and the way back in:
// reprocessing (after a fix) puts the mail through the same job again. Audited.
import type { Db } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { type RequestContext, recordAudit } from '../../identity/index.js';
import { queueProcessing } from './email-in.store.js';
import type { InboundStatus } from './email-in.tables.js';

export interface QuarantinedSummary {
  id: string;
  mailbox: string;
  source: 'smtp' | 'imap';
  status: InboundStatus;
  reason: string | null;
  size: number;
  messageId: string | null;
  receivedAt: string;
}

export interface QuarantinedMail extends QuarantinedSummary {
  headers: Array<{ name: string; value: string }>;
  envelope: unknown;
  downloadUrl: string;
}

const HEADER_BYTES = 64 * 1024;

export async function listQuarantine(
  db: Db,
  filters: { status?: InboundStatus; limit?: number },
): Promise<QuarantinedSummary[]> {
  const rows = await db
    .selectFrom('inbound_emails')
    .innerJoin('email_mailboxes', 'email_mailboxes.id', 'inbound_emails.mailbox_id')
    .select(['inbound_emails.id', 'inbound_emails.source', 'inbound_emails.status', 'inbound_emails.reason'])
    .select(['inbound_emails.size', 'inbound_emails.message_id', 'inbound_emails.received_at'])
    .select('email_mailboxes.address as mailbox')
    .where('inbound_emails.status', '=', filters.status ?? 'quarantined')
    .orderBy('inbound_emails.received_at', 'desc')
    .limit(filters.limit ?? 200)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    mailbox: row.mailbox,
    source: row.source,
    status: row.status,
    reason: row.reason,
    size: row.size,
    messageId: row.message_id,
    receivedAt: row.received_at.toISOString(),
  }));
}

/** The header lines as sent (unfolded), read from the head of the raw mail without decoding it. */
function rawHeaders(head: Buffer): Array<{ name: string; value: string }> {
  const text = head.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const unfolded = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  return unfolded
    .split(/\r?\n/)
    .map((line) => /^([^:\s]{1,100}):\s?(.*)$/.exec(line))
    .flatMap((match) => (match ? [{ name: match[1] ?? '', value: (match[2] ?? '').slice(0, 2000) }] : []))
    .slice(0, 200);
}

export async function quarantinedMail(db: Db, id: string): Promise<QuarantinedMail> {
  const row = await db
    .selectFrom('inbound_emails')
    .innerJoin('email_mailboxes', 'email_mailboxes.id', 'inbound_emails.mailbox_id')
    .select(['inbound_emails.id', 'inbound_emails.source', 'inbound_emails.status', 'inbound_emails.reason'])
    .select(['inbound_emails.size', 'inbound_emails.message_id', 'inbound_emails.received_at'])
    .select(['inbound_emails.envelope', 'email_mailboxes.address as mailbox'])
    .select((eb) =>
      eb.fn<Buffer>('substring', ['inbound_emails.raw', eb.val(1), eb.val(HEADER_BYTES)]).as('head'),
    )
    .where('inbound_emails.id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('inbound_email');
  return {
    id: row.id,
    mailbox: row.mailbox,
    source: row.source,
    status: row.status,
    reason: row.reason,
    size: row.size,
    messageId: row.message_id,
    receivedAt: row.received_at.toISOString(),
    headers: rawHeaders(row.head),
    envelope: row.envelope,
    downloadUrl: `/api/channels/quarantine/${row.id}/raw`,
  };
}

export async function rawMail(db: Db, id: string): Promise<Buffer> {
  const row = await db.selectFrom('inbound_emails').select('raw').where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('inbound_email');
  return row.raw;
}

/** Puts a quarantined (or ignored) mail through processing again; the raw mail is unchanged. */
export async function reprocessMail(db: Db, context: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inbound_emails')
      .select(['id', 'status', 'reason', 'raw'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw errors.notFound('inbound_email');
    if (row.status !== 'quarantined' && row.status !== 'ignored')
      throw errors.conflict('inbound_email_not_reprocessable', { status: row.status });
    await trx
      .updateTable('inbound_emails')
      .set({ status: 'received', reason: null, processed_at: null })
      .where('id', '=', id)
      .execute();
    await queueProcessing(trx, id, row.raw);
    await recordAudit(trx, context, {
      action: 'inbound_email.reprocessed',
      entityType: 'inbound_email',
      entityId: id,
      before: { status: row.status, reason: row.reason },
      after: { status: 'received' },
    });
  });
}
