// SLA policies: which targets apply to a case. Admins keep one policy per market and
// optionally per priority and/or channel; the most specific match wins.
import type { Expression, QueryCreator } from 'kysely';
import type { Database, Db, Executor } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { coversMarket, type Principal, type RequestContext, recordAudit } from '../../identity/index.js';
import type { CaseChannel, CasePriority } from '../cases.tables.js';
import { isValidWeeklyHours } from './sla.business-hours.js';
import type { CreateSlaPolicyBody, SlaPolicy, SlaPolicyQuery, UpdateSlaPolicyBody } from './sla.schemas.js';
import type { SlaPolicyRow } from './sla.tables.js';

export function toSlaPolicy(row: SlaPolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    market: row.market,
    priority: row.priority,
    channel: row.channel,
    firstResponseMinutes: row.first_response_minutes,
    nextResponseMinutes: row.next_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    businessHours: row.business_hours as SlaPolicy['businessHours'],
    observeHolidays: row.observe_holidays,
    onBreach: row.on_breach,
    escalationTeamId: row.escalation_team_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

type ValueOrExpression<T> = T | Expression<T>;

export interface PolicyScope {
  market: ValueOrExpression<string>;
  priority: ValueOrExpression<CasePriority>;
  channel: ValueOrExpression<CaseChannel>;
}

/**
 * The policy for a case: market + priority + channel > market + priority > market + channel >
 * market. A query, so that the SLA engine reads it with the case's columns as the scope inside
 * the statement that locks the case (`openSlaCase`), by the same rule as `pickPolicy`.
 */
export function policyQuery(db: QueryCreator<Database>, scope: PolicyScope) {
  return db
    .selectFrom('sla_policies')
    .selectAll('sla_policies')
    .where('sla_policies.market', '=', scope.market)
    .where((eb) =>
      eb.or([eb('sla_policies.priority', '=', scope.priority), eb('sla_policies.priority', 'is', null)]),
    )
    .where((eb) =>
      eb.or([eb('sla_policies.channel', '=', scope.channel), eb('sla_policies.channel', 'is', null)]),
    )
    .orderBy((eb) => eb('sla_policies.priority', 'is not', null), 'desc')
    .orderBy((eb) => eb('sla_policies.channel', 'is not', null), 'desc')
    .limit(1);
}

export async function pickPolicy(
  db: Executor,
  scope: { market: string; priority: CasePriority; channel: CaseChannel },
): Promise<SlaPolicyRow | null> {
  return (await policyQuery(db, scope).executeTakeFirst()) ?? null;
}

function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw errors.unauthenticated();
  return context.principal;
}

export async function listPolicies(
  db: Db,
  principal: Principal,
  query: SlaPolicyQuery,
): Promise<SlaPolicy[]> {
  let select = db.selectFrom('sla_policies').selectAll().orderBy('market').orderBy('name');
  if (query.market) select = select.where('market', '=', query.market);
  const rows = await select.execute();
  return rows.filter((row) => coversMarket(principal, row.market)).map(toSlaPolicy);
}

interface PolicyShape {
  onBreach: SlaPolicyRow['on_breach'];
  escalationTeamId: string | null;
  businessHours: SlaPolicy['businessHours'];
}

async function validate(db: Executor, policy: PolicyShape): Promise<void> {
  if (!isValidWeeklyHours(policy.businessHours)) throw errors.invalid('sla_business_hours_invalid');
  if (policy.onBreach === 'reassign' && !policy.escalationTeamId)
    throw errors.invalid('sla_escalation_team_required');
  if (policy.escalationTeamId) {
    const team = await db
      .selectFrom('teams')
      .select('id')
      .where('id', '=', policy.escalationTeamId)
      .executeTakeFirst();
    if (!team) throw errors.invalid('sla_escalation_team_unknown');
  }
}

function isScopeConflict(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'sla_policies_scope';
}

export async function createPolicy(
  db: Db,
  context: RequestContext,
  input: CreateSlaPolicyBody,
): Promise<SlaPolicy> {
  const principal = principalOf(context);
  if (!coversMarket(principal, input.market))
    throw errors.invalid('market_not_in_scope', { market: input.market });
  const escalationTeamId = input.escalationTeamId ?? null;
  return db.transaction().execute(async (trx) => {
    const market = await trx
      .selectFrom('markets')
      .select('code')
      .where('code', '=', input.market)
      .executeTakeFirst();
    if (!market) throw errors.invalid('market_unknown', { market: input.market });
    await validate(trx, { ...input, escalationTeamId });
    const row = await trx
      .insertInto('sla_policies')
      .values({
        name: input.name,
        market: input.market,
        priority: input.priority ?? null,
        channel: input.channel ?? null,
        first_response_minutes: input.firstResponseMinutes,
        next_response_minutes: input.nextResponseMinutes,
        resolution_minutes: input.resolutionMinutes,
        business_hours: JSON.stringify(input.businessHours),
        observe_holidays: input.observeHolidays ?? true,
        on_breach: input.onBreach,
        escalation_team_id: escalationTeamId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isScopeConflict(error) ? errors.conflict('sla_policy_exists') : error;
      });
    const policy = toSlaPolicy(row);
    await recordAudit(trx, context, {
      action: 'sla_policy.created',
      entityType: 'sla_policy',
      entityId: row.id,
      after: policy,
    });
    return policy;
  });
}

async function lockPolicy(db: Executor, principal: Principal, id: string): Promise<SlaPolicyRow> {
  const row = await db
    .selectFrom('sla_policies')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || !coversMarket(principal, row.market)) throw errors.notFound('sla_policy');
  return row;
}

export async function updatePolicy(
  db: Db,
  context: RequestContext,
  id: string,
  input: UpdateSlaPolicyBody,
): Promise<SlaPolicy> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const before = await lockPolicy(trx, principal, id);
    const merged: PolicyShape = {
      onBreach: input.onBreach ?? before.on_breach,
      escalationTeamId:
        input.escalationTeamId === undefined ? before.escalation_team_id : input.escalationTeamId,
      businessHours: input.businessHours ?? (before.business_hours as SlaPolicy['businessHours']),
    };
    await validate(trx, merged);
    const row = await trx
      .updateTable('sla_policies')
      .set({
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.priority === undefined ? {} : { priority: input.priority }),
        ...(input.channel === undefined ? {} : { channel: input.channel }),
        ...(input.firstResponseMinutes === undefined
          ? {}
          : { first_response_minutes: input.firstResponseMinutes }),
        ...(input.nextResponseMinutes === undefined
          ? {}
          : { next_response_minutes: input.nextResponseMinutes }),
        ...(input.resolutionMinutes === undefined ? {} : { resolution_minutes: input.resolutionMinutes }),
        ...(input.observeHolidays === undefined ? {} : { observe_holidays: input.observeHolidays }),
        business_hours: JSON.stringify(merged.businessHours),
        on_breach: merged.onBreach,
        escalation_team_id: merged.escalationTeamId,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isScopeConflict(error) ? errors.conflict('sla_policy_exists') : error;
      });
    const policy = toSlaPolicy(row);
    await recordAudit(trx, context, {
      action: 'sla_policy.updated',
      entityType: 'sla_policy',
      entityId: id,
      before: toSlaPolicy(before),
      after: policy,
    });
    return policy;
  });
}

export async function deletePolicy(db: Db, context: RequestContext, id: string): Promise<void> {
  const principal = principalOf(context);
  await db.transaction().execute(async (trx) => {
    const before = await lockPolicy(trx, principal, id);
    await trx.deleteFrom('sla_policies').where('id', '=', id).execute();
    await recordAudit(trx, context, {
      action: 'sla_policy.deleted',
      entityType: 'sla_policy',
      entityId: id,
      before: toSlaPolicy(before),
    });
  });
}
