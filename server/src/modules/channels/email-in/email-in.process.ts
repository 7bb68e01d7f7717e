// Turning a stored raw mail into a case message (job `channels.process_inbound_email`):
// parse, drop automatic mail (bounces mark the address and the outgoing mail), match the
// sender to a customer, thread, keep the attachments, sanitise, hand over to cases.
// Whatever cannot be processed is quarantined with the reason; nothing is ever deleted.
import { createHash } from 'node:crypto';
import type { Task } from 'graphile-worker';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import type { Db } from '../../../platform/database.js';
import { AppError } from '../../../platform/errors.js';
import { translator } from '../../../platform/i18n.js';
import { type EmailHeaders, receiveInboundMessage } from '../../cases/index.js';
import { contactForEmail, markEmailBounced } from '../../customers/index.js';
import { systemContext } from '../../identity/index.js';
import { markOutboxBounced } from '../channels.outbox.js';
import { type NotKept, storeMailAttachments } from './email-in.attachments.js';
import { type Classification, classifyMail } from './email-in.classify.js';
import { splitQuotedText } from './email-in.quotes.js';
import { sanitiseEmailHtml } from './email-in.sanitise.js';
import { PROCESS_TASK } from './email-in.store.js';
import type { InboundEnvelope, InboundStatus } from './email-in.tables.js';
import {
  caseNumberInSubject,
  caseOfReferences,
  isKnownMessage,
  referencedMessageIds,
} from './email-in.threading.js';

/** Longest text handed to cases: PostgreSQL's full-text index refuses about 1 MB per message. */
const MAX_TEXT = 200_000;
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class QuarantineError extends Error {}

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, {
    keepCidLinks: true,
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    keepDeliveryStatus: true,
    checksumAlgo: false,
    maxHtmlLengthToParse: 2_000_000,
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: PostgreSQL text cannot hold NUL
const clean = (value: string) => value.replace(/\u0000/g, '');

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  return [value ?? []].flat().flatMap((group) => group.value.flatMap((a) => (a.address ? [a.address] : [])));
}

/** The Message-ID, or for a mail without one an id from the hash of its body (headers differ per hop). */
function externalIdOf(parsed: ParsedMail, raw: Buffer): string {
  if (parsed.messageId && parsed.messageId.length <= 900) return clean(parsed.messageId);
  const separator = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const body = separator >= 0 ? raw.subarray(separator) : raw;
  return `<body-sha256-${createHash('sha256').update(body).digest('hex')}@pitwall.invalid>`;
}

function notKeptNotice(language: 'de' | 'en', notKept: NotKept[]): string {
  const t = translator(language);
  const list = notKept
    .map(
      (file) => `${file.filename} (${t(`email_in.not_kept.${file.reason}`, { type: file.detail ?? '?' })})`,
    )
    .join(', ');
  return t('email_in.attachments_not_kept', { list });
}

async function finish(
  db: Db,
  id: string,
  update: {
    status: InboundStatus;
    reason?: string | null;
    caseId?: string | null;
    messageId?: string | null;
  },
): Promise<void> {
  await db
    .updateTable('inbound_emails')
    .set({
      status: update.status,
      reason: update.reason ? clean(update.reason).slice(0, 4000) : null,
      case_id: update.caseId ?? null,
      ...(update.messageId !== undefined ? { message_id: update.messageId } : {}),
      processed_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'received')
    .execute();
}

async function handleBounce(
  db: Db,
  classification: Extract<Classification, { kind: 'bounce' }>,
): Promise<string> {
  let marked = 0;
  for (const address of classification.failedRecipients) marked += await markEmailBounced(db, address);
  const outbox: string[] = [];
  for (const messageId of classification.originalMessageIds) {
    const hit = await markOutboxBounced(db, { messageId, reason: classification.reason });
    if (hit) outbox.push(hit.outboxId);
  }
  const recipients = classification.failedRecipients.join(', ') || 'unknown recipient';
  return `${classification.reason}: ${recipients}; ${marked} customer address(es) and ${outbox.length} outgoing mail(s) marked bounced`;
}

/** Processes one stored mail; a failure carries the mail's Message-ID (for the quarantine list). */
export async function processInboundEmail(db: Db, id: string): Promise<void> {
  let messageId: string | null = null;
  try {
    await processStored(db, id, (known) => {
      messageId = known;
    });
  } catch (error) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      inboundMessageId: messageId,
    });
  }
}

async function processStored(db: Db, id: string, identified: (messageId: string) => void): Promise<void> {
  const row = await db
    .selectFrom('inbound_emails')
    .innerJoin('email_mailboxes', 'email_mailboxes.id', 'inbound_emails.mailbox_id')
    .select(['inbound_emails.raw', 'inbound_emails.status', 'inbound_emails.envelope'])
    .select(['email_mailboxes.market', 'email_mailboxes.language', 'email_mailboxes.address as mailbox'])
    .where('inbound_emails.id', '=', id)
    .executeTakeFirst();
  if (row?.status !== 'received') return;
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(row.raw);
  } catch (error) {
    throw new QuarantineError(`unparseable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const envelope = row.envelope as InboundEnvelope;
  const externalId = externalIdOf(parsed, row.raw);
  identified(externalId);
  const classification = classifyMail(parsed, row.raw, envelope.mailFrom);
  if (classification.kind === 'bounce') {
    const reason = await handleBounce(db, classification);
    return finish(db, id, { status: 'ignored', reason, messageId: externalId });
  }
  if (classification.kind === 'auto')
    return finish(db, id, { status: 'ignored', reason: classification.reason, messageId: externalId });
  const sender = parsed.from?.value.find((entry) => entry.address && ADDRESS.test(entry.address));
  if (!sender?.address) throw new QuarantineError('no usable sender address in From');
  const known = await isKnownMessage(db, externalId);
  if (known)
    return finish(db, id, {
      status: 'processed',
      reason: 'duplicate: already on the case',
      caseId: known,
      messageId: externalId,
    });

  const contact = await contactForEmail(db, systemContext, {
    address: sender.address,
    displayName: sender.name ? clean(sender.name).slice(0, 200) : null,
    market: row.market,
    language: row.language,
  });
  const references = referencedMessageIds(parsed.inReplyTo ?? null, [parsed.references ?? []].flat());
  const subject = clean(parsed.subject ?? '')
    .trim()
    .slice(0, 250);
  const caseRef = (await caseOfReferences(db, references)) ?? caseNumberInSubject(subject);
  const files = await storeMailAttachments(db, parsed.attachments);
  const split = splitQuotedText(clean(parsed.text ?? '').slice(0, MAX_TEXT));
  const notice = files.notKept.length > 0 ? notKeptNotice(row.language, files.notKept) : null;
  const bodyText = [split.body, notice].filter(Boolean).join('\n\n');
  const bodyHtml = parsed.html
    ? sanitiseEmailHtml(clean(parsed.html), { inlineImages: files.inlineImages })
    : null;
  const email: EmailHeaders = {
    messageId: parsed.messageId ? externalId : null,
    inReplyTo: parsed.inReplyTo ? clean(parsed.inReplyTo).slice(0, 900) : null,
    references,
    from: sender.address,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject,
  };
  const result = await receiveInboundMessage(db, {
    channel: 'email',
    externalId,
    customerId: contact.customerId,
    subject: subject || translator(row.language)('email_in.no_subject'),
    bodyText: bodyText || translator(row.language)('email_in.empty_body'),
    bodyHtml: bodyHtml && bodyHtml.trim() !== '' ? bodyHtml : null,
    quotedText: split.quoted,
    email,
    caseRef,
    attachmentIds: files.ids,
  });
  const notes = [
    result.duplicate ? 'duplicate: already on the case' : null,
    files.notKept.length > 0
      ? `attachments not kept: ${files.notKept.map((f) => `${f.filename} (${f.reason})`).join(', ')}`
      : null,
  ].filter(Boolean);
  await finish(db, id, {
    status: 'processed',
    reason: notes.join('; ') || null,
    caseId: result.caseId,
    messageId: externalId,
  });
}

export async function quarantine(
  db: Db,
  id: string,
  reason: string,
  messageId: string | null,
): Promise<void> {
  await finish(db, id, { status: 'quarantined', reason, ...(messageId ? { messageId } : {}) });
}

/** PostgreSQL refused the data itself (bad encoding, a check, a size limit): retrying cannot help.
 * A unique violation (23505) is a race and is retried. */
function refusedData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code) && code !== '23505';
}

/** The job: retried with backoff on unexpected errors; quarantined when it cannot succeed. */
export function processInboundTask(db: Db, log: Logger): Task {
  return async (payload, helpers) => {
    const { inboundEmailId } = payload as { inboundEmailId: string };
    try {
      await processInboundEmail(db, inboundEmailId);
    } catch (error) {
      const permanent =
        error instanceof QuarantineError ||
        (error instanceof AppError && error.status < 500) ||
        refusedData(error);
      const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
      if (!permanent && !lastAttempt) throw error;
      const reason =
        error instanceof AppError ? `rejected by cases: ${error.code}` : (error as Error).message;
      log.warn({ inboundEmailId, reason }, 'inbound mail quarantined');
      await quarantine(
        db,
        inboundEmailId,
        reason,
        (error as { inboundMessageId?: string | null }).inboundMessageId ?? null,
      );
    }
  };
}

export const emailInTaskName = PROCESS_TASK;
