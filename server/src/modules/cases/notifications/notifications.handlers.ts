// Who hears about what happens to a case. Each handler runs inside the platform's claimed
// transaction for its event (so it runs once) and writes notifications and outbox mail there.
// Customers only ever hear of public replies: the handler reads that one message by id and
// requires `internal = false`, so a note can never leak into a mail or a portal notification.
import { compiledOnce, type Db, type Transaction } from '../../../platform/database.js';
import type { EventHandler } from '../../../platform/events.js';
import { type Language, translator } from '../../../platform/i18n.js';
import type { DomainEventRow } from '../../../platform/platform.tables.js';
import { type MailSettings, queueCaseReply, queueMail } from '../../channels/index.js';
import { customerContacts } from '../../customers/index.js';
import { accountOfCustomer, listMarkets, type StaffMember, staffMembers } from '../../identity/index.js';
import { attachmentsOfMessages } from '../attachments/index.js';
import { emailThreadOf, recordOutgoingEmail } from '../cases.email.js';
import { notify } from './notifications.service.js';

export interface NotificationDeps {
  db: Db;
  mail: MailSettings;
  publicUrl: string;
}

interface CaseFacts {
  id: string;
  number: string;
  subject: string;
  customer_id: string;
  assignee_id: string | null;
  team_id: string | null;
  market: string;
  language: Language;
}

async function caseFacts(trx: Transaction, caseId: string): Promise<CaseFacts | undefined> {
  return trx
    .selectFrom('cases')
    .select(['id', 'number', 'subject', 'customer_id', 'assignee_id', 'team_id', 'market', 'language'])
    .where('id', '=', caseId)
    .executeTakeFirst();
}

async function activeStaff(trx: Transaction, ids: readonly (string | null)[]): Promise<StaffMember[]> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const members = await staffMembers(trx, wanted);
  return wanted.map((id) => members.get(id)).filter((m): m is StaffMember => !!m && !m.disabled);
}

function excerpt(text: string, length = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

/** A due time as the reader's market keeps time (Europe/Berlin, Europe/London, …), with its zone. */
function formatTime(iso: unknown, language: Language, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return '-';
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

/** A case and its followers' ids, for every customer message (compiled once: `compiledOnce`). */
const caseWithFollowers = compiledOnce((db, caseId) =>
  db
    .selectFrom('cases')
    .select(['id', 'number', 'subject', 'customer_id', 'assignee_id', 'team_id', 'market', 'language'])
    .select((eb) =>
      eb
        .selectFrom('case_followers')
        .select((follower) => follower.fn.agg<string[]>('array_agg', ['case_followers.user_id']).as('ids'))
        .whereRef('case_followers.case_id', '=', 'cases.id')
        .as('follower_ids'),
    )
    .where('id', '=', caseId),
);

export function notificationEventHandlers(deps: NotificationDeps): EventHandler[] {
  const agentLink = (number: string) => `${deps.publicUrl}/agent/cases/${number}`;
  const portalLink = (number: string) => `${deps.publicUrl}/portal/cases/${number}`;

  /** In-app notification and, with `mailTemplate`, an email, each in the member's language. */
  async function tellStaff(
    trx: Transaction,
    member: StaffMember,
    kase: CaseFacts,
    kind: string,
    params: Record<string, unknown>,
    mailTemplate?: string,
  ) {
    const t = translator(member.language);
    const all = {
      number: kase.number,
      subject: kase.subject,
      name: member.name,
      link: agentLink(kase.number),
      ...params,
    };
    await notify(trx, {
      userId: member.id,
      kind,
      caseId: kase.id,
      title: t(`notifications.${kind}.title`, all),
      body: t(`notifications.${kind}.body`, all),
    });
    if (!mailTemplate) return;
    await queueMail(trx, deps.mail, {
      to: member.email,
      subject: t(`mail.${mailTemplate}.subject`, all),
      text: t(`mail.${mailTemplate}.body`, all),
      language: member.language,
      template: `case.${kind}`,
    });
  }

  const assigned: EventHandler = {
    name: 'cases.notifications.assigned',
    eventTypes: ['case.assigned'],
    async handle(event, trx) {
      const { assigneeId } = event.payload as { assigneeId?: string | null };
      // Taking a case yourself needs no message.
      if (!assigneeId || assigneeId === event.actor_id) return;
      const kase = await caseFacts(trx, event.entity_id);
      const [member] = await activeStaff(trx, [assigneeId]);
      if (!kase || !member) return;
      await tellStaff(trx, member, kase, 'case_assigned', {}, 'caseAssigned');
    },
  };

  /** The reply as a mail in the customer's thread; its headers are kept on the message so the
   * customer's answer threads back to this case. */
  async function mailReply(
    trx: Transaction,
    kase: CaseFacts,
    messageId: string,
    message: { body_text: string; author_name: string },
    to: string,
  ) {
    const files = (await attachmentsOfMessages(trx, [messageId])).get(messageId) ?? [];
    const queued = await queueCaseReply(trx, deps.mail, {
      to,
      language: kase.language,
      market: kase.market,
      caseId: kase.id,
      caseNumber: kase.number,
      caseSubject: kase.subject,
      caseMessageId: messageId,
      author: message.author_name,
      text: message.body_text,
      portalLink: portalLink(kase.number),
      parent: await emailThreadOf(trx, kase.id),
      attachments: files.map((file) => ({
        attachmentId: file.id,
        filename: file.filename,
        mimeType: file.mimeType,
        size: file.size,
      })),
    });
    if (queued) await recordOutgoingEmail(trx, messageId, queued.headers);
  }

  async function staffReplyToCustomer(event: DomainEventRow, trx: Transaction, messageId: string) {
    const message = await trx
      .selectFrom('case_messages')
      .select(['case_id', 'body_text', 'author_name'])
      .where('id', '=', messageId)
      .where('case_id', '=', event.entity_id)
      .where('internal', '=', false)
      .where('kind', '=', 'reply')
      .where('author_kind', '=', 'staff')
      .executeTakeFirst();
    if (!message) return;
    const kase = await caseFacts(trx, message.case_id);
    if (!kase) return;
    const params = {
      number: kase.number,
      subject: kase.subject,
      author: message.author_name,
      excerpt: excerpt(message.body_text),
      link: portalLink(kase.number),
    };
    const customer = (await customerContacts(trx, [kase.customer_id])).get(kase.customer_id);
    if (customer?.email) await mailReply(trx, kase, messageId, message, customer.email);
    const account = await accountOfCustomer(trx, kase.customer_id);
    if (account) {
      const t = translator(account.language);
      await notify(trx, {
        userId: account.id,
        kind: 'staff_reply',
        caseId: kase.id,
        title: t('notifications.staff_reply.title', params),
        body: t('notifications.staff_reply.body', params),
      });
    }
  }

  async function customerMessageToStaff(event: DomainEventRow, trx: Transaction, messageId: string) {
    // Case and followers in one read; the message only when someone is to be told (a new case
    // from a mail usually has neither assignee nor followers).
    const kase = await caseWithFollowers(trx, event.entity_id);
    if (!kase || (!kase.assignee_id && !kase.follower_ids?.length)) return;
    const recipients = await activeStaff(trx, [kase.assignee_id, ...(kase.follower_ids ?? [])]);
    if (recipients.length === 0) return;
    const message = await trx
      .selectFrom('case_messages')
      .select(['body_text', 'author_name'])
      .where('id', '=', messageId)
      .where('author_kind', '=', 'customer')
      .executeTakeFirst();
    if (!message) return;
    for (const member of recipients) {
      await tellStaff(trx, member, kase, 'customer_message', {
        customer: message.author_name,
        excerpt: excerpt(message.body_text),
      });
    }
  }

  const messageAdded: EventHandler = {
    name: 'cases.notifications.message_added',
    eventTypes: ['case.message_added'],
    async handle(event, trx) {
      const payload = event.payload as {
        messageId?: string;
        kind?: string;
        internal?: boolean;
        authorKind?: string;
      };
      if (!payload.messageId) return;
      if (payload.authorKind === 'staff' && payload.kind === 'reply' && payload.internal === false)
        await staffReplyToCustomer(event, trx, payload.messageId);
      else if (payload.authorKind === 'customer') await customerMessageToStaff(event, trx, payload.messageId);
    },
  };

  const sla: EventHandler = {
    name: 'cases.notifications.sla',
    eventTypes: ['case.sla_warning', 'case.sla_breached'],
    async handle(event, trx) {
      const kase = await caseFacts(trx, event.entity_id);
      if (!kase) return;
      const { metric, dueAt } = event.payload as { metric?: string; dueAt?: string };
      let recipients = await activeStaff(trx, [kase.assignee_id]);
      if (recipients.length === 0 && kase.team_id) {
        const members = await trx
          .selectFrom('team_members')
          .select('user_id')
          .where('team_id', '=', kase.team_id)
          .execute();
        recipients = await activeStaff(
          trx,
          members.map((m) => m.user_id),
        );
      }
      const kind = event.type === 'case.sla_breached' ? 'sla_breached' : 'sla_warning';
      const market = (await listMarkets(trx, 'en')).find((m) => m.code === kase.market);
      for (const member of recipients) {
        const t = translator(member.language);
        const params = {
          metric: t(`notifications.metrics.${metric ?? 'resolution'}`, { defaultValue: metric ?? '' }),
          dueAt: formatTime(dueAt, member.language, market?.timeZone ?? 'UTC'),
        };
        await tellStaff(
          trx,
          member,
          kase,
          kind,
          params,
          kind === 'sla_breached' ? 'caseSlaBreached' : 'caseSlaWarning',
        );
      }
    },
  };

  return [assigned, messageAdded, sla];
}
