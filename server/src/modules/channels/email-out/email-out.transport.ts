// Sends one outbox mail by SMTP. The job retries with graphile-worker's exponential backoff;
// the outbox row carries the attempt count and the last error all along, and becomes `failed`
// when the last attempt fails, which the outbox view and the case page show.
import type { Task } from 'graphile-worker';
import nodemailer from 'nodemailer';
import type { Db, Executor } from '../../../platform/database.js';
import type { MailSettings } from '../channels.mail.js';
import type { OutboxMessageRow } from '../channels.tables.js';

export interface AttachmentContent {
  id: string;
  filename: string;
  mimeType: string;
  content: Buffer;
}

/** Reads the files of a case message (the cases module's `attachmentContents`, wired in jobs.ts). */
export type AttachmentLoader = (db: Executor, caseMessageId: string) => Promise<AttachmentContent[]>;

/** A failure no retry can fix (a file that no longer exists): the mail fails at once. */
class UnsendableMailError extends Error {}

async function attachmentsOf(
  db: Db,
  message: OutboxMessageRow,
  load: AttachmentLoader | undefined,
): Promise<AttachmentContent[]> {
  if (message.attachments.length === 0) return [];
  if (!load || !message.case_message_id)
    throw new UnsendableMailError('attachments cannot be read: no attachment source is configured');
  const files = new Map((await load(db, message.case_message_id)).map((file) => [file.id, file]));
  return message.attachments.map((ref) => {
    const file = files.get(ref.attachmentId);
    if (!file)
      throw new UnsendableMailError(`attachment ${ref.filename} (${ref.attachmentId}) no longer exists`);
    return file;
  });
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

export function sendMailTask(
  db: Db,
  settings: MailSettings,
  sources: { attachmentContents?: AttachmentLoader } = {},
): Task {
  const transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : null;
  return async (payload, helpers) => {
    // `messageId` is the outbox row id in jobs queued before `outboxId` existed.
    const { outboxId, messageId } = payload as { outboxId?: string; messageId?: string };
    const id = outboxId ?? messageId ?? '';
    const message = await db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!message || !transport || message.status === 'sent' || message.status === 'bounced') return;
    const attempt = helpers.job.attempts;
    try {
      const files = await attachmentsOf(db, message, sources.attachmentContents);
      await transport.sendMail({
        from: message.from_address,
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body ?? undefined,
        messageId: message.message_id,
        inReplyTo: message.in_reply_to ?? undefined,
        references: message.reference_ids.length > 0 ? message.reference_ids : undefined,
        attachments: files.map((file) => ({
          filename: file.filename,
          content: file.content,
          contentType: file.mimeType,
        })),
        // System notices must not trigger vacation replies (RFC 3834); an agent's reply may.
        headers: message.case_message_id ? {} : { 'Auto-Submitted': 'auto-generated' },
      });
      await db
        .updateTable('outbox_messages')
        .set({ status: 'sent', sent_at: new Date(), last_error: null, attempts: attempt, failed_at: null })
        .where('id', '=', message.id)
        .execute();
    } catch (error) {
      const final = error instanceof UnsendableMailError || attempt >= helpers.job.max_attempts;
      await db
        .updateTable('outbox_messages')
        .set({
          last_error: describe(error),
          attempts: attempt,
          status: final ? 'failed' : 'queued',
          failed_at: final ? new Date() : null,
        })
        .where('id', '=', message.id)
        .execute();
      if (error instanceof UnsendableMailError) {
        helpers.logger.error(`outbox ${message.id} cannot be sent: ${error.message}`);
        return;
      }
      throw error;
    }
  };
}
