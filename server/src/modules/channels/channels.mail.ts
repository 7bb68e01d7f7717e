// Outgoing mail. Every message is stored in the outbox first (in the caller's
// transaction); with SMTP_URL set, a job sends it and retries with backoff. Without
// SMTP the outbox is the destination and admins read it in the app.
import type { Executor } from '../../platform/database.js';
import type { Language } from '../../platform/i18n.js';
import { addJob } from '../../platform/jobs.js';
import type { OutboxAttachmentRef } from './channels.tables.js';
import { bracketed, domainOfAddress, newMessageId } from './email-out/email-out.headers.js';
import { renderNotice } from './email-out/email-out.templates.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Given: the caller rendered both parts. Absent: the text is laid out as a notice (both parts). */
  html?: string;
  language: Language;
  template: string;
  /** Sender; absent: MAIL_FROM. */
  from?: string;
  /** Absent: a new `<uuid@domain>` is generated. */
  messageId?: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Case attachments to send along, by reference; the bytes are read when the mail is sent. */
  attachments?: OutboxAttachmentRef[];
  caseId?: string | null;
  caseMessageId?: string | null;
}

export interface MailSettings {
  from: string;
  smtpUrl: string | null;
  /** Domain of generated Message-IDs: MAIL_DOMAIN, else PUBLIC_URL's host name. */
  domain?: string;
}

/** Send attempts before a mail is given up as failed (graphile-worker backs off between them). */
export const SEND_ATTEMPTS = 8;

export function messageIdDomain(settings: MailSettings): string {
  return settings.domain ?? domainOfAddress(settings.from) ?? 'pitwall.local';
}

export async function queueMail(db: Executor, settings: MailSettings, mail: OutgoingMail): Promise<string> {
  const parts =
    mail.html === undefined
      ? renderNotice({ language: mail.language, subject: mail.subject, text: mail.text })
      : { text: mail.text, html: mail.html };
  const row = await db
    .insertInto('outbox_messages')
    .values({
      to_address: mail.to,
      from_address: mail.from ?? settings.from,
      subject: mail.subject,
      text_body: parts.text,
      html_body: parts.html,
      language: mail.language,
      template: mail.template,
      status: settings.smtpUrl ? 'queued' : 'outbox',
      message_id: mail.messageId ? bracketed(mail.messageId) : newMessageId(messageIdDomain(settings)),
      in_reply_to: mail.inReplyTo ? bracketed(mail.inReplyTo) : null,
      reference_ids: (mail.references ?? []).map(bracketed),
      attachments: JSON.stringify(mail.attachments ?? []),
      case_id: mail.caseId ?? null,
      case_message_id: mail.caseMessageId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (settings.smtpUrl)
    await addJob(db, 'channels.send_mail', { outboxId: row.id }, { maxAttempts: SEND_ATTEMPTS });
  return row.id;
}
