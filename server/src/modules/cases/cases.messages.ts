// Conversations: opening a case, replies and internal notes, phone-call logs, and the
// entry point channel adapters (email, portal, social) hand inbound messages to.
import { sql } from 'kysely';
import type { Db, Transaction } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import type { Write } from '../../platform/events.js';
import { type CustomerContact, customerContacts } from '../customers/index.js';
import type { Principal, RequestContext } from '../identity/index.js';
import { linkAttachments } from './attachments/index.js';
import { findVisibleCase } from './cases.access.js';
import { type CaseChange, nextCaseNumberSql, recordCaseChange, recordCaseChanges } from './cases.events.js';
import { mayReplyAsCustomer, mayWorkCase } from './cases.policy.js';
import { toMessageView } from './cases.queries.js';
import type {
  AddMessageInput,
  CustomerCreateCaseBody,
  LogCallInput,
  MessageView,
  StaffCreateCaseBody,
} from './cases.schemas.js';
import {
  assertAssignable,
  assertCustomerInScope,
  assertTeam,
  assertTransition,
  assertVehicleOfCustomer,
  changeStatus,
  principalOf,
} from './cases.service.js';
import type { CaseChannel, CaseRow, EmailHeaders, MessageKind, PhoneCall } from './cases.tables.js';

interface NewMessage {
  kind: MessageKind;
  internal: boolean;
  authorKind: 'customer' | 'staff' | 'system';
  authorId: string | null;
  authorName: string;
  channel: CaseChannel;
  bodyText: string;
  bodyHtml?: string | null;
  quotedText?: string | null;
  email?: EmailHeaders | null;
  call?: PhoneCall | null;
  externalId?: string | null;
  attachmentIds?: string[];
  uploaderUserId: string | null;
}

/**
 * Writes a message and records it. `before`: changes of the case recorded with it, ahead of it
 * (a new case's `case.created`); `together`: other writes of the same change. Both go into the
 * one statement that writes the message's audit entry and event.
 */
export async function insertMessage(
  trx: Transaction,
  context: RequestContext,
  row: CaseRow,
  message: NewMessage,
  options: { before?: CaseChange[]; together?: Write[] } = {},
): Promise<MessageView> {
  const inserted = await trx
    .insertInto('case_messages')
    .values({
      case_id: row.id,
      kind: message.kind,
      internal: message.internal,
      author_kind: message.authorKind,
      author_id: message.authorId,
      author_name: message.authorName,
      channel: message.channel,
      body_text: message.bodyText,
      body_html: message.bodyHtml ?? null,
      call: message.call ? JSON.stringify(message.call) : null,
      external_id: message.externalId ?? null,
      quoted_text: message.quotedText ?? null,
      email: message.email ? JSON.stringify(message.email) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (message.attachmentIds?.length) {
    await linkAttachments(trx, {
      caseId: row.id,
      messageId: inserted.id,
      attachmentIds: message.attachmentIds,
      uploaderUserId: message.uploaderUserId,
    });
  }
  const added: CaseChange = {
    action: 'case.message_added',
    after: { messageId: inserted.id, kind: message.kind, internal: message.internal },
    payload: {
      messageId: inserted.id,
      // When it was written, so the SLA engine need not read the message for it.
      createdAt: inserted.created_at.toISOString(),
      kind: message.kind,
      internal: message.internal,
      authorKind: message.authorKind,
      authorId: message.authorId,
    },
    internal: message.internal,
  };
  await recordCaseChanges(trx, context, row, [...(options.before ?? []), added], options.together);
  return toMessageView(inserted);
}

async function authorOf(trx: Transaction, principal: Principal | null) {
  if (!principal) return { kind: 'system' as const, id: null, name: 'Pitwall' };
  if (principal.kind === 'customer') {
    const contact = (await customerContacts(trx, [principal.customerId])).get(principal.customerId);
    return { kind: 'customer' as const, id: principal.userId, name: contact?.name ?? principal.name };
  }
  if (principal.kind === 'token')
    return { kind: 'staff' as const, id: principal.createdBy, name: principal.name };
  return { kind: 'staff' as const, id: principal.userId, name: principal.name };
}

interface OpenCaseInput {
  customerId: string;
  subject: string;
  channel: CaseChannel;
  priority?: CaseRow['priority'];
  vehicleId?: string | null;
  teamId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
  followUpOf?: string | null;
  /** The customer as the caller already read it (saves reading it again). */
  customer?: CustomerContact;
  /** The case opens with a message of the customer: its time is set in the same insert. */
  openedByCustomerMessage?: boolean;
}

export async function openCase(
  trx: Transaction,
  context: RequestContext,
  input: OpenCaseInput,
): Promise<CaseRow> {
  const { row, created } = await insertCase(trx, input);
  await recordCaseChange(trx, context, row, created);
  return row;
}

/** The case's row, and its `case.created` change for the caller to record (`openCase` does;
 * a case opened with a message records it with the message, in one statement). */
export async function insertCase(
  trx: Transaction,
  input: OpenCaseInput,
): Promise<{ row: CaseRow; created: CaseChange }> {
  const customer =
    input.customer?.id === input.customerId
      ? input.customer
      : (await customerContacts(trx, [input.customerId])).get(input.customerId);
  if (!customer) throw errors.notFound('customer');
  const row = await trx
    .insertInto('cases')
    .values({
      number: nextCaseNumberSql(),
      subject: input.subject,
      status: input.assigneeId ? 'open' : 'new',
      priority: input.priority ?? 'normal',
      channel: input.channel,
      customer_id: customer.id,
      vehicle_id: input.vehicleId ?? null,
      market: customer.market,
      team_id: input.teamId ?? null,
      assignee_id: input.assigneeId ?? null,
      tags: input.tags ?? [],
      follow_up_of_id: input.followUpOf ?? null,
      language: customer.language,
      ...(input.openedByCustomerMessage ? { last_customer_message_at: sql<Date>`now()` } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const created: CaseChange = {
    action: 'case.created',
    after: {
      number: row.number,
      subject: row.subject,
      channel: row.channel,
      followUpOf: input.followUpOf ?? null,
    },
    payload: {
      market: row.market,
      priority: row.priority,
      channel: row.channel,
      customerId: row.customer_id,
      assigneeId: row.assignee_id,
      followUpOf: input.followUpOf ?? null,
    },
  };
  return { row, created };
}

/** Staff open a case for a customer (a call, a letter, a proactive message). */
export async function createCaseAsStaff(
  db: Db,
  context: RequestContext,
  input: StaffCreateCaseBody,
): Promise<string> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const customer = await assertCustomerInScope(trx, principal, input.customerId);
    if (!mayWorkCase(principal, { customer_id: customer.id, market: customer.market }))
      throw errors.forbidden();
    if (input.assigneeId) await assertAssignable(trx, customer.market, input.assigneeId);
    if (input.teamId) await assertTeam(trx, input.teamId);
    if (input.vehicleId) await assertVehicleOfCustomer(trx, customer.id, input.vehicleId);
    const channel = input.channel ?? 'phone';
    const { row, created } = await insertCase(trx, { ...input, channel });
    const author = await authorOf(trx, principal);
    // What a caller said is the agent's record (internal); an email or portal message goes to the customer.
    const internal = channel === 'phone' || channel === 'social';
    await insertMessage(
      trx,
      context,
      row,
      {
        kind: internal ? 'note' : 'reply',
        internal,
        authorKind: 'staff',
        authorId: author.id,
        authorName: author.name,
        channel,
        bodyText: input.body,
        attachmentIds: input.attachmentIds,
        uploaderUserId: author.id,
      },
      { before: [created] },
    );
    return row.id;
  });
}

/** An owner opens a case in the portal. */
export async function createCaseAsCustomer(
  db: Db,
  context: RequestContext,
  input: CustomerCreateCaseBody,
): Promise<string> {
  const principal = principalOf(context);
  if (principal.kind !== 'customer') throw errors.forbidden();
  return db.transaction().execute(async (trx) => {
    if (input.vehicleId) await assertVehicleOfCustomer(trx, principal.customerId, input.vehicleId);
    const { row, created } = await insertCase(trx, {
      customerId: principal.customerId,
      subject: input.subject,
      channel: 'portal',
      vehicleId: input.vehicleId,
      tags: [`topic:${input.topic}`],
      openedByCustomerMessage: true,
    });
    const author = await authorOf(trx, principal);
    await insertMessage(
      trx,
      context,
      row,
      {
        kind: 'reply',
        internal: false,
        authorKind: 'customer',
        authorId: author.id,
        authorName: author.name,
        channel: 'portal',
        bodyText: input.body,
        attachmentIds: input.attachmentIds,
        uploaderUserId: principal.userId,
      },
      { before: [created] },
    );
    return row.id;
  });
}

export async function appendCustomerMessage(
  trx: Transaction,
  context: RequestContext,
  row: CaseRow,
  message: Omit<NewMessage, 'kind' | 'internal' | 'authorKind'>,
  /** The caller's own writes for the message (as `insertMessage`'s `together`), by the case it lands on. */
  together: (caseId: string) => Write[] = () => [],
): Promise<{ message: MessageView; caseRow: CaseRow; followUpCaseNumber: string | null }> {
  let target = row;
  let followUpCaseNumber: string | null = null;
  const before: CaseChange[] = [];
  // A reply to a closed case opens a follow-up linked to it.
  if (row.status === 'closed') {
    const opened = await insertCase(trx, {
      customerId: row.customer_id,
      subject: row.subject,
      channel: message.channel,
      vehicleId: row.vehicle_id,
      tags: row.tags,
      followUpOf: row.id,
      assigneeId: null,
      teamId: row.team_id,
      openedByCustomerMessage: true,
    });
    target = opened.row;
    before.push(opened.created);
    followUpCaseNumber = target.number;
  } else if (['pending_customer', 'solved'].includes(row.status)) {
    target = await changeStatus(trx, context, row, 'open');
  }
  // The case's time of the customer's last message is written with the message's event.
  const view = await insertMessage(
    trx,
    context,
    target,
    { ...message, kind: 'reply', internal: false, authorKind: 'customer' },
    {
      before,
      together: [
        trx
          .updateTable('cases')
          .set({ last_customer_message_at: sql`now()`, updated_at: sql`now()` })
          .where('id', '=', target.id),
        ...together(target.id),
      ],
    },
  );
  return { message: view, caseRow: target, followUpCaseNumber };
}

export async function addMessage(
  db: Db,
  context: RequestContext,
  ref: string,
  input: AddMessageInput,
): Promise<{ message: MessageView; followUpCaseNumber: string | null }> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const row = await findVisibleCase(trx, principal, ref, { forUpdate: true });
    const author = await authorOf(trx, principal);
    if (principal.kind === 'customer') {
      if (!mayReplyAsCustomer(principal, row) || input.kind !== 'reply' || input.status)
        throw errors.forbidden();
      const result = await appendCustomerMessage(trx, context, row, {
        authorId: author.id,
        authorName: author.name,
        channel: 'portal',
        bodyText: input.body,
        attachmentIds: input.attachmentIds,
        uploaderUserId: principal.userId,
      });
      return { message: result.message, followUpCaseNumber: result.followUpCaseNumber };
    }
    if (!mayWorkCase(principal, row)) throw errors.forbidden();
    if (row.status === 'closed') throw errors.conflict('case_closed');
    if (input.status) assertTransition(row.status, input.status);
    const internal = input.kind === 'note';
    const message = await insertMessage(trx, context, row, {
      kind: input.kind,
      internal,
      authorKind: 'staff',
      authorId: author.id,
      authorName: author.name,
      channel: row.channel === 'phone' || row.channel === 'social' ? 'email' : row.channel,
      bodyText: input.body,
      bodyHtml: input.bodyHtml,
      attachmentIds: input.attachmentIds,
      uploaderUserId: principal.kind === 'staff' ? principal.userId : null,
    });
    if (!internal) {
      await trx
        .updateTable('cases')
        .set({
          last_staff_reply_at: sql`now()`,
          first_response_at: sql`coalesce(first_response_at, now())`,
          updated_at: sql`now()`,
        })
        .where('id', '=', row.id)
        .execute();
    } else {
      await trx.updateTable('cases').set({ updated_at: sql`now()` }).where('id', '=', row.id).execute();
    }
    const nextStatus = input.status ?? (row.status === 'new' && !internal ? 'open' : undefined);
    if (nextStatus) await changeStatus(trx, context, row, nextStatus);
    return { message, followUpCaseNumber: null };
  });
}

/** A phone call logged by an agent: an internal timeline entry with direction, duration and outcome. */
export async function logCall(
  db: Db,
  context: RequestContext,
  ref: string,
  input: LogCallInput,
): Promise<MessageView> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const row = await findVisibleCase(trx, principal, ref, { forUpdate: true });
    if (!mayWorkCase(principal, row)) throw errors.forbidden();
    const author = await authorOf(trx, principal);
    const message = await insertMessage(trx, context, row, {
      kind: 'phone_call',
      internal: true,
      authorKind: 'staff',
      authorId: author.id,
      authorName: author.name,
      channel: 'phone',
      bodyText: input.notes,
      call: { direction: input.direction, durationSeconds: input.durationSeconds, outcome: input.outcome },
      uploaderUserId: null,
    });
    await trx.updateTable('cases').set({ updated_at: sql`now()` }).where('id', '=', row.id).execute();
    return message;
  });
}
