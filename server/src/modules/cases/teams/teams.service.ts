// Teams (queues): a name, the markets a team serves and its members. Admins shape them;
// the invariant kept here is that every member covers at least one of the team's markets.
import type { Db, Executor } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import {
  coversMarket,
  type Principal,
  type RequestContext,
  recordAudit,
  type StaffMember,
  staffMembers,
} from '../../identity/index.js';
import type { CreateTeamInput, TeamDetail, UpdateTeamInput } from './teams.schemas.js';

interface TeamRow {
  id: string;
  name: string;
  markets: string[];
  created_at: Date;
}

function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw errors.unauthenticated();
  return context.principal;
}

/** Admins cover every market (as in the assignee lists); other staff the markets of their profile. */
function coversOneOf(member: StaffMember, markets: readonly string[]): boolean {
  return member.roles.includes('admin') || member.markets.some((market) => markets.includes(market));
}

function isNameTaken(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'teams_name_key';
}

async function assertMarketsManageable(db: Executor, principal: Principal, markets: readonly string[]) {
  const outside = markets.find((market) => !coversMarket(principal, market));
  if (outside) throw errors.invalid('market_not_in_scope', { market: outside });
  if (markets.length === 0) return;
  const known = await db
    .selectFrom('markets')
    .select('code')
    .where('code', 'in', [...markets])
    .execute();
  const unknown = markets.find((market) => !known.some((row) => row.code === market));
  if (unknown) throw errors.invalid('market_unknown', { market: unknown });
}

/** The team, locked for a change; only someone responsible for all its markets may change it. */
async function lockTeam(db: Executor, principal: Principal, id: string): Promise<TeamRow> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw errors.notFound('team');
  const outside = row.markets.find((market) => !coversMarket(principal, market));
  if (outside) throw errors.invalid('market_not_in_scope', { market: outside });
  return row;
}

async function memberIds(db: Executor, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute();
  return rows.map((row) => row.user_id);
}

async function toDetail(db: Executor, row: TeamRow): Promise<TeamDetail> {
  const members = await staffMembers(db, await memberIds(db, row.id));
  return {
    id: row.id,
    name: row.name,
    markets: row.markets,
    members: [...members.values()]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map(({ id, name, email, markets }) => ({ id, name, email, markets })),
    createdAt: row.created_at.toISOString(),
  };
}

/** A team with its members; staff see teams that serve one of their markets. */
export async function teamDetail(db: Executor, principal: Principal, id: string): Promise<TeamDetail> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  const visible =
    row && (row.markets.length === 0 || row.markets.some((market) => coversMarket(principal, market)));
  if (!row || !visible) throw errors.notFound('team');
  return toDetail(db, row);
}

export async function createTeam(
  db: Db,
  context: RequestContext,
  input: CreateTeamInput,
): Promise<TeamDetail> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    await assertMarketsManageable(trx, principal, input.markets);
    const row = await trx
      .insertInto('teams')
      .values({ name: input.name.trim(), markets: input.markets })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isNameTaken(error) ? errors.conflict('team_name_taken') : error;
      });
    const team = await toDetail(trx, row);
    await recordAudit(trx, context, {
      action: 'team.created',
      entityType: 'team',
      entityId: row.id,
      after: team,
    });
    return team;
  });
}

export async function updateTeam(
  db: Db,
  context: RequestContext,
  id: string,
  input: UpdateTeamInput,
): Promise<TeamDetail> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const beforeRow = await lockTeam(trx, principal, id);
    const before = await toDetail(trx, beforeRow);
    if (input.markets) {
      await assertMarketsManageable(trx, principal, input.markets);
      const markets = input.markets;
      const members = await staffMembers(trx, await memberIds(trx, id));
      const stranded = [...members.values()].filter((member) => !coversOneOf(member, markets));
      if (stranded.length > 0)
        throw errors.invalid('team_markets_exclude_members', {
          names: stranded.map((member) => member.name).join(', '),
        });
    }
    const row = await trx
      .updateTable('teams')
      .set({
        ...(input.name !== undefined && { name: input.name.trim() }),
        ...(input.markets !== undefined && { markets: input.markets }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isNameTaken(error) ? errors.conflict('team_name_taken') : error;
      });
    const after = await toDetail(trx, row);
    await recordAudit(trx, context, {
      action: 'team.updated',
      entityType: 'team',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** Replaces the members: active staff only, each covering one of the team's markets. */
export async function setTeamMembers(
  db: Db,
  context: RequestContext,
  id: string,
  userIds: readonly string[],
): Promise<TeamDetail> {
  const principal = principalOf(context);
  return db.transaction().execute(async (trx) => {
    const row = await lockTeam(trx, principal, id);
    const before = await toDetail(trx, row);
    const staff = await staffMembers(trx, userIds);
    const unknown = userIds.filter((userId) => {
      const member = staff.get(userId);
      return !member || member.disabled;
    });
    if (unknown.length > 0) throw errors.invalid('team_member_unknown', { ids: unknown.join(', ') });
    const outside = [...staff.values()].filter((member) => !coversOneOf(member, row.markets));
    if (outside.length > 0)
      throw errors.invalid('team_member_outside_markets', {
        names: outside.map((member) => member.name).join(', '),
        markets: row.markets.join(', '),
      });
    await trx.deleteFrom('team_members').where('team_id', '=', id).execute();
    if (userIds.length > 0)
      await trx
        .insertInto('team_members')
        .values(userIds.map((userId) => ({ team_id: id, user_id: userId })))
        .execute();
    const after = await toDetail(trx, row);
    await recordAudit(trx, context, {
      action: 'team.members_changed',
      entityType: 'team',
      entityId: id,
      before: before.members.map((member) => member.id),
      after: after.members.map((member) => member.id),
    });
    return after;
  });
}
