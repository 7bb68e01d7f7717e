// Outgoing mail. Every message is stored in the outbox first (in the caller's
// transaction); with SMTP_URL set, a job sends it and retries with backoff. Without
// SMTP the outbox is the destination and admins read it in the app.
import type { Task } from 'graphile-worker';
import nodemailer from 'nodemailer';
import type { Db, Executor } from '../../platform/database.js';
import type { Language } from '../../platform/i18n.js';
import { addJob } from '../../platform/jobs.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  language: Language;
  template: string;
}

export interface MailSettings {
  from: string;
  smtpUrl: string | null;
}

export async function queueMail(db: Executor, settings: MailSettings, mail: OutgoingMail): Promise<string> {
  const row = await db
    .insertInto('outbox_messages')
    .values({
      to_address: mail.to,
      from_address: settings.from,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      language: mail.language,
      template: mail.template,
      status: settings.smtpUrl ? 'queued' : 'outbox',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (settings.smtpUrl) await addJob(db, 'channels.send_mail', { messageId: row.id }, { maxAttempts: 8 });
  return row.id;
}

export function sendMailTask(db: Db, settings: MailSettings): Task {
  const transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : null;
  return async (payload) => {
    const { messageId } = payload as { messageId: string };
    const message = await db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!message || message.status === 'sent' || !transport) return;
    try {
      await transport.sendMail({
        from: message.from_address,
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body ?? undefined,
        messageId: `<${message.id}@pitwall>`,
      });
      await db
        .updateTable('outbox_messages')
        .set({ status: 'sent', sent_at: new Date(), last_error: null })
        .where('id', '=', messageId)
        .execute();
    } catch (error) {
      await db
        .updateTable('outbox_messages')
        .set({ last_error: String(error) })
        .where('id', '=', messageId)
        .execute();
      throw error;
    }
  };
}
