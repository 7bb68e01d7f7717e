// Sign-in, sign-out and password reset. Failed sign-ins are counted per account
// (lock-out) and per IP (rate limit) in PostgreSQL, so every server process agrees.

import { sql } from 'kysely';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { translator } from '../../platform/i18n.js';
import { queueMail } from '../channels/index.js';
import { recordAudit } from './identity.audit.js';
import type { IdentityDeps } from './identity.deps.js';
import {
  assertStrongPassword,
  dummyPasswordHash,
  hashPassword,
  verifyPassword,
} from './identity.passwords.js';
import type { RequestContext } from './identity.principal.js';
import { forgetUser } from './identity.session-cache.js';
import { createSession } from './identity.sessions.js';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
export const IP_FAILURE_LIMIT = 30;
const IP_WINDOW_MINUTES = 10;
const RESET_TOKEN_MINUTES = 60;

export interface LoginInput {
  email: string;
  password: string;
  userAgent: string | null;
}

async function recordAttempt(db: Executor, email: string, ip: string | null, succeeded: boolean) {
  await db.insertInto('login_attempts').values({ email, ip, succeeded }).execute();
}

export async function login(deps: IdentityDeps, context: RequestContext, input: LoginInput) {
  const { db } = deps;
  const ip = context.ip;
  const recentFailures = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('ip', '=', ip)
    .where('succeeded', '=', false)
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${IP_WINDOW_MINUTES})`)
    .executeTakeFirstOrThrow();
  if (Number(recentFailures.count) >= IP_FAILURE_LIMIT) throw errors.tooManyAttempts(IP_WINDOW_MINUTES * 60);

  const user = await db.selectFrom('users').selectAll().where('email', '=', input.email).executeTakeFirst();
  if (!user || user.disabled) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    await recordAttempt(db, input.email, ip, false);
    throw errors.invalidCredentials();
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await recordAttempt(db, input.email, ip, false);
    throw errors.accountLocked(user.locked_until);
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1) }))
        .where('id', '=', user.id)
        .returning(['failed_login_count'])
        .executeTakeFirstOrThrow();
      if (updated.failed_login_count >= LOCKOUT_THRESHOLD) {
        const until = new Date(Date.now() + LOCKOUT_MINUTES * 60 * 1000);
        await trx
          .updateTable('users')
          .set({ locked_until: until, failed_login_count: 0 })
          .where('id', '=', user.id)
          .execute();
        await recordAudit(trx, context, {
          action: 'user.locked',
          entityType: 'user',
          entityId: user.id,
          after: { lockedUntil: until },
        });
      }
      await recordAttempt(trx, input.email, ip, false);
    });
    throw errors.invalidCredentials();
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_login_count: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await recordAttempt(trx, input.email, ip, true);
    const session = await createSession(trx, user.id, {
      ip,
      userAgent: input.userAgent,
      ttlHours: deps.sessionTtlHours,
    });
    await recordAudit(
      trx,
      { ...context, principal: null },
      {
        action: 'session.created',
        entityType: 'user',
        entityId: user.id,
        after: { email: user.email, ip },
      },
    );
    return { ...session, userId: user.id };
  });
}

export async function logout(db: Executor, context: RequestContext, sessionId: string, userId: string) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await recordAudit(trx, context, { action: 'session.ended', entityType: 'user', entityId: userId });
  });
}

/** Always answers the same, whether or not the address exists, so accounts cannot be probed. */
export async function requestPasswordReset(deps: IdentityDeps, context: RequestContext, email: string) {
  const user = await deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  if (!user || user.disabled) return;
  const token = randomToken();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_reset_tokens')
      .values({
        token_hash: sha256(token),
        user_id: user.id,
        expires_at: new Date(Date.now() + RESET_TOKEN_MINUTES * 60 * 1000),
      })
      .execute();
    const t = translator(user.language);
    const link = `${deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await queueMail(trx, deps.mail, {
      to: user.email,
      subject: t('mail.passwordReset.subject'),
      text: t('mail.passwordReset.body', { name: user.name, link }),
      language: user.language,
      template: 'identity.password_reset',
    });
    await recordAudit(trx, context, {
      action: 'password_reset.requested',
      entityType: 'user',
      entityId: user.id,
    });
  });
}

export async function confirmPasswordReset(
  deps: IdentityDeps,
  context: RequestContext,
  token: string,
  password: string,
) {
  assertStrongPassword(password);
  const passwordHash = await hashPassword(password);
  const userId = await deps.db.transaction().execute(async (trx) => {
    // Single use: the row is claimed and marked used in one statement.
    const claimed = await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('user_id')
      .executeTakeFirst();
    if (!claimed) throw errors.invalid('reset_token_invalid');
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_login_count: 0, locked_until: null, updated_at: sql`now()` })
      .where('id', '=', claimed.user_id)
      .execute();
    // A new password ends every existing session.
    await trx.deleteFrom('sessions').where('user_id', '=', claimed.user_id).execute();
    await recordAudit(trx, context, {
      action: 'password_reset.completed',
      entityType: 'user',
      entityId: claimed.user_id,
    });
    return claimed.user_id;
  });
  forgetUser(userId);
}
