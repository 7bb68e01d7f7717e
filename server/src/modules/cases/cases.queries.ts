// Reading cases: the inbox list with its view counts, and a message as the API shows it.
// Summaries are in cases.summaries.ts, the opened case in cases.detail.ts.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, Executor } from '../../platform/database.js';
import type { Principal } from '../identity/index.js';
import { caseMarkets } from './cases.policy.js';
import type { CaseSummary, InboxQuery, InboxView, MessageView } from './cases.schemas.js';
import { summaryQuery, toSummary } from './cases.summaries.js';

const openStatuses = ['new', 'open', 'pending_customer', 'pending_third_party'] as const;
type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;

function scoped(db: Executor, principal: Principal): CaseQuery {
  let query = db.selectFrom('cases').where('cases.merged_into_id', 'is', null) as CaseQuery;
  if (principal.kind === 'customer') return query.where('cases.customer_id', '=', principal.customerId);
  const markets = caseMarkets(principal);
  if (markets !== null) query = query.where('cases.market', 'in', markets.length > 0 ? [...markets] : ['--']);
  return query;
}

function applyView(query: CaseQuery, view: InboxView, principal: Principal): CaseQuery {
  const userId = principal.kind === 'staff' ? principal.userId : '00000000-0000-0000-0000-000000000000';
  switch (view) {
    case 'mine':
      return query.where('cases.assignee_id', '=', userId).where('cases.status', 'in', [...openStatuses]);
    case 'unassigned':
      return query.where('cases.assignee_id', 'is', null).where('cases.status', 'in', [...openStatuses]);
    case 'team':
      // The caller's teams are read in the same statement, not asked for first.
      return query
        .where('cases.team_id', 'in', (eb) =>
          eb.selectFrom('team_members').select('team_id').where('team_members.user_id', '=', userId),
        )
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

/** `total` is exact up to this many cases past the page's offset; beyond, it is a lower bound. */
export const INBOX_COUNT_CAP = 1000;

type InboxSort = NonNullable<InboxQuery['sort']>;

/**
 * The sort's keys over a table alias (`cases` in the page, `c` around it), the id last so
 * pages never overlap. The SLA due time is `case_sla.due_at` joined in the page, and read
 * again for the page's rows around it.
 */
function sortKeys(sort: InboxSort, cases: 'cases' | 'c') {
  const column = (name: string) => sql.ref(`${cases}.${name}`);
  const slaDue =
    cases === 'cases' ? sql.ref('case_sla.due_at') : sql`(SELECT due_at FROM case_sla WHERE case_id = c.id)`;
  const keys = {
    updated_desc: [sql`${column('updated_at')} desc`],
    updated_asc: [sql`${column('updated_at')} asc`],
    created_desc: [sql`${column('created_at')} desc`],
    priority_desc: [
      sql`array_position(ARRAY['urgent','high','normal','low'], ${column('priority')})`,
      sql`${column('updated_at')} desc`,
    ],
    sla_due_asc: [sql`${slaDue} asc nulls last`, sql`${column('updated_at')} desc`],
  }[sort];
  return [...keys, sql`${column('id')}`];
}

/**
 * One page of a view with its summaries and its size, in one statement: the page is cut
 * first (by the inbox indexes), then the summary's joins run on its rows only, and the size
 * is counted only up to INBOX_COUNT_CAP past the offset — an exact count of a market's open
 * cases reads tens of thousands of index entries on every page turn.
 */
export async function listInbox(
  db: Executor,
  principal: Principal,
  filters: InboxQuery,
): Promise<{ items: CaseSummary[]; total: number; totalIsLowerBound: boolean }> {
  let query = scoped(db, principal);
  // Customers see all their own cases; staff views default to open work unless a status is asked for.
  if (principal.kind !== 'customer' && !(filters.status?.length && (filters.view ?? 'all') === 'all')) {
    query = applyView(query, filters.view ?? 'all', principal);
  }
  query = applyFilters(query, filters);
  const sort = filters.sort ?? 'updated_desc';
  let page = query.selectAll('cases');
  if (sort === 'sla_due_asc') {
    page = page.leftJoin('case_sla', 'case_sla.case_id', 'cases.id') as unknown as typeof page;
  }
  for (const key of sortKeys(sort, 'cases')) page = page.orderBy(key);
  page = page.limit(filters.limit).offset(filters.offset);
  const countUpTo = filters.offset + INBOX_COUNT_CAP + 1;
  const counted = db
    .selectFrom(query.select(sql<number>`1`.as('one')).limit(countUpTo).as('capped'))
    .select((eb) => eb.fn.countAll<string>().as('n'));
  let withSummaries = summaryQuery(db, page).select(counted.as('total_counted'));
  for (const key of sortKeys(sort, 'c')) withSummaries = withSummaries.orderBy(key);
  const rows = await withSummaries.execute();
  // The count rides on the page's rows; a page past the end has none to ride on.
  const n =
    rows.length > 0
      ? Number(rows[0]?.total_counted ?? 0)
      : filters.offset === 0
        ? 0
        : Number((await counted.executeTakeFirstOrThrow()).n);
  const lowerBound = n >= countUpTo;
  return {
    items: rows.map((row) => toSummary(row, principal)),
    total: lowerBound ? countUpTo - 1 : n,
    totalIsLowerBound: lowerBound,
  };
}

export async function inboxCounts(db: Executor, principal: Principal): Promise<Record<InboxView, number>> {
  const views = ['mine', 'unassigned', 'team', 'sla_at_risk', 'sla_breached', 'all'] as const;
  // Six exact counts, one statement.
  const row = await db
    .selectNoFrom(
      views.map((view) =>
        applyView(scoped(db, principal), view, principal)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .as(view),
      ),
    )
    .executeTakeFirstOrThrow();
  return Object.fromEntries(views.map((view) => [view, Number(row[view] ?? 0)])) as Record<InboxView, number>;
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
