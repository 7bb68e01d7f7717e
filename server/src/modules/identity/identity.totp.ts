// TOTP (RFC 6238) as a step-up factor, with ten single-use recovery codes for a lost phone.
// The seed is encrypted at rest; recovery codes are stored only as hashes.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { decryptSecret, encryptSecret, sha256 } from '../../platform/crypto.js';
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { recordAudit } from './identity.audit.js';
import type { IdentityDeps } from './identity.deps.js';
import type { RequestContext } from './identity.principal.js';
import {
  assertMayAddFactor,
  assertStepUpNotThrottled,
  elevateSession,
  recordStepUpAttempt,
  type SessionPrincipal,
  type StepUpMethod,
  sessionPrincipalOf,
} from './identity.stepup.js';

const ISSUER = 'Pitwall';
export const RECOVERY_CODE_COUNT = 10;
/** 32 symbols (so `byte % 32` is unbiased), without the look-alikes i, l, o and u. */
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type TotpStepUpCredential = { code: string } | { recoveryCode: string };

function totpOf(secretBase32: string, label: string): TOTP {
  // SHA-1, 6 digits, 30 s: the only parameters every authenticator app understands.
  return new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
}

/** The time step a code belongs to, or null; one step either side allows for clock drift. */
function matchingStep(totp: TOTP, code: string): number | null {
  const timestamp = Date.now();
  const delta = totp.validate({ token: code, timestamp, window: 1 });
  return delta === null ? null : totp.counter({ timestamp }) + delta;
}

/** 16 symbols (80 bits), shown as `xxxx-xxxx-xxxx-xxxx`. */
function newRecoveryCode(): string {
  const symbols = Array.from(randomBytes(16), (byte) => RECOVERY_ALPHABET[byte % 32]).join('');
  return symbols.match(/.{4}/g)?.join('-') ?? symbols;
}

/** People type codes with or without dashes, spaces and capitals. */
function recoveryCodeHash(code: string): string {
  return sha256(code.toLowerCase().replace(/[^0-9a-z]/g, ''));
}

export async function startTotpEnrolment(
  deps: IdentityDeps,
  context: RequestContext,
): Promise<{ secret: string; otpauthUrl: string }> {
  const principal = sessionPrincipalOf(context);
  const secret = new Secret({ size: 20 });
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('totp_credentials')
      .select('confirmed_at')
      .where('user_id', '=', principal.userId)
      .forUpdate()
      .executeTakeFirst();
    if (existing?.confirmed_at) throw errors.conflict('totp_already_enrolled');
    await assertMayAddFactor(trx, principal);
    // A started but unconfirmed enrolment is simply replaced.
    const sealed = encryptSecret(deps.secretKey, secret.base32);
    await trx
      .insertInto('totp_credentials')
      .values({ user_id: principal.userId, secret_encrypted: sealed })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ secret_encrypted: sealed, last_used_step: null }),
      )
      .execute();
    await recordAudit(trx, context, {
      action: 'totp.enrolment_started',
      entityType: 'user',
      entityId: principal.userId,
    });
  });
  return { secret: secret.base32, otpauthUrl: totpOf(secret.base32, principal.email).toString() };
}

export async function confirmTotpEnrolment(
  deps: IdentityDeps,
  context: RequestContext,
  code: string,
): Promise<{ recoveryCodes: string[]; elevatedUntil: Date }> {
  const principal = sessionPrincipalOf(context);
  return deps.db.transaction().execute(async (trx) => {
    const credential = await trx
      .selectFrom('totp_credentials')
      .selectAll()
      .where('user_id', '=', principal.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!credential) throw errors.invalid('totp_not_started');
    if (credential.confirmed_at) throw errors.conflict('totp_already_enrolled');
    const secret = decryptSecret(deps.secretKey, credential.secret_encrypted);
    const step = matchingStep(totpOf(secret, principal.email), code);
    if (step === null) throw errors.invalid('totp_invalid_code');
    // The confirming code is spent: it cannot be replayed for a step-up.
    await trx
      .updateTable('totp_credentials')
      .set({ confirmed_at: sql`now()`, last_used_step: step })
      .where('user_id', '=', principal.userId)
      .execute();
    const recoveryCodes = await replaceRecoveryCodes(trx, principal.userId);
    await recordAudit(trx, context, {
      action: 'totp.confirmed',
      entityType: 'user',
      entityId: principal.userId,
      after: { recoveryCodes: recoveryCodes.length },
    });
    const elevatedUntil = await elevateSession(trx, deps, context, principal, 'totp');
    return { recoveryCodes, elevatedUntil };
  });
}

async function replaceRecoveryCodes(trx: Executor, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: recoveryCodeHash(code) })))
    .execute();
  return codes;
}

export async function removeTotp(db: Executor, context: RequestContext): Promise<void> {
  const principal = sessionPrincipalOf(context);
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('totp_credentials')
      .where('user_id', '=', principal.userId)
      .returning('confirmed_at')
      .executeTakeFirst();
    if (!removed) throw errors.invalid('totp_not_enrolled');
    await trx.deleteFrom('recovery_codes').where('user_id', '=', principal.userId).execute();
    await recordAudit(trx, context, {
      action: 'totp.removed',
      entityType: 'user',
      entityId: principal.userId,
      before: { confirmedAt: removed.confirmed_at },
    });
  });
}

/** Elevates the session with an authenticator code or a recovery code. */
export async function stepUpWithTotp(
  deps: IdentityDeps,
  context: RequestContext,
  credential: TotpStepUpCredential,
): Promise<Date> {
  const principal = sessionPrincipalOf(context);
  const method: StepUpMethod = 'code' in credential ? 'totp' : 'recovery_code';
  const elevatedUntil = await deps.db.transaction().execute(async (trx) => {
    // The row lock serialises one user's attempts: counting and replay checks cannot race.
    const enrolment = await trx
      .selectFrom('totp_credentials')
      .selectAll()
      .where('user_id', '=', principal.userId)
      .where('confirmed_at', 'is not', null)
      .forUpdate()
      .executeTakeFirst();
    if (!enrolment) throw errors.invalid('totp_not_enrolled');
    await assertStepUpNotThrottled(trx, principal.userId);
    const accepted =
      'code' in credential
        ? await spendTotpCode(trx, deps, principal, enrolment, credential.code)
        : await spendRecoveryCode(trx, context, principal.userId, credential.recoveryCode);
    // A failure is recorded and committed; the error is thrown after the commit.
    await recordStepUpAttempt(trx, context, principal.userId, method, accepted);
    return accepted ? elevateSession(trx, deps, context, principal, method) : null;
  });
  if (!elevatedUntil) throw errors.invalid(method === 'totp' ? 'totp_invalid_code' : 'recovery_code_invalid');
  return elevatedUntil;
}

async function spendTotpCode(
  trx: Executor,
  deps: IdentityDeps,
  principal: SessionPrincipal,
  enrolment: { secret_encrypted: string; last_used_step: number | string | null },
  code: string,
): Promise<boolean> {
  const secret = decryptSecret(deps.secretKey, enrolment.secret_encrypted);
  const step = matchingStep(totpOf(secret, principal.email), code);
  // bigint arrives as a string; a step at or before the last used one is a replay.
  const lastStep = enrolment.last_used_step === null ? null : Number(enrolment.last_used_step);
  if (step === null || (lastStep !== null && step <= lastStep)) return false;
  await trx
    .updateTable('totp_credentials')
    .set({ last_used_step: step })
    .where('user_id', '=', principal.userId)
    .execute();
  return true;
}

async function spendRecoveryCode(
  trx: Executor,
  context: RequestContext,
  userId: string,
  code: string,
): Promise<boolean> {
  // Single use: claimed and marked used in one statement.
  const used = await trx
    .updateTable('recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', recoveryCodeHash(code))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!used) return false;
  const left = await trx
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, context, {
    action: 'recovery_code.used',
    entityType: 'user',
    entityId: userId,
    after: { remaining: Number(left.count) },
  });
  return true;
}
