// Sessions live in PostgreSQL (any server process can check them). The cookie holds a
// random token; the table holds only its hash, so a database leak yields no sessions.
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { Executor } from '../../platform/database.js';
import { isLanguage } from '../../platform/i18n.js';
import { isPermission, type Permission, permissionsOf } from './identity.permissions.js';
import type { Principal } from './identity.principal.js';
import type { CachedSession, SessionCache } from './identity.session-cache.js';

export const SESSION_COOKIE = 'pw_session';
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export async function createSession(
  db: Executor,
  userId: string,
  meta: { ip: string | null; userAgent: string | null; ttlHours: number },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + meta.ttlHours * 3600 * 1000);
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function principalFromSession(
  db: Executor,
  token: string,
  cache: SessionCache | null = null,
): Promise<Principal | null> {
  const sessionId = sha256(token);
  const cached = cache?.get(sessionId);
  if (cached) {
    await touch(db, sessionId, cached.lastSeenAt, cache);
    return cached.principal;
  }
  const stamp = cache?.stamp() ?? 0;
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.elevated_until',
      's.expires_at',
      's.last_seen_at',
      'u.id',
      'u.kind',
      'u.email',
      'u.name',
      'u.roles',
      'u.markets',
      'u.language',
      'u.customer_id',
    ])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!row) return null;
  const language = isLanguage(row.language) ? row.language : 'en';
  const principal: CachedSession['principal'] =
    row.kind === 'customer' && row.customer_id
      ? {
          kind: 'customer',
          userId: row.id,
          customerId: row.customer_id,
          email: row.email,
          name: row.name,
          language,
          sessionId,
          csrfToken: row.csrf_token,
          elevatedUntil: row.elevated_until,
        }
      : {
          kind: 'staff',
          userId: row.id,
          email: row.email,
          name: row.name,
          roles: row.roles,
          markets: row.markets,
          allMarkets: row.roles.includes('admin'),
          permissions: permissionsOf(row.roles),
          language,
          sessionId,
          csrfToken: row.csrf_token,
          elevatedUntil: row.elevated_until,
        };
  cache?.set(
    sessionId,
    { principal, userId: row.id, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at },
    stamp,
  );
  await touch(db, sessionId, row.last_seen_at, cache);
  return principal;
}

/** Records that the session is in use, at most every few minutes (it shows in the session list). */
async function touch(db: Executor, sessionId: string, lastSeenAt: Date, cache: SessionCache | null) {
  if (Date.now() - lastSeenAt.getTime() <= TOUCH_INTERVAL_MS) return;
  const now = new Date();
  cache?.touched(sessionId, now);
  await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', sessionId).execute();
}

export async function principalFromApiToken(db: Executor, token: string): Promise<Principal | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.created_by')
    .select([
      't.id',
      't.name',
      't.scopes',
      't.markets',
      't.created_by',
      't.last_used_at',
      'u.roles',
      'u.disabled',
    ])
    .where('t.token_hash', '=', sha256(token))
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', row.id).execute();
  }
  // A token can never do more than the person who created it can do today.
  const creatorPermissions = permissionsOf(row.roles);
  const scoped = new Set<Permission>(
    row.scopes.filter(isPermission).filter((p) => creatorPermissions.has(p)),
  );
  return {
    kind: 'token',
    tokenId: row.id,
    name: row.name,
    createdBy: row.created_by,
    markets: row.markets,
    allMarkets: row.markets.includes('*'),
    permissions: scoped,
  };
}

export function clientIp(request: FastifyRequest): string | null {
  return request.ip ?? null;
}
