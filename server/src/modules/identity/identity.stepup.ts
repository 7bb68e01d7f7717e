// Step-up: a signed-in session proves again that it is the user (authenticator code,
// recovery code or passkey) and is "elevated" for a few minutes. What TOTP and passkeys share.
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { recordAudit } from './identity.audit.js';
import type { IdentityDeps } from './identity.deps.js';
import {
  type CustomerPrincipal,
  isElevated,
  type RequestContext,
  type StaffPrincipal,
} from './identity.principal.js';
import type { StepUpAttemptsTable } from './identity.tables.js';

export type SessionPrincipal = StaffPrincipal | CustomerPrincipal;
export type StepUpMethod = StepUpAttemptsTable['method'];

/** Wrong codes allowed per user and window before step-up answers 429. */
export const STEP_UP_FAILURE_LIMIT = 5;
export const STEP_UP_WINDOW_MINUTES = 10;

/** Step-up belongs to a browser session; API tokens can never be elevated. */
export function sessionPrincipalOf(context: RequestContext): SessionPrincipal {
  const principal = context.principal;
  if (!principal || principal.kind === 'token') throw errors.unauthenticated();
  return principal;
}

export async function elevateSession(
  db: Executor,
  deps: Pick<IdentityDeps, 'stepUpMinutes'>,
  context: RequestContext,
  principal: SessionPrincipal,
  method: StepUpMethod,
): Promise<Date> {
  const row = await db
    .updateTable('sessions')
    .set({ elevated_until: sql`now() + make_interval(mins => ${deps.stepUpMinutes})` })
    .where('id', '=', principal.sessionId)
    .returning('elevated_until')
    .executeTakeFirstOrThrow();
  if (!row.elevated_until) throw new Error('session was not elevated');
  await recordAudit(db, context, {
    action: 'session.elevated',
    entityType: 'user',
    entityId: principal.userId,
    after: { method, elevatedUntil: row.elevated_until },
  });
  return row.elevated_until;
}

/**
 * 429 once the user has STEP_UP_FAILURE_LIMIT failed codes inside the window. Run it
 * after locking a per-user row, so parallel guesses are counted one after the other.
 */
export async function assertStepUpNotThrottled(db: Executor, userId: string): Promise<void> {
  const limiting = await db
    .selectFrom('step_up_attempts')
    .select(
      sql<number>`extract(epoch from at + make_interval(mins => ${STEP_UP_WINDOW_MINUTES}) - now())`.as(
        'seconds_left',
      ),
    )
    .where('user_id', '=', userId)
    .where('succeeded', '=', false)
    .where('method', 'in', ['totp', 'recovery_code'])
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${STEP_UP_WINDOW_MINUTES})`)
    .orderBy('at', 'desc')
    .offset(STEP_UP_FAILURE_LIMIT - 1)
    .limit(1)
    .executeTakeFirst();
  // The limit lifts when the oldest of the last LIMIT failures leaves the window.
  if (limiting) throw errors.tooManyAttempts(Math.max(1, Math.ceil(Number(limiting.seconds_left))));
}

export async function recordStepUpAttempt(
  db: Executor,
  context: RequestContext,
  userId: string,
  method: StepUpMethod,
  succeeded: boolean,
): Promise<void> {
  await db.insertInto('step_up_attempts').values({ user_id: userId, method, succeeded }).execute();
  if (!succeeded) {
    await recordAudit(db, context, {
      action: 'step_up.failed',
      entityType: 'user',
      entityId: userId,
      after: { method },
    });
  }
}

/**
 * Adding a second factor needs the first: otherwise whoever holds a stolen session cookie
 * could enrol their own authenticator and elevate themselves. The first factor is free.
 */
export async function assertMayAddFactor(db: Executor, principal: SessionPrincipal): Promise<void> {
  if (isElevated(principal)) return;
  const [totp, passkey] = await Promise.all([
    db
      .selectFrom('totp_credentials')
      .select('user_id')
      .where('user_id', '=', principal.userId)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst(),
    db
      .selectFrom('webauthn_credentials')
      .select('id')
      .where('user_id', '=', principal.userId)
      .limit(1)
      .executeTakeFirst(),
  ]);
  if (totp || passkey) throw errors.stepUpRequired();
}
