// Inbound messages from channel adapters (email, social) and presence notices: the cases
// module's entry points for things that do not come from a signed-in user's request.
import { sql } from 'kysely';
import type { Db, Executor, Transaction } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import type { Write } from '../../platform/events.js';
import { publishLive } from '../../platform/live.js';
import { type CustomerContact, customerContacts } from '../customers/index.js';
import { type Principal, type RequestContext, systemContext } from '../identity/index.js';
import { findVisibleCase } from './cases.access.js';
import { appendCustomerMessage, insertCase, insertMessage } from './cases.messages.js';
import { principalOf } from './cases.service.js';
import type { CaseChannel, CaseRow, EmailHeaders } from './cases.tables.js';

export interface InboundMessage {
  channel: Exclude<CaseChannel, 'system'>;
  /** The channel's own id (e.g. Message-ID); the same id twice is stored once. */
  externalId: string | null;
  /** The caller claimed `externalId` in this transaction already (`claimInboundMessages`). */
  claimed?: boolean;
  customerId: string;
  /** The customer's contact when the channel already read it (saves reading it again). */
  customer?: CustomerContact;
  subject: string;
  bodyText: string;
  /** Sanitised HTML (the channel adapter sanitises before handing it over). */
  bodyHtml?: string | null;
  quotedText?: string | null;
  email?: EmailHeaders | null;
  /** The case this message answers, when the channel could tell (threading, number in the subject). */
  caseRef?: string | null;
  attachmentIds?: string[];
  /**
   * The channel's own writes that belong with the message (the mail's final status), by the
   * case it lands on: run in the statement that records the message, none for a duplicate. A
   * `Guard` among them that finds no row voids the whole message (GuardMissed is thrown).
   */
  together?: (caseId: string) => Write[];
}

export interface InboundResult {
  caseId: string;
  caseNumber: string;
  messageId: string | null;
  created: boolean;
  duplicate: boolean;
}

/**
 * Claims channel message ids in the caller's transaction: for each id already stored, the
 * result for its message (a duplicate); every other id is from then on this transaction's to
 * store. Two deliveries of one mail processed at the same moment: the second waits for the
 * first one's lock on the id (the function takes the locks, then reads with a snapshot taken
 * after the wait) and then finds its message instead of failing on the unique index.
 * `receiveInboundMessage` claims its id by itself; a channel claims first, for a batch of
 * messages at once, then passes `claimed` for each.
 */
export async function claimInboundMessages(
  trx: Transaction,
  externalIds: readonly string[],
): Promise<Map<string, InboundResult>> {
  const claimed = new Map<string, InboundResult>();
  if (externalIds.length === 0) return claimed;
  const rows = await sql<{ external_id: string; case_id: string; case_number: string; message_id: string }>`
    SELECT external_id, case_id, case_number, message_id FROM cases_inbound_claim_many(${externalIds}::text[])`.execute(
    trx,
  );
  for (const row of rows.rows)
    claimed.set(row.external_id, {
      caseId: row.case_id,
      caseNumber: row.case_number,
      messageId: row.message_id,
      created: false,
      duplicate: true,
    });
  return claimed;
}

/**
 * The cases module's entry point for channel adapters: a normalised inbound message from
 * a customer becomes a reply on its case, a follow-up of a closed case, or a new case.
 */
export async function receiveInboundMessage(
  db: Executor,
  input: InboundMessage,
  context: RequestContext = systemContext,
): Promise<InboundResult> {
  // Inside the caller's transaction when it has one (the mail processing job writes the
  // message and the mail's new status in one commit).
  const inTransaction = <T>(work: (trx: Transaction) => Promise<T>) =>
    db.isTransaction ? work(db as Transaction) : db.transaction().execute(work);
  return inTransaction(async (trx) => {
    if (input.externalId && !input.claimed) {
      const existing = (await claimInboundMessages(trx, [input.externalId])).get(input.externalId);
      if (existing) return existing;
    }
    const customer =
      input.customer?.id === input.customerId
        ? input.customer
        : (await customerContacts(trx, [input.customerId])).get(input.customerId);
    if (!customer) throw errors.notFound('customer');
    const asCustomer: Principal = {
      kind: 'customer',
      userId: '',
      customerId: customer.id,
      email: customer.email ?? '',
      name: customer.name,
      language: customer.language,
      sessionId: '',
      csrfToken: '',
      elevatedUntil: null,
    };
    const message = {
      authorId: null,
      authorName: customer.name,
      channel: input.channel,
      bodyText: input.bodyText,
      bodyHtml: input.bodyHtml,
      quotedText: input.quotedText,
      email: input.email,
      externalId: input.externalId,
      attachmentIds: input.attachmentIds,
      uploaderUserId: null,
    };
    let existingCase: CaseRow | null = null;
    if (input.caseRef)
      existingCase = await findVisibleCase(trx, asCustomer, input.caseRef, { forUpdate: true }).catch(
        () => null,
      );
    if (existingCase) {
      const result = await appendCustomerMessage(trx, context, existingCase, message, input.together);
      return {
        caseId: result.caseRow.id,
        caseNumber: result.caseRow.number,
        messageId: result.message.id,
        created: result.followUpCaseNumber !== null,
        duplicate: false,
      };
    }
    const { row, created } = await insertCase(trx, {
      customerId: customer.id,
      customer,
      subject: input.subject,
      channel: input.channel,
      openedByCustomerMessage: true,
    });
    const view = await insertMessage(
      trx,
      context,
      row,
      { ...message, kind: 'reply', internal: false, authorKind: 'customer' },
      { before: [created], together: input.together?.(row.id) },
    );
    return { caseId: row.id, caseNumber: row.number, messageId: view.id, created: true, duplicate: false };
  });
}

/** Who is looking at or typing on a case: a live notice to staff of the market, nothing stored. */
export async function announcePresence(
  db: Db,
  context: RequestContext,
  ref: string,
  state: 'viewing' | 'typing' | 'left',
): Promise<void> {
  const principal = principalOf(context);
  if (principal.kind !== 'staff') throw errors.forbidden();
  const row = await findVisibleCase(db, principal, ref);
  await publishLive(db, {
    type: 'case.presence',
    entityType: 'case',
    entityId: row.id,
    audience: { markets: [row.market] },
    data: { caseId: row.id, number: row.number, userId: principal.userId, name: principal.name, state },
  });
}
