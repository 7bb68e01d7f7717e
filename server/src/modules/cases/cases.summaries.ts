// A case summary (one inbox row) in the same statement that reads the cases: the SLA state,
// the team, and the names of the customer, the vehicle and the assignee read beside the page.
//
// The names come straight from the customers module's `customers` and `vehicles` tables and
// identity's `users` (display fields only). That is deliberate: asking each module in turn
// (customerContacts, vehicleBriefs, staffMembers) cost three more statements per inbox page
// and per case opened, which under load is most of what a request costs (bench/README.md).
// Everything else — ownership, markets, rights — still goes through those modules' doors.
import { type SelectQueryBuilder, sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Database, Executor } from '../../platform/database.js';
import type { Principal } from '../identity/index.js';
import type { CaseSummary, Sla } from './cases.schemas.js';
import type { CaseRow } from './cases.tables.js';

/** A query whose rows are whole cases (`cases.*`), e.g. one page of the inbox. */
export type CasesSource = SelectQueryBuilder<Database, 'cases', CaseRow>;

/**
 * The summary's columns over `source`, aliased `c`: one sub-select per column, run on the
 * source's rows only (a page of 25, or one case), never on every case the filters match.
 * Sub-selects rather than joins because PostgreSQL plans them separately: five left joins
 * cost 0.6 ms of planning per statement, more than running it.
 */
export function summaryQuery<DB, TB extends keyof DB>(
  db: Executor,
  source: SelectQueryBuilder<DB, TB, CaseRow>,
) {
  return db
    .selectFrom((source as unknown as CasesSource).as('c'))
    .selectAll('c')
    .select((eb) => [
      jsonObjectFrom(
        eb
          .selectFrom('case_sla as sla')
          .select(['sla.state', 'sla.metric', 'sla.due_at', 'sla.breached_at'])
          .whereRef('sla.case_id', '=', 'c.id'),
      ).as('sla'),
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
      jsonObjectFrom(
        eb
          .selectFrom('vehicles as vehicle')
          .select(['vehicle.id', 'vehicle.vin', 'vehicle.model'])
          .whereRef('vehicle.id', '=', 'c.vehicle_id'),
      ).as('vehicle'),
      eb
        .selectFrom('users as assignee')
        .select('assignee.name')
        .whereRef('assignee.id', '=', 'c.assignee_id')
        .where('assignee.kind', '=', 'staff')
        .as('assignee_name'),
    ]);
}

export type SummaryRow = CaseRow & {
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
  const rows = await summaryQuery(
    db,
    db
      .selectFrom('cases')
      .selectAll('cases')
      .where('cases.id', 'in', [...caseIds]),
  ).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return caseIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toSummary(row, principal)] : [];
  });
}
