// An agent's public reply as a mail in the customer's thread: sent from the market's service
// mailbox (so the customer's answer comes back to it), answering the customer's latest mail,
// with the case number in the subject, the agent's signature and the reply's files.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.js';
import { type Language, translator } from '../../../platform/i18n.js';
import { type MailSettings, messageIdDomain, queueMail } from '../channels.mail.js';
import type { OutboxAttachmentRef } from '../channels.tables.js';
import { newMessageId, replySubject, type ThreadParent, threadHeaders } from './email-out.headers.js';
import { renderReply } from './email-out.templates.js';

function withDisplayName(name: string, address: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

/**
 * The market's service mailbox (`email_mailboxes`, kept by the receiving side, so the
 * customer's answer comes back in) with a display name in the mail's language; MAIL_FROM
 * when the market has none. A mailbox of the mail's language is preferred. A disabled mailbox
 * is never the sender: the receiver refuses mail to it, so the customer's answer would bounce.
 */
export async function senderForMarket(
  db: Executor,
  settings: MailSettings,
  market: string,
  language: Language,
): Promise<string> {
  const mailbox = await db
    .selectFrom('email_mailboxes')
    .select('address')
    .where('market', '=', market.toUpperCase())
    .where('enabled', '=', true)
    .orderBy(sql`language = ${language}`, 'desc')
    .orderBy('address')
    .executeTakeFirst();
  if (!mailbox) return settings.from;
  return withDisplayName(translator(language)('mail.layout.senderName'), mailbox.address);
}

export interface CaseReplyMail {
  to: string;
  language: Language;
  market: string;
  caseId: string;
  caseNumber: string;
  caseSubject: string;
  caseMessageId: string;
  author: string;
  text: string;
  portalLink: string;
  /** The mail this reply answers (the customer's latest), or null when there is none. */
  parent: ThreadParent | null;
  attachments: OutboxAttachmentRef[];
}

/** The headers as they were sent, for the case message (`case_messages.email`). */
export interface SentHeaders {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: string;
  to: string[];
  cc: string[];
  subject: string;
}

/**
 * Queues the reply mail once per case message and recipient (a handler that runs twice
 * queues nothing the second time) and returns the headers it will carry, or null if queued before.
 */
export async function queueCaseReply(
  db: Executor,
  settings: MailSettings,
  input: CaseReplyMail,
): Promise<{ outboxId: string; headers: SentHeaders } | null> {
  const earlier = await db
    .selectFrom('outbox_messages')
    .select('id')
    .where('case_message_id', '=', input.caseMessageId)
    .where('to_address', '=', input.to)
    .executeTakeFirst();
  if (earlier) return null;
  const from = await senderForMarket(db, settings, input.market, input.language);
  const subject = replySubject(input.caseSubject, input.caseNumber);
  const thread = threadHeaders(input.parent);
  const messageId = newMessageId(messageIdDomain(settings));
  const rendered = renderReply({
    language: input.language,
    subject,
    text: input.text,
    author: input.author,
    caseNumber: input.caseNumber,
    portalLink: input.portalLink,
  });
  const outboxId = await queueMail(db, settings, {
    to: input.to,
    subject,
    text: rendered.text,
    html: rendered.html,
    language: input.language,
    template: 'case.staff_reply',
    from,
    messageId,
    inReplyTo: thread.inReplyTo,
    references: thread.references,
    attachments: input.attachments,
    caseId: input.caseId,
    caseMessageId: input.caseMessageId,
  });
  return {
    outboxId,
    headers: {
      messageId,
      inReplyTo: thread.inReplyTo,
      references: thread.references,
      from,
      to: [input.to],
      cc: [],
      subject,
    },
  };
}
