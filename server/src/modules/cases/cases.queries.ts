// Reading cases: the inbox list with its view counts, summaries for any list of ids
// and the full case with its timeline. Customers never receive internal entries.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, Executor } from '../../platform/database.js';
import { customerContacts, vehicleBriefs } from '../customers/index.js';
import { type Principal, staffMembers } from '../identity/index.js';
import { attachmentsOfMessages } from './attachments/index.js';
import { caseMarkets } from './cases.policy.js';
import type { CaseDetail, CaseSummary, InboxQuery, InboxView, MessageView, Sla } from './cases.schemas.js';
import type { CaseRow } from './cases.tables.js';

const openStatuses = ['new', 'open', 'pending_customer', 'pending_third_party'] as const;
type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;

function scoped(db: Executor, principal: Principal): CaseQuery {
  let query = db.selectFrom('cases').where('cases.merged_into_id', 'is', null) as CaseQuery;
  if (principal.kind === 'customer') return query.where('cases.customer_id', '=', principal.customerId);
  const markets = caseMarkets(principal);
  if (markets !== null) query = query.where('cases.market', 'in', markets.length > 0 ? [...markets] : ['--']);
  return query;
}

async function teamIdsOf(db: Executor, principal: Principal): Promise<string[]> {
  if (principal.kind !== 'staff') return [];
  const rows = await db
    .selectFrom('team_members')
    .select('team_id')
    .where('user_id', '=', principal.userId)
    .execute();
  return rows.map((row) => row.team_id);
}

function applyView(query: CaseQuery, view: InboxView, principal: Principal, teamIds: string[]): CaseQuery {
  const userId = principal.kind === 'staff' ? principal.userId : '00000000-0000-0000-0000-000000000000';
  switch (view) {
    case 'mine':
      return query.where('cases.assignee_id', '=', userId).where('cases.status', 'in', [...openStatuses]);
    case 'unassigned':
      return query.where('cases.assignee_id', 'is', null).where('cases.status', 'in', [...openStatuses]);
    case 'team':
      return query
        .where('cases.team_id', 'in', teamIds.length > 0 ? teamIds : ['00000000-0000-0000-0000-000000000000'])
        .where('cases.status', 'in', [...openStatuses]);
    case 'sla_at_risk':
      return query.where('cases.id', 'in', (eb) =>
        eb.selectFrom('case_sla').select('case_id').where('state', '=', 'warning'),
      );
    case 'sla_breached':
      return query
        .where('cases.id', 'in', (eb) =>
          eb.selectFrom('case_sla').select('case_id').where('state', '=', 'breached'),
        )
        .where('cases.status', 'in', [...openStatuses]);
    default:
      return query.where('cases.status', 'in', [...openStatuses]);
  }
}

function applyFilters(query: CaseQuery, filters: InboxQuery): CaseQuery {
  let q = query;
  if (filters.status?.length) q = q.where('cases.status', 'in', filters.status);
  if (filters.priority) q = q.where('cases.priority', '=', filters.priority);
  if (filters.market) q = q.where('cases.market', '=', filters.market);
  if (filters.assigneeId) q = q.where('cases.assignee_id', '=', filters.assigneeId);
  if (filters.teamId) q = q.where('cases.team_id', '=', filters.teamId);
  if (filters.tag) q = q.where(sql<boolean>`${filters.tag} = ANY(cases.tags)`);
  if (filters.customerId) q = q.where('cases.customer_id', '=', filters.customerId);
  if (filters.q?.trim()) {
    const like = `%${filters.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('cases.subject', 'ilike', like), eb('cases.number', 'ilike', like)]));
  }
  return q;
}

export async function listInbox(db: Executor, principal: Principal, filters: InboxQuery) {
  const teamIds = await teamIdsOf(db, principal);
  let query = scoped(db, principal);
  // Customers see all their own cases; staff views default to open work unless a status is asked for.
  if (principal.kind !== 'customer' && !(filters.status?.length && (filters.view ?? 'all') === 'all')) {
    query = applyView(query, filters.view ?? 'all', principal, teamIds);
  }
  query = applyFilters(query, filters);
  let page = query.select('cases.id');
  switch (filters.sort ?? 'updated_desc') {
    case 'updated_asc':
      page = page.orderBy('cases.updated_at', 'asc');
      break;
    case 'created_desc':
      page = page.orderBy('cases.created_at', 'desc');
      break;
    case 'priority_desc':
      page = page
        .orderBy(sql`array_position(ARRAY['urgent','high','normal','low'], cases.priority)`)
        .orderBy('cases.updated_at', 'desc');
      break;
    case 'sla_due_asc':
      page = page
        .leftJoin('case_sla', 'case_sla.case_id', 'cases.id')
        .orderBy(sql`case_sla.due_at`, sql`asc nulls last`)
        .orderBy('cases.updated_at', 'desc');
      break;
    default:
      page = page.orderBy('cases.updated_at', 'desc');
  }
  const [rows, total] = await Promise.all([
    page.orderBy('cases.id').limit(filters.limit).offset(filters.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: await caseSummaries(
      db,
      principal,
      rows.map((row) => row.id),
    ),
    total: Number(total.n),
  };
}

export async function inboxCounts(db: Executor, principal: Principal): Promise<Record<InboxView, number>> {
  const teamIds = await teamIdsOf(db, principal);
  const views = ['mine', 'unassigned', 'team', 'sla_at_risk', 'sla_breached', 'all'] as const;
  const counts = await Promise.all(
    views.map((view) =>
      applyView(scoped(db, principal), view, principal, teamIds)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  );
  return Object.fromEntries(views.map((view, i) => [view, Number(counts[i]?.n ?? 0)])) as Record<
    InboxView,
    number
  >;
}

const noSla: Sla = { state: 'none', metric: null, dueAt: null, breachedAt: null };
const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Summaries for these case ids, in the given order, as this principal may see them. */
export async function caseSummaries(
  db: Executor,
  principal: Principal,
  caseIds: readonly string[],
): Promise<CaseSummary[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .leftJoin('case_sla', 'case_sla.case_id', 'cases.id')
    .leftJoin('teams', 'teams.id', 'cases.team_id')
    .selectAll('cases')
    .select([
      'case_sla.state as sla_state',
      'case_sla.metric as sla_metric',
      'case_sla.due_at as sla_due_at',
      'case_sla.breached_at as sla_breached_at',
      'teams.name as team_name',
    ])
    .where('cases.id', 'in', [...caseIds])
    .execute();
  const [customers, vehicles, staff] = await Promise.all([
    customerContacts(db, [...new Set(rows.map((row) => row.customer_id))]),
    vehicleBriefs(db, [...new Set(rows.flatMap((row) => (row.vehicle_id ? [row.vehicle_id] : [])))]),
    staffMembers(db, [...new Set(rows.flatMap((row) => (row.assignee_id ? [row.assignee_id] : [])))]),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return caseIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const vehicle = row.vehicle_id ? vehicles.get(row.vehicle_id) : undefined;
    const assignee = row.assignee_id ? staff.get(row.assignee_id) : undefined;
    const forStaff = principal.kind !== 'customer';
    return [
      {
        id: row.id,
        number: row.number,
        subject: row.subject,
        status: row.status,
        priority: row.priority,
        channel: row.channel,
        market: row.market,
        language: row.language,
        tags: row.tags,
        customer: { id: row.customer_id, name: customers.get(row.customer_id)?.name ?? '' },
        vehicle: vehicle ? { id: vehicle.id, vin: vehicle.vin, model: vehicle.model } : null,
        assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
        team: forStaff && row.team_id ? { id: row.team_id, name: row.team_name ?? '' } : null,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
        lastCustomerMessageAt: iso(row.last_customer_message_at),
        sla:
          forStaff && row.sla_state
            ? {
                state: row.sla_state,
                metric: row.sla_metric,
                dueAt: iso(row.sla_due_at),
                breachedAt: iso(row.sla_breached_at),
              }
            : noSla,
      },
    ];
  });
}

export async function timelineOf(
  db: Executor,
  principal: Principal,
  caseIds: readonly string[],
): Promise<MessageView[]> {
  let query = db
    .selectFrom('case_messages')
    .selectAll()
    .where('case_id', 'in', [...caseIds])
    .orderBy('created_at')
    .orderBy('id');
  if (principal.kind === 'customer') query = query.where('internal', '=', false);
  const rows = await query.execute();
  const attachments = await attachmentsOfMessages(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toMessageView(row, attachments.get(row.id) ?? []));
}

export function toMessageView(
  row: {
    id: string;
    kind: MessageView['kind'];
    internal: boolean;
    author_kind: MessageView['author']['kind'];
    author_id: string | null;
    author_name: string;
    channel: MessageView['channel'];
    body_text: string;
    body_html: string | null;
    quoted_text?: string | null;
    call: MessageView['call'] | null;
    created_at: Date;
  },
  attachments: MessageView['attachments'] = [],
): MessageView {
  return {
    id: row.id,
    kind: row.kind,
    internal: row.internal,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name },
    channel: row.channel,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    quotedText: row.quoted_text ?? null,
    call: row.call ?? null,
    attachments,
    createdAt: row.created_at.toISOString(),
  };
}

export async function caseDetail(
  db: Executor,
  principal: Principal,
  row: CaseRow,
  redirectedFrom: string | null,
): Promise<CaseDetail> {
  const [summary] = await caseSummaries(db, principal, [row.id]);
  if (!summary) throw new Error(`case ${row.id} vanished`);
  const mergedFrom = await db
    .selectFrom('cases')
    .select(['id', 'number'])
    .where('merged_into_id', '=', row.id)
    .execute();
  const forStaff = principal.kind !== 'customer';
  const [followers, links, followUpOf, timeline] = await Promise.all([
    forStaff
      ? db.selectFrom('case_followers').select('user_id').where('case_id', '=', row.id).execute()
      : Promise.resolve([]),
    forStaff
      ? db
          .selectFrom('case_links')
          .innerJoin('cases', 'cases.id', 'case_links.linked_case_id')
          .select(['cases.id', 'cases.number', 'cases.subject', 'cases.status'])
          .where('case_links.case_id', '=', row.id)
          .execute()
      : Promise.resolve([]),
    row.follow_up_of_id
      ? db
          .selectFrom('cases')
          .select(['id', 'number'])
          .where('id', '=', row.follow_up_of_id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
    // Merged cases' messages were moved here; the timeline is this case's messages.
    timelineOf(db, principal, [row.id]),
  ]);
  const people = await staffMembers(
    db,
    followers.map((f) => f.user_id),
  );
  return {
    ...summary,
    followers: followers.map((f) => ({ id: f.user_id, name: people.get(f.user_id)?.name ?? '' })),
    links,
    followUpOf: followUpOf ?? null,
    mergedFrom,
    redirectedFrom,
    viewerIsFollower: principal.kind === 'staff' && followers.some((f) => f.user_id === principal.userId),
    timeline,
  };
}
