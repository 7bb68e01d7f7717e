// Changing cases: create, update (status, priority, assignee, team, tags, vehicle),
// close, follow, link, merge and bulk changes. Each one: authorise, validate, lock,
// write, audit and announce, in one transaction (Zammad's order).
import { sql } from 'kysely';
import type { Db, Executor, Transaction } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { customerContacts, vehicleBriefs } from '../customers/index.js';
import {
  coversMarket,
  type Principal,
  permissionsOf,
  type RequestContext,
  staffMembers,
} from '../identity/index.js';
import { findVisibleCase } from './cases.access.js';
import { recordCaseChange } from './cases.events.js';
import { mayWorkCase } from './cases.policy.js';
import type { BulkInput, UpdateCaseInput } from './cases.schemas.js';
import type { CaseRow, CaseStatus } from './cases.tables.js';

export function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw errors.unauthenticated();
  return context.principal;
}

/** Closed is final; nothing goes back to new. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (from === to) return;
  if (from === 'closed') throw errors.conflict('case_closed');
  if (to === 'new') throw errors.invalid('invalid_status_transition', { from, to });
}

export function statusTimestamps(to: CaseStatus) {
  return {
    status: to,
    solved_at:
      to === 'solved' ? sql<Date>`coalesce(solved_at, now())` : to === 'closed' ? sql<Date>`solved_at` : null,
    closed_at: to === 'closed' ? sql<Date>`now()` : null,
  };
}

export async function assertAssignable(db: Executor, market: string, assigneeId: string): Promise<void> {
  const member = (await staffMembers(db, [assigneeId])).get(assigneeId);
  const allMarkets = member?.roles.includes('admin') ?? false;
  if (
    !member ||
    member.disabled ||
    !permissionsOf(member.roles).has('cases:write') ||
    !(allMarkets || member.markets.includes(market))
  ) {
    throw errors.invalid('assignee_not_allowed');
  }
}

export async function assertTeam(db: Executor, teamId: string): Promise<void> {
  const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  if (!team) throw errors.invalid('team_unknown');
}

export async function assertVehicleOfCustomer(
  db: Executor,
  customerId: string,
  vehicleId: string,
): Promise<void> {
  const vehicle = (await vehicleBriefs(db, [vehicleId])).get(vehicleId);
  if (!vehicle || vehicle.currentOwnerId !== customerId) throw errors.invalid('vehicle_not_owned');
}

async function lockWorkableCase(trx: Transaction, principal: Principal, ref: string): Promise<CaseRow> {
  const row = await findVisibleCase(trx, principal, ref, { forUpdate: true });
  if (!mayWorkCase(principal, row)) throw errors.forbidden();
  return row;
}

/** Applies one validated change to a locked case and records it. Used by update and bulk. */
async function applyUpdate(
  trx: Transaction,
  context: RequestContext,
  row: CaseRow,
  input: UpdateCaseInput,
): Promise<CaseRow> {
  if (row.status === 'closed') throw errors.conflict('case_closed');
  if (input.status) assertTransition(row.status, input.status);
  if (input.assigneeId) await assertAssignable(trx, row.market, input.assigneeId);
  if (input.teamId) await assertTeam(trx, input.teamId);
  const customerId = input.customerId ?? row.customer_id;
  if (input.customerId && input.customerId !== row.customer_id) {
    const target = await assertCustomerInScope(trx, principalOf(context), input.customerId);
    if (target.market !== row.market) throw errors.invalid('customer_other_market');
  }
  if (input.vehicleId) await assertVehicleOfCustomer(trx, customerId, input.vehicleId);
  const statusChanges = input.status && input.status !== row.status;
  // Assigning a new case starts work on it.
  const impliedStatus = !input.status && input.assigneeId && row.status === 'new' ? 'open' : undefined;
  const nextStatus = statusChanges ? input.status : impliedStatus;
  const after = await trx
    .updateTable('cases')
    .set({
      ...(input.subject !== undefined && { subject: input.subject }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.assigneeId !== undefined && { assignee_id: input.assigneeId }),
      ...(input.teamId !== undefined && { team_id: input.teamId }),
      ...(input.tags !== undefined && { tags: input.tags }),
      ...(input.vehicleId !== undefined && { vehicle_id: input.vehicleId }),
      ...(input.customerId !== undefined &&
        input.customerId !== row.customer_id && {
          customer_id: input.customerId,
          vehicle_id: input.vehicleId ?? null,
        }),
      ...(nextStatus && statusTimestamps(nextStatus)),
      updated_at: sql`now()`,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const changed = (field: keyof CaseRow) => JSON.stringify(row[field]) !== JSON.stringify(after[field]);
  const fields = [
    'status',
    'priority',
    'assignee_id',
    'team_id',
    'tags',
    'subject',
    'vehicle_id',
    'customer_id',
  ] as const;
  const before = Object.fromEntries(fields.map((field) => [field, row[field]]));
  const now = Object.fromEntries(fields.map((field) => [field, after[field]]));
  if (changed('status')) {
    await recordCaseChange(trx, context, after, {
      action: 'case.status_changed',
      before: { status: row.status },
      after: { status: after.status },
      payload: { from: row.status, to: after.status },
    });
  }
  if (changed('assignee_id')) {
    await recordCaseChange(trx, context, after, {
      action: 'case.assigned',
      before: { assignee_id: row.assignee_id },
      after: { assignee_id: after.assignee_id },
      payload: { assigneeId: after.assignee_id, previousAssigneeId: row.assignee_id },
    });
  }
  if (changed('priority')) {
    await recordCaseChange(trx, context, after, {
      action: 'case.priority_changed',
      before: { priority: row.priority },
      after: { priority: after.priority },
      payload: { from: row.priority, to: after.priority },
    });
  }
  if (
    ['subject', 'team_id', 'tags', 'vehicle_id', 'customer_id'].some((field) =>
      changed(field as keyof CaseRow),
    )
  ) {
    await recordCaseChange(trx, context, after, {
      action: 'case.updated',
      before,
      after: now,
      payload: { fields: Object.keys(input) },
    });
  }
  return after;
}

export async function updateCase(
  db: Db,
  context: RequestContext,
  ref: string,
  input: UpdateCaseInput,
): Promise<void> {
  const principal = principalOf(context);
  await db
    .transaction()
    .execute(async (trx) => applyUpdate(trx, context, await lockWorkableCase(trx, principal, ref), input));
}

/** Moves a locked case to a new status (checked), audited and announced. */
export async function changeStatus(
  trx: Transaction,
  context: RequestContext,
  row: CaseRow,
  to: CaseStatus,
): Promise<CaseRow> {
  if (row.status === to) return row;
  assertTransition(row.status, to);
  const after = await trx
    .updateTable('cases')
    .set({ ...statusTimestamps(to), updated_at: sql`now()` })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordCaseChange(trx, context, after, {
    action: 'case.status_changed',
    before: { status: row.status },
    after: { status: to },
    payload: { from: row.status, to },
  });
  return after;
}

/** Customers close their own cases; staff close cases they may work. Closed is final. */
export async function closeCase(db: Db, context: RequestContext, ref: string): Promise<void> {
  const principal = principalOf(context);
  await db.transaction().execute(async (trx) => {
    const row = await findVisibleCase(trx, principal, ref, { forUpdate: true });
    if (principal.kind !== 'customer' && !mayWorkCase(principal, row)) throw errors.forbidden();
    if (row.status === 'closed') throw errors.conflict('case_closed');
    await changeStatus(trx, context, row, 'closed');
  });
}

export async function setFollowing(
  db: Db,
  context: RequestContext,
  ref: string,
  userId: string,
  follow: boolean,
): Promise<void> {
  const principal = principalOf(context);
  await db.transaction().execute(async (trx) => {
    const row = await findVisibleCase(trx, principal, ref);
    if (principal.kind === 'customer') throw errors.forbidden();
    if (userId !== (principal.kind === 'staff' ? principal.userId : null)) {
      if (!mayWorkCase(principal, row)) throw errors.forbidden();
      const member = (await staffMembers(trx, [userId])).get(userId);
      if (
        !member ||
        member.disabled ||
        !(member.roles.includes('admin') || member.markets.includes(row.market))
      )
        throw errors.invalid('follower_not_allowed');
    }
    if (follow)
      await trx
        .insertInto('case_followers')
        .values({ case_id: row.id, user_id: userId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    else
      await trx
        .deleteFrom('case_followers')
        .where('case_id', '=', row.id)
        .where('user_id', '=', userId)
        .execute();
    await recordCaseChange(trx, context, row, {
      action: 'case.updated',
      after: { follower: userId, following: follow },
      payload: { fields: ['followers'] },
      internal: true,
    });
  });
}

export async function linkCases(
  db: Db,
  context: RequestContext,
  ref: string,
  otherRef: string,
  link: boolean,
): Promise<void> {
  const principal = principalOf(context);
  await db.transaction().execute(async (trx) => {
    const row = await lockWorkableCase(trx, principal, ref);
    const other = await findVisibleCase(trx, principal, otherRef);
    if (other.id === row.id) throw errors.invalid('cannot_link_to_itself');
    const pairs = [
      { case_id: row.id, linked_case_id: other.id },
      { case_id: other.id, linked_case_id: row.id },
    ];
    if (link)
      await trx
        .insertInto('case_links')
        .values(pairs)
        .onConflict((oc) => oc.doNothing())
        .execute();
    else
      await trx
        .deleteFrom('case_links')
        .where((eb) =>
          eb.or(
            pairs.map((p) =>
              eb.and([eb('case_id', '=', p.case_id), eb('linked_case_id', '=', p.linked_case_id)]),
            ),
          ),
        )
        .execute();
    await recordCaseChange(trx, context, row, {
      action: 'case.linked',
      after: { linked: other.number, link },
      payload: { other: other.number, link },
      internal: true,
    });
  });
}

/**
 * Merging moves every message and attachment of `ref` into `into`; the old case keeps its
 * number, which from now on leads to the target. Both customers' rights stay right: a
 * case of another customer cannot be merged (its messages would become visible).
 */
export async function mergeCase(
  db: Db,
  context: RequestContext,
  ref: string,
  intoRef: string,
): Promise<string> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const source = await lockWorkableCase(trx, principal, ref);
    const target = await lockWorkableCase(trx, principal, intoRef);
    if (source.id === target.id) throw errors.invalid('cannot_merge_into_itself');
    if (source.customer_id !== target.customer_id) throw errors.invalid('merge_other_customer');
    if (target.status === 'closed') throw errors.conflict('case_closed');
    await trx
      .updateTable('case_messages')
      .set({ case_id: target.id })
      .where('case_id', '=', source.id)
      .execute();
    await trx
      .updateTable('case_attachments')
      .set({ case_id: target.id })
      .where('case_id', '=', source.id)
      .execute();
    await trx
      .updateTable('cases')
      .set({ merged_into_id: target.id, updated_at: sql`now()` })
      .where('merged_into_id', '=', source.id)
      .execute();
    await trx
      .updateTable('cases')
      .set({ merged_into_id: target.id, ...statusTimestamps('closed'), updated_at: sql`now()` })
      .where('id', '=', source.id)
      .execute();
    const mergedTags = [...new Set([...target.tags, ...source.tags])];
    await trx
      .updateTable('cases')
      .set({ tags: mergedTags, updated_at: sql`now()` })
      .where('id', '=', target.id)
      .execute();
    await recordCaseChange(trx, context, source, {
      action: 'case.merged',
      before: { status: source.status },
      after: { merged_into: target.number },
      payload: { into: target.number },
    });
    await recordCaseChange(trx, context, target, {
      action: 'case.updated',
      after: { merged_from: source.number },
      payload: { fields: ['timeline'], mergedFrom: source.number },
    });
    return target.id;
  });
}

/** Each case is changed in its own transaction, so one refusal does not undo the others. */
export async function bulkUpdate(db: Db, context: RequestContext, input: BulkInput) {
  const principal = principalOf(context);
  const updated: string[] = [];
  const failed: Array<{ id: string; error: unknown }> = [];
  for (const caseId of input.caseIds) {
    try {
      await db.transaction().execute(async (trx) => {
        const row = await lockWorkableCase(trx, principal, caseId);
        const tags =
          input.addTags || input.removeTags
            ? [...new Set([...row.tags, ...(input.addTags ?? [])])].filter(
                (tag) => !input.removeTags?.includes(tag),
              )
            : undefined;
        await applyUpdate(trx, context, row, {
          ...(input.status && { status: input.status }),
          ...(input.assigneeId !== undefined && { assigneeId: input.assigneeId }),
          ...(tags && { tags }),
        });
      });
      updated.push(caseId);
    } catch (error) {
      failed.push({ id: caseId, error });
    }
  }
  return { updated, failed };
}

/** Staff may open a case for a customer of their markets. */
export async function assertCustomerInScope(db: Executor, principal: Principal, customerId: string) {
  const customer = (await customerContacts(db, [customerId])).get(customerId);
  if (!customer || (principal.kind !== 'customer' && !coversMarket(principal, customer.market)))
    throw errors.notFound('customer');
  return customer;
}
