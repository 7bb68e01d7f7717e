// Turning a stored raw mail into a case message (job `channels.process_inbound_email`):
// parse, drop automatic mail (bounces mark the address and the outgoing mail), match the
// sender to a customer, thread, keep the attachments, sanitise, hand over to cases.
// Whatever cannot be processed is quarantined with the reason; nothing is ever deleted.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import type { Db, Executor, Transaction } from '../../../platform/database.js';
import { AppError } from '../../../platform/errors.js';
import { GuardMissed } from '../../../platform/events.js';
import { translator } from '../../../platform/i18n.js';
import {
  claimInboundMessages,
  type EmailHeaders,
  type InboundResult,
  receiveInboundMessage,
} from '../../cases/index.js';
import {
  type CustomerContact,
  contactsForEmails,
  type EmailContactInput,
  markEmailBounced,
} from '../../customers/index.js';
import { systemContext } from '../../identity/index.js';
import { markOutboxBounced } from '../channels.outbox.js';
import { type NotKept, storeMailAttachments } from './email-in.attachments.js';
import { type Classification, classifyMail } from './email-in.classify.js';
import { splitQuotedText } from './email-in.quotes.js';
import { sanitiseEmailHtml } from './email-in.sanitise.js';
import type { InboundEnvelope, InboundStatus } from './email-in.tables.js';
import {
  caseNumberInSubject,
  caseOfReferences,
  casesOfMessageIds,
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

function statusUpdate(update: FinalStatus) {
  return {
    status: update.status,
    reason: update.reason ? clean(update.reason).slice(0, 4000) : null,
    case_id: update.caseId ?? null,
    ...(update.messageId !== undefined ? { message_id: update.messageId } : {}),
    processed_at: new Date(),
  };
}

interface FinalStatus {
  status: InboundStatus;
  reason?: string | null;
  caseId?: string | null;
  messageId?: string | null;
}

/** A reason noted on a processed mail (explained for admins by email-in.reasons.ts). */
export const DUPLICATE_NOTE = 'duplicate: already on the case';

/**
 * The mail's final status, as the last write of its processing transaction (a mail that lands
 * on a case has it written with the message's record instead: `finishWrite`, a Guard). Only a
 * mail still `received` is updated: when another run of its job (released after a crash while
 * the first was only slow) processed it meanwhile, or an admin quarantined it, this run's writes
 * are rolled back (AlreadyProcessed). PostgreSQL re-reads the row after waiting for the other
 * run's lock, so two runs never both succeed; the second usually waits earlier, on the message's
 * Message-ID in cases. The same statement turns off the wait for the WAL flush at commit (see
 * `asyncCommitTransaction`): the raw mail and its job are durable, and a processing commit lost
 * in a crash leaves the mail `received` with its job, which runs again.
 */
async function finish(trx: Transaction, id: string, update: FinalStatus): Promise<void> {
  const updated = await finishWrite(id, update).execute(trx);
  if (updated.rows.length === 0) throw new AlreadyProcessed(id);
}

/** `finish`'s update as SQL text (cheap to build for every mail), also run inside the statement
 * that records the message (as a `Guard`: no row, no change). */
function finishWrite(id: string, update: FinalStatus) {
  const values = statusUpdate(update);
  return sql`UPDATE inbound_emails SET status = ${values.status}, reason = ${values.reason},
      case_id = ${values.case_id}::uuid, message_id = ${update.messageId ?? null}, processed_at = ${values.processed_at}
    WHERE id = ${id}::uuid AND status = 'received'
    RETURNING set_config('synchronous_commit', 'off', true)`;
}

/** Raised inside a processing transaction whose mail was processed meanwhile: roll it back. */
export class AlreadyProcessed extends Error {
  constructor(id: string) {
    super(`inbound mail ${id} was processed meanwhile`);
  }
}

async function handleBounce(
  db: Executor,
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

interface StoredMail {
  id: string;
  raw: Buffer;
  status: InboundStatus;
  envelope: unknown;
  market: string;
  language: 'de' | 'en';
}

export async function loadStoredMails(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, StoredMail>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('inbound_emails')
    .innerJoin('email_mailboxes', 'email_mailboxes.id', 'inbound_emails.mailbox_id')
    .select(['inbound_emails.id', 'inbound_emails.raw', 'inbound_emails.status', 'inbound_emails.envelope'])
    .select(['email_mailboxes.market', 'email_mailboxes.language'])
    .where('inbound_emails.id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** What is left to write for one mail, in the processing transaction; it ends with the mail's
 * final status (`finish`) and throws AlreadyProcessed when another run was faster. */
export interface MailWrite {
  /** The Message-ID the write stores a case message under, claimed in cases before any mail of
   * the transaction is written (`openMailBatch`); null when the mail makes no case message. */
  claim: string | null;
  /** The Message-IDs the mail refers to (In-Reply-To, References), nearest first. */
  references: readonly string[];
  write(trx: Transaction, batch: MailBatch): Promise<void>;
}

/** What the mails of one processing transaction share, read once before the first is written. */
export interface MailBatch {
  /** Claimed Message-IDs already on a case (cases' `claimInboundMessages`). A write that puts its
   * message on a case adds it: a later mail of the batch with the same id is a duplicate. */
  claims: Map<string, InboundResult>;
  /** Message-ID → case id for the references the batch's mails make. A write adds its own
   * message: a later mail of the batch that answers it is threaded onto the same case. */
  threads: Map<string, string>;
}

/** Claims the Message-IDs of a transaction's mails and finds the cases they refer to, before the
 * first is written (a statement each, for the whole batch). */
export async function openMailBatch(
  trx: Transaction,
  writes: readonly (MailWrite | null | undefined)[],
): Promise<MailBatch> {
  const present = writes.filter((write): write is MailWrite => Boolean(write));
  const claims = await claimInboundMessages(
    trx,
    present.flatMap((write) => (write.claim ? [write.claim] : [])),
  );
  const threads = await casesOfMessageIds(
    trx,
    present.flatMap((write) => write.references),
  );
  return { claims, threads };
}

/** One mail's writes in the caller's transaction, its batch of one opened first. */
export async function writeMail(trx: Transaction, write: MailWrite): Promise<void> {
  await write.write(trx, await openMailBatch(trx, [write]));
}

/** A mail read, before its sender's contact is known. */
type ReadMail =
  | MailWrite
  | { sender: EmailContactInput; messageId: string; withContact(contact: CustomerContact): MailWrite };

/**
 * Everything before the processing transaction: parse, classify, and the sender's contact
 * (an unknown sender's contact is committed on its own by the customers module; a retry finds
 * it). Returns the writes, or null when there is nothing to do. Failures carry the Message-ID.
 */
export async function prepareMail(db: Db, mail: StoredMail | undefined): Promise<MailWrite | null> {
  const [prepared] = await prepareMails(db, [mail]);
  if (prepared instanceof Error) throw prepared;
  return prepared ?? null;
}

/**
 * `prepareMail` for a batch: each mail read on its own, the senders' contacts asked for at once
 * (one statement for the known ones). Per mail, in the order given: its writes, null when there
 * is nothing to do, or the error it failed with (carrying its Message-ID).
 */
export async function prepareMails(
  db: Db,
  mails: readonly (StoredMail | undefined)[],
): Promise<(MailWrite | null | Error)[]> {
  const read = await Promise.all(
    mails.map(async (mail): Promise<ReadMail | null | Error> => {
      if (mail?.status !== 'received') return null;
      let messageId: string | null = null;
      try {
        return await readReceived(mail, (known) => {
          messageId = known;
        });
      } catch (error) {
        return withMessageId(error, messageId);
      }
    }),
  );
  const senders = read.flatMap((mail) => (mail && 'sender' in mail ? [mail.sender] : []));
  const options = { asyncCommit: true };
  // When the batch's question fails, each mail asks alone (one after another: two mails of one
  // new sender must not both create it), so that a failure is the failing mail's own.
  const contacts =
    senders.length > 0
      ? await contactsForEmails(db, systemContext, senders, options).catch(() => null)
      : null;
  const prepared: (MailWrite | null | Error)[] = [];
  for (const mail of read) {
    if (!mail || mail instanceof Error || !('sender' in mail)) {
      prepared.push(mail);
      continue;
    }
    const key = mail.sender.address.trim().toLowerCase();
    try {
      const contact =
        contacts?.get(key) ?? (await contactsForEmails(db, systemContext, [mail.sender], options)).get(key);
      if (!contact) throw new Error(`no contact for ${mail.sender.address}`);
      prepared.push(mail.withContact(contact.contact));
    } catch (error) {
      prepared.push(withMessageId(error, mail.messageId));
    }
  }
  return prepared;
}

function withMessageId(error: unknown, messageId: string | null): Error {
  return Object.assign(error instanceof Error ? error : new Error(String(error)), {
    inboundMessageId: messageId,
  });
}

async function readReceived(row: StoredMail, identified: (messageId: string) => void): Promise<ReadMail> {
  const id = row.id;
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(row.raw);
  } catch (error) {
    throw new QuarantineError(`unparseable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const envelope = row.envelope as InboundEnvelope;
  const externalId = externalIdOf(parsed, row.raw);
  identified(externalId);
  const fail = (error: unknown) => {
    throw withMessageId(error, externalId);
  };
  const classification = classifyMail(parsed, row.raw, envelope.mailFrom);
  if (classification.kind === 'bounce')
    return {
      claim: null,
      references: [],
      write: async (trx) => {
        const reason = await handleBounce(trx, classification).catch(fail);
        await finish(trx, id, { status: 'ignored', reason, messageId: externalId });
      },
    };
  if (classification.kind === 'auto') {
    const reason = classification.reason;
    return {
      claim: null,
      references: [],
      write: (trx) => finish(trx, id, { status: 'ignored', reason, messageId: externalId }),
    };
  }
  const sender = parsed.from?.value.find((entry) => entry.address && ADDRESS.test(entry.address));
  if (!sender?.address) throw new QuarantineError('no usable sender address in From');
  const senderAddress = sender.address;
  const references = referencedMessageIds(parsed.inReplyTo ?? null, [parsed.references ?? []].flat());
  return {
    sender: {
      address: senderAddress,
      displayName: sender.name ? clean(sender.name).slice(0, 200) : null,
      market: row.market,
      language: row.language,
    },
    messageId: externalId,
    withContact: (customer) => ({
      claim: externalId,
      references,
      write: (trx, batch) =>
        writeCaseMessage(trx, batch, {
          id,
          parsed,
          externalId,
          language: row.language,
          customer,
          senderAddress,
          references,
        }).catch(fail),
    }),
  };
}

/** The attachments, the message and the mail's new status: all in the caller's transaction. */
async function writeCaseMessage(
  trx: Transaction,
  batch: MailBatch,
  input: {
    id: string;
    parsed: ParsedMail;
    externalId: string;
    language: 'de' | 'en';
    customer: CustomerContact;
    senderAddress: string;
    references: readonly string[];
  },
): Promise<void> {
  const { id, parsed: mail, externalId, language } = input;
  // The same mail delivered twice is found by its claimed Message-ID (`openMailBatch`), before
  // its files are stored again for nothing.
  const processed = (caseId: string, notes: (string | null)[]): FinalStatus => ({
    status: 'processed',
    reason: notes.filter(Boolean).join('; ') || null,
    caseId,
    messageId: externalId,
  });
  const known = batch.claims.get(externalId);
  if (known) return finish(trx, id, processed(known.caseId, [DUPLICATE_NOTE]));
  const subject = clean(mail.subject ?? '')
    .trim()
    .slice(0, 250);
  const caseRef = caseOfReferences(batch.threads, input.references) ?? caseNumberInSubject(subject);
  const files = await storeMailAttachments(trx, mail.attachments);
  const split = splitQuotedText(clean(mail.text ?? '').slice(0, MAX_TEXT));
  const notice = files.notKept.length > 0 ? notKeptNotice(language, files.notKept) : null;
  const bodyText = [split.body, notice].filter(Boolean).join('\n\n');
  const bodyHtml = mail.html
    ? sanitiseEmailHtml(clean(mail.html), { inlineImages: files.inlineImages })
    : null;
  const email: EmailHeaders = {
    messageId: mail.messageId ? externalId : null,
    inReplyTo: mail.inReplyTo ? clean(mail.inReplyTo).slice(0, 900) : null,
    references: [...input.references],
    from: input.senderAddress,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject,
  };
  const notKept =
    files.notKept.length > 0
      ? `attachments not kept: ${files.notKept.map((f) => `${f.filename} (${f.reason})`).join(', ')}`
      : null;
  const result = await receiveInboundMessage(trx, {
    channel: 'email',
    externalId,
    claimed: true,
    customerId: input.customer.id,
    customer: input.customer,
    subject: subject || translator(language)('email_in.no_subject'),
    bodyText: bodyText || translator(language)('email_in.empty_body'),
    bodyHtml: bodyHtml && bodyHtml.trim() !== '' ? bodyHtml : null,
    quotedText: split.quoted,
    email,
    caseRef,
    attachmentIds: files.ids,
    // The mail's final status goes with the message's record, in one statement.
    together: (caseId) => [{ guard: finishWrite(id, processed(caseId, [notKept])) }],
  }).catch((error: unknown) => {
    throw error instanceof GuardMissed ? new AlreadyProcessed(id) : error;
  });
  if (result.duplicate) await finish(trx, id, processed(result.caseId, [DUPLICATE_NOTE, notKept]));
  else {
    batch.claims.set(externalId, { ...result, duplicate: true });
    batch.threads.set(externalId, result.caseId);
  }
}

/** Processes one stored mail; a failure carries the mail's Message-ID (for the quarantine list). */
export async function processInboundEmail(db: Db, id: string): Promise<void> {
  const write = await prepareMail(db, (await loadStoredMails(db, [id])).get(id));
  if (!write) return;
  await db
    .transaction()
    .execute((trx) => writeMail(trx, write))
    .catch((error: unknown) => {
      if (!(error instanceof AlreadyProcessed)) throw error;
    });
}

export async function quarantine(
  db: Db,
  id: string,
  reason: string,
  messageId: string | null,
): Promise<void> {
  await db
    .updateTable('inbound_emails')
    .set(statusUpdate({ status: 'quarantined', reason, ...(messageId ? { messageId } : {}) }))
    .where('id', '=', id)
    .where('status', '=', 'received')
    .execute();
}

/** PostgreSQL refused the data itself (bad encoding, a check, a size limit): retrying cannot help.
 * A unique violation (23505) is a race and is retried. */
function refusedData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code) && code !== '23505';
}

/** After a job's own mail failed: quarantined when it cannot succeed (or on the last attempt),
 * otherwise the error is thrown again so the job retries with backoff. */
export async function quarantineOrRetry(
  db: Db,
  log: Logger,
  inboundEmailId: string,
  error: unknown,
  attempt: { attempts: number; maxAttempts: number },
): Promise<void> {
  const permanent =
    error instanceof QuarantineError ||
    (error instanceof AppError && error.status < 500) ||
    refusedData(error);
  if (!permanent && attempt.attempts < attempt.maxAttempts) throw error;
  const reason = error instanceof AppError ? `rejected by cases: ${error.code}` : (error as Error).message;
  log.warn({ inboundEmailId, reason }, 'inbound mail quarantined');
  await quarantine(
    db,
    inboundEmailId,
    reason,
    (error as { inboundMessageId?: string | null }).inboundMessageId ?? null,
  );
}
