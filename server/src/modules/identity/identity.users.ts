// Users and their roles: the signed-in user's own profile and the admin's user list.

import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import type { Language } from '../../platform/i18n.js';
import { recordAudit } from './identity.audit.js';
import { hashPassword } from './identity.passwords.js';
import { permissionsOf } from './identity.permissions.js';
import type { CustomerPrincipal, RequestContext, StaffPrincipal } from './identity.principal.js';
import type { CreateUserBody, Me, UpdateUserBody, User } from './identity.schemas.js';
import { forgetUser } from './identity.session-cache.js';
import type { UserRow } from './identity.tables.js';

export async function describeMe(db: Executor, principal: StaffPrincipal | CustomerPrincipal): Promise<Me> {
  const [user, totp, passkeys] = await Promise.all([
    db.selectFrom('users').selectAll().where('id', '=', principal.userId).executeTakeFirstOrThrow(),
    db
      .selectFrom('totp_credentials')
      .select('confirmed_at')
      .where('user_id', '=', principal.userId)
      .executeTakeFirst(),
    db
      .selectFrom('webauthn_credentials')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('user_id', '=', principal.userId)
      .executeTakeFirstOrThrow(),
  ]);
  const elevated =
    principal.elevatedUntil && principal.elevatedUntil.getTime() > Date.now()
      ? principal.elevatedUntil
      : null;
  return {
    id: user.id,
    kind: user.kind,
    email: user.email,
    name: user.name,
    roles: user.roles,
    markets: user.markets,
    permissions: [...permissionsOf(user.roles)],
    language: user.language,
    customerId: user.customer_id,
    csrfToken: principal.csrfToken,
    stepUp: {
      totpEnrolled: !!totp?.confirmed_at,
      passkeyCount: Number(passkeys.count),
      elevatedUntil: elevated ? elevated.toISOString() : null,
    },
  };
}

export async function setLanguage(db: Executor, context: RequestContext, userId: string, language: Language) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .select('language')
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('users')
      .set({ language, updated_at: sql`now()` })
      .where('id', '=', userId)
      .execute();
    await recordAudit(trx, context, {
      action: 'user.language_changed',
      entityType: 'user',
      entityId: userId,
      before,
      after: { language },
    });
  });
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    name: row.name,
    roles: row.roles,
    markets: row.markets,
    language: row.language,
    disabled: row.disabled,
    lockedUntil: row.locked_until ? row.locked_until.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listUsers(
  db: Executor,
  query: { q?: string; role?: string; kind?: 'staff' | 'customer'; limit: number; offset: number },
) {
  let select = db.selectFrom('users');
  if (query.kind) select = select.where('kind', '=', query.kind);
  if (query.role) select = select.where(sql<boolean>`${query.role} = ANY(roles)`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    select = select.where((eb) => eb.or([eb('email', 'ilike', like), eb('name', 'ilike', like)]));
  }
  const [rows, total] = await Promise.all([
    select.selectAll().orderBy('name').limit(query.limit).offset(query.offset).execute(),
    select.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toUser), total: Number(total.count) };
}

async function assertMarketsExist(db: Executor, markets: readonly string[]) {
  if (markets.length === 0) return;
  const known = await db
    .selectFrom('markets')
    .select('code')
    .where('code', 'in', [...markets])
    .execute();
  const missing = markets.find((market) => !known.some((row) => row.code === market));
  if (missing) throw errors.invalid('market_unknown', { market: missing });
}

export async function createStaffUser(
  db: Executor,
  context: RequestContext,
  input: CreateUserBody,
): Promise<User> {
  await assertMarketsExist(db, input.markets);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        kind: 'staff',
        email: input.email,
        name: input.name,
        password_hash: passwordHash,
        roles: input.roles,
        markets: input.markets,
        language: input.language,
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw errors.conflict('email_taken');
    const user = toUser(row);
    await recordAudit(trx, context, {
      action: 'user.created',
      entityType: 'user',
      entityId: row.id,
      after: user,
    });
    return user;
  });
}

export async function updateStaffUser(
  db: Executor,
  context: RequestContext,
  id: string,
  input: UpdateUserBody,
): Promise<User> {
  if (input.markets) await assertMarketsExist(db, input.markets);
  const updated = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('kind', '=', 'staff')
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw errors.notFound('user');
    const losesAdmin = (input.roles && !input.roles.includes('admin')) || input.disabled === true;
    if (before.roles.includes('admin') && !before.disabled && losesAdmin) {
      const admins = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where(sql<boolean>`'admin' = ANY(roles)`)
        .where('disabled', '=', false)
        .executeTakeFirstOrThrow();
      if (Number(admins.count) <= 1) throw errors.conflict('cannot_remove_last_admin');
    }
    const after = await trx
      .updateTable('users')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.roles !== undefined && { roles: input.roles }),
        ...(input.markets !== undefined && { markets: input.markets }),
        ...(input.disabled !== undefined && { disabled: input.disabled }),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // Losing access takes effect now, not at the next sign-in.
    if (input.disabled) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await recordAudit(trx, context, {
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      before: toUser(before),
      after: toUser(after),
    });
    return toUser(after);
  });
  // Roles, markets or access changed: this process must not answer from its session cache.
  forgetUser(id);
  return updated;
}

export async function listMarkets(db: Executor, language: Language) {
  const rows = await db.selectFrom('markets').selectAll().orderBy('code').execute();
  return rows.map((row) => ({
    code: row.code,
    name: language === 'de' ? row.name_de : row.name_en,
    timeZone: row.time_zone,
    language: row.language,
    currency: row.currency,
  }));
}

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  roles: string[];
  markets: string[];
  language: Language;
  disabled: boolean;
}

/** Staff users by id, for other modules (assignees, followers, notifications). */
export async function staffMembers(db: Executor, ids: readonly string[]): Promise<Map<string, StaffMember>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'roles', 'markets', 'language', 'disabled'])
    .where('kind', '=', 'staff')
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** Active staff who may work cases of a market (admins cover every market). */
export async function staffForMarket(db: Executor, market: string): Promise<StaffMember[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'roles', 'markets', 'language', 'disabled'])
    .where('kind', '=', 'staff')
    .where('disabled', '=', false)
    .where((eb) =>
      eb.or([eb(sql`${market}`, '=', sql`ANY(markets)`), eb(sql`'admin'`, '=', sql`ANY(roles)`)]),
    )
    .orderBy('name')
    .execute();
}

/** The portal account of a customer, if they have one. */
export async function accountOfCustomer(db: Executor, customerId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'language'])
    .where('customer_id', '=', customerId)
    .where('disabled', '=', false)
    .executeTakeFirst();
}
