// A case summary (one inbox row) in the same statement that reads the cases: the SLA state,
// the team, and the names of the customer, the vehicle and the assignee read beside the page.
//
// The names come straight from the customers module's `customers` and `vehicles` tables and
// identity's `users` (display fields only). That is deliberate: asking each module in turn
// (customerContacts, vehicleBriefs, staffMembers) cost three more statements per inbox page
// and per case opened, which under load is most of what a request costs (bench/README.md).
// Everything else — ownership, markets, rights — still goes through those modules' doors.
import { type Expression, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, Executor } from '../../platform/database.js';
import type { Principal } from '../identity/index.js';
import type { CaseSummary, Sla } from './cases.schemas.js';
import type { CaseRow, CasesTable } from './cases.tables.js';

/** Cases (a table or one page of them) under the alias `c`, ready for the summary's columns. */
export type CasesAsC = SelectQueryBuilder<Database & { c: CasesTable }, 'c', object>;

/** One page of cases (ordered and limited) as `c`: the summary's sub-selects then run on its rows only. */
export function pageAsC(db: Executor, page: SelectQueryBuilder<Database, 'cases', CaseRow>): CasesAsC {
  return db.selectFrom(page.as('c')) as unknown as CasesAsC;
}

/** `json_build_object('key', column, …)`; keys are this file's constants, never input. */
export function jsonObject<T>(fields: Record<string, string | Expression<unknown>>): RawBuilder<T> {
  const pairs = Object.entries(fields).map(
    ([key, value]) => sql`${sql.lit(key)}, ${typeof value === 'string' ? sql.ref(value) : value}`,
  );
  return sql<T>`json_build_object(${sql.join(pairs)})`;
}

/** `json_agg(…)` that is `[]`, not null, for no rows; in `orderBy`'s order when given. */
export function jsonArray<T>(element: Expression<unknown>, orderBy?: string[]): RawBuilder<T[]> {
  const order = orderBy ? sql` ORDER BY ${sql.join(orderBy.map((column) => sql.ref(column)))}` : sql``;
  return sql<T[]>`coalesce(json_agg(${element}${order}), '[]')`;
}

type JsonTimestamp = Date | string | null;

/**
 * The summary's columns over cases aliased `c`: one sub-select per column, run on the rows
 * of `c` only (a page of 25, or one case), never on every case the filters match.
 * Sub-selects rather than joins because PostgreSQL plans them separately: five left joins
 * cost 0.6 ms of planning per statement, more than running it.
 *
 * The assignee is the exception, a left join: `users` holds only staff and portal accounts,
 * and while it is small (a pilot, the demo, the benchmark) PostgreSQL reads it by a sequential
 * scan, which as a sub-select ran once per row — 85 µs a page, against 20 µs for 25 index
 * look-ups. A join reads the staff once for the page (or by the index once the table is
 * large), and its planning costs less than the scans it saves.
 */
export function withSummary(query: CasesAsC) {
  return query
    .leftJoin('users as assignee', (join) =>
      join.onRef('assignee.id', '=', 'c.assignee_id').on('assignee.kind', '=', sql.lit('staff')),
    )
    .select([
      'c.id',
      'c.number',
      'c.subject',
      'c.status',
      'c.priority',
      'c.channel',
      'c.market',
      'c.language',
      'c.tags',
      'c.customer_id',
      'c.assignee_id',
      'c.team_id',
      'c.created_at',
      'c.updated_at',
      'c.last_customer_message_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('case_sla as sla')
        .select(
          jsonObject<{
            state: Sla['state'];
            metric: Sla['metric'];
            due_at: JsonTimestamp;
            breached_at: JsonTimestamp;
          }>({
            state: 'sla.state',
            metric: 'sla.metric',
            due_at: 'sla.due_at',
            breached_at: 'sla.breached_at',
          }).as('sla'),
        )
        .whereRef('sla.case_id', '=', 'c.id')
        .as('sla'),
      eb
        .selectFrom('teams as team')
        .select('team.name')
        .whereRef('team.id', '=', 'c.team_id')
        .as('team_name'),
      eb
        .selectFrom('customers as customer')
        .select(sql<string>`customer.first_name || ' ' || customer.last_name`.as('name'))
        .whereRef('customer.id', '=', 'c.customer_id')
        .as('customer_name'),
      eb
        .selectFrom('vehicles as vehicle')
        .select(
          jsonObject<{ id: string; vin: string; model: string }>({
            id: 'vehicle.id',
            vin: 'vehicle.vin',
            model: 'vehicle.model',
          }).as('vehicle'),
        )
        .whereRef('vehicle.id', '=', 'c.vehicle_id')
        .as('vehicle'),
    ])
    .select('assignee.name as assignee_name');
}

export type SummaryRow = Pick<
  CaseRow,
  | 'id'
  | 'number'
  | 'subject'
  | 'status'
  | 'priority'
  | 'channel'
  | 'market'
  | 'language'
  | 'tags'
  | 'customer_id'
  | 'assignee_id'
  | 'team_id'
  | 'created_at'
  | 'updated_at'
  | 'last_customer_message_at'
> & {
  sla: {
    state: Sla['state'];
    metric: Sla['metric'];
    due_at: Date | string | null;
    breached_at: Date | string | null;
  } | null;
  team_name: string | null;
  customer_name: string | null;
  vehicle: { id: string; vin: string; model: string } | null;
  assignee_name: string | null;
};

const noSla: Sla = { state: 'none', metric: null, dueAt: null, breachedAt: null };
const iso = (value: Date | null) => (value ? value.toISOString() : null);
/** Timestamps inside JSON arrive as text; the API shows every timestamp as toISOString() does. */
const isoOfJson = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Staff see the team and the SLA; customers see neither. */
export function toSummary(row: SummaryRow, principal: Principal): CaseSummary {
  const forStaff = principal.kind !== 'customer';
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    channel: row.channel,
    market: row.market,
    language: row.language,
    tags: row.tags,
    customer: { id: row.customer_id, name: row.customer_name ?? '' },
    vehicle: row.vehicle,
    assignee:
      row.assignee_id && row.assignee_name !== null ? { id: row.assignee_id, name: row.assignee_name } : null,
    team: forStaff && row.team_id ? { id: row.team_id, name: row.team_name ?? '' } : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastCustomerMessageAt: iso(row.last_customer_message_at),
    sla:
      forStaff && row.sla
        ? {
            state: row.sla.state,
            metric: row.sla.metric,
            dueAt: isoOfJson(row.sla.due_at),
            breachedAt: isoOfJson(row.sla.breached_at),
          }
        : noSla,
  };
}

/** Summaries for these case ids, in the given order, as this principal may see them. */
export async function caseSummaries(
  db: Executor,
  principal: Principal,
  caseIds: readonly string[],
): Promise<CaseSummary[]> {
  if (caseIds.length === 0) return [];
  const rows = await withSummary(db.selectFrom('cases as c').where('c.id', 'in', [...caseIds])).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return caseIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toSummary(row, principal)] : [];
  });
}
