// Reading cases: the inbox list with its view counts, and a message as the API shows it.
// Summaries are in cases.summaries.ts, the opened case in cases.detail.ts.
import { type CompiledQuery, type SelectQueryBuilder, sql } from 'kysely';
import { type Database, type Executor, Slot, statementsByShape } from '../../platform/database.js';
import type { Principal } from '../identity/index.js';
import { caseMarkets } from './cases.policy.js';
import type { CaseSummary, InboxQuery, InboxView, MessageView } from './cases.schemas.js';
import { pageAsC, toSummary, withSummary } from './cases.summaries.js';
import type { CasePriority, CaseStatus } from './cases.tables.js';

const openStatuses = ['new', 'open', 'pending_customer', 'pending_third_party'] as const;
type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;
type InboxSort = NonNullable<InboxQuery['sort']>;
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** `total` is exact up to this many cases past the page's offset; beyond, it is a lower bound. */
export const INBOX_COUNT_CAP = 1000;

/**
 * Where the page is cut in the statement's text: the smallest of these that holds the page
 * (the exact page size is applied around it as a value). PostgreSQL can plan a prepared
 * statement once for all calls (a generic plan) only if nothing the plan depends on is a
 * parameter: with `LIMIT $n` it must assume a tenth of all matches are wanted and sorts every
 * open case of a market. A literal cut keeps the number of statement texts small.
 */
const PAGE_CUTS = [25, 50, 100] as const;

/** A statement's own constant, written into its text: a generic plan can then prove partial indexes. */
const literal = <T extends string | number>(value: T) => sql.lit(value);
const openStatusLiterals = () => openStatuses.map(literal);

/**
 * What one inbox statement asks, decided once from the principal and the filters: its
 * structure (kind, view, sort) and its values. The statement is built from this alone, and
 * never branches on a value, only on whether it is there (and a list's length): so its text
 * can be compiled once per shape and the values bound per request (see `compiledInbox`).
 */
interface InboxStatement {
  kind: 'customer' | 'staff';
  view: InboxView | null;
  sort: InboxSort;
  /** The page's LIMIT in the text (one of PAGE_CUTS); `values.limit` is the exact page size. */
  cut: number;
  values: {
    customerId?: string;
    /** The markets in scope; a market asked for narrows it to that one ('--' if not in scope). */
    markets?: string[];
    userId?: string;
    status?: string[];
    priority?: string;
    assigneeId?: string;
    teamId?: string;
    tag?: string;
    customerFilter?: string;
    like?: string;
    limit: number;
    /** Absent on the first page: no OFFSET, and the count's cap is a literal (INBOX_COUNT_CAP + 1). */
    offset?: number;
    countUpTo?: number;
  };
}

/** The count stops after this many matches: one more than the cap past the offset. */
const countUpTo = (offset: number) => offset + INBOX_COUNT_CAP + 1;

function inboxStatement(principal: Principal, filters: InboxQuery): InboxStatement {
  const markets = caseMarkets(principal);
  const scope =
    principal.kind === 'customer'
      ? filters.market
        ? [filters.market]
        : undefined
      : filters.market
        ? [markets === null || markets.includes(filters.market) ? filters.market : '--']
        : markets === null
          ? undefined
          : markets.length > 0
            ? [...markets]
            : ['--'];
  const q = filters.q?.trim();
  return {
    kind: principal.kind === 'customer' ? 'customer' : 'staff',
    // Customers see all their own cases; staff views default to open work unless a status is asked for.
    view:
      principal.kind === 'customer' || (filters.status?.length && (filters.view ?? 'all') === 'all')
        ? null
        : (filters.view ?? 'all'),
    sort: filters.sort ?? 'updated_desc',
    cut: PAGE_CUTS.find((cut) => cut >= filters.limit) ?? filters.limit,
    values: {
      ...(principal.kind === 'customer' && { customerId: principal.customerId }),
      ...(scope && { markets: scope }),
      userId: principal.kind === 'staff' ? principal.userId : NOBODY,
      ...(filters.status?.length && { status: [...filters.status] }),
      ...(filters.priority && { priority: filters.priority }),
      ...(filters.assigneeId && { assigneeId: filters.assigneeId }),
      ...(filters.teamId && { teamId: filters.teamId }),
      ...(filters.tag && { tag: filters.tag }),
      ...(filters.customerId && { customerFilter: filters.customerId }),
      ...(q && { like: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` }),
      limit: filters.limit,
      ...(filters.offset > 0 && { offset: filters.offset, countUpTo: countUpTo(filters.offset) }),
    },
  };
}

/** Cases of the statement's scope, view and filters, not merged away. */
function matching(db: Executor, st: InboxStatement): CaseQuery {
  const v = st.values;
  let q = db.selectFrom('cases').where('cases.merged_into_id', 'is', null) as CaseQuery;
  if (v.customerId !== undefined) q = q.where('cases.customer_id', '=', v.customerId);
  // One market is one condition the index can use, not "in my markets and equal to this one".
  if (v.markets?.length === 1) q = q.where('cases.market', '=', v.markets[0] as string);
  else if (v.markets !== undefined) q = q.where('cases.market', 'in', v.markets);
  if (st.view) q = whereView(q, st.view, v.userId ?? NOBODY);
  if (v.status !== undefined) q = q.where('cases.status', 'in', v.status as CaseStatus[]);
  if (v.priority !== undefined) q = q.where('cases.priority', '=', v.priority as CasePriority);
  if (v.assigneeId !== undefined) q = q.where('cases.assignee_id', '=', v.assigneeId);
  if (v.teamId !== undefined) q = q.where('cases.team_id', '=', v.teamId);
  if (v.tag !== undefined) q = q.where(sql<boolean>`${v.tag} = ANY(cases.tags)`);
  if (v.customerFilter !== undefined) q = q.where('cases.customer_id', '=', v.customerFilter);
  const like = v.like;
  if (like !== undefined)
    q = q.where((eb) => eb.or([eb('cases.subject', 'ilike', like), eb('cases.number', 'ilike', like)]));
  return q;
}

function whereView(query: CaseQuery, view: InboxView, userId: string): CaseQuery {
  switch (view) {
    case 'mine':
      return query.where('cases.assignee_id', '=', userId).where('cases.status', 'in', openStatusLiterals());
    case 'unassigned':
      return query.where('cases.assignee_id', 'is', null).where('cases.status', 'in', openStatusLiterals());
    case 'team':
      // The caller's teams are read in the same statement, not asked for first.
      return query
        .where('cases.team_id', 'in', (eb) =>
          eb.selectFrom('team_members').select('team_id').where('team_members.user_id', '=', userId),
        )
        .where('cases.status', 'in', openStatusLiterals());
    case 'sla_at_risk':
      return query.where('cases.id', 'in', (eb) =>
        eb.selectFrom('case_sla').select('case_id').where('state', '=', literal('warning')),
      );
    case 'sla_breached':
      return query
        .where('cases.id', 'in', (eb) =>
          eb.selectFrom('case_sla').select('case_id').where('state', '=', literal('breached')),
        )
        .where('cases.status', 'in', openStatusLiterals());
    default:
      return query.where('cases.status', 'in', openStatusLiterals());
  }
}

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

function countQuery(db: Executor, st: InboxStatement) {
  const upTo = st.values.countUpTo ?? literal(countUpTo(0));
  return db
    .selectFrom(matching(db, st).select(sql<number>`1`.as('one')).limit(upTo).as('capped'))
    .select((eb) => eb.fn.countAll<string>().as('n'));
}

/**
 * The page cut first (by the inbox indexes) at a literal PAGE_CUTS size, its summaries read
 * beside its rows, the exact page size taken of them (rows are pulled one by one, so a cut of
 * 25 for a page of 5 reads 5), and the capped count. The first page has no OFFSET at all.
 */
function pageQuery(db: Executor, st: InboxStatement) {
  let page = matching(db, st).selectAll('cases');
  if (st.sort === 'sla_due_asc') {
    page = page.leftJoin('case_sla', 'case_sla.case_id', 'cases.id') as unknown as typeof page;
  }
  for (const key of sortKeys(st.sort, 'cases')) page = page.orderBy(key);
  page = page.limit(literal(st.cut));
  if (st.values.offset !== undefined) page = page.offset(st.values.offset);
  let query = withSummary(pageAsC(db, page)).select(countQuery(db, st).as('total_counted'));
  for (const key of sortKeys(st.sort, 'c')) query = query.orderBy(key);
  return query.limit(st.values.limit);
}

type InboxRow = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

/** Every value comes from a slot; the statement's constants are literals of its text. */
const inboxStatements = statementsByShape<InboxRow>();

function shapeOf(st: InboxStatement): string {
  const values = Object.entries(st.values).map(([name, value]) =>
    Array.isArray(value) ? `${name}[${value.length}]` : name,
  );
  return [st.kind, st.view, st.sort, `cut=${st.cut}`, ...values.sort()].join(' ');
}

/**
 * Building and compiling this statement with Kysely costs more node CPU than everything else
 * the request does. Its text depends only on the statement's shape, so it is compiled once per
 * shape with a Slot for every value, and each request binds its own values to the slots.
 */
function compiledInbox(db: Executor, st: InboxStatement): CompiledQuery<InboxRow> {
  const slotted = Object.fromEntries(
    Object.entries(st.values).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map((_, i) => new Slot(`${name}.${i}`)) : new Slot(name),
    ]),
  ) as unknown as InboxStatement['values'];
  const values = st.values as Record<string, unknown>;
  return inboxStatements(
    shapeOf(st),
    () => pageQuery(db, { ...st, values: slotted }),
    (slot) => {
      const [name = '', index] = slot.name.split('.');
      return index === undefined ? values[name] : (values[name] as unknown[])[Number(index)];
    },
  );
}

/**
 * One page of a view with its summaries and its size, in one statement. The size is counted
 * only up to INBOX_COUNT_CAP past the offset: an exact count of a market's open cases reads
 * tens of thousands of index entries on every page turn.
 */
export async function listInbox(
  db: Executor,
  principal: Principal,
  filters: InboxQuery,
): Promise<{ items: CaseSummary[]; total: number; totalIsLowerBound: boolean }> {
  const st = inboxStatement(principal, filters);
  const { rows } = await db.executeQuery(compiledInbox(db, st));
  // The count rides on the page's rows; a page past the end has none to ride on.
  const n =
    rows.length > 0
      ? Number(rows[0]?.total_counted ?? 0)
      : filters.offset === 0
        ? 0
        : Number((await countQuery(db, st).executeTakeFirstOrThrow()).n);
  const upTo = countUpTo(filters.offset);
  const lowerBound = n >= upTo;
  return {
    items: rows.map((row) => toSummary(row, principal)),
    total: lowerBound ? upTo - 1 : n,
    totalIsLowerBound: lowerBound,
  };
}

export async function inboxCounts(db: Executor, principal: Principal): Promise<Record<InboxView, number>> {
  const views = ['mine', 'unassigned', 'team', 'sla_at_risk', 'sla_breached', 'all'] as const;
  // Six exact counts, one statement.
  const row = await db
    .selectNoFrom(
      views.map((view) =>
        matching(db, inboxStatement(principal, { view, limit: 1, offset: 0 }))
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
