// Passkeys (WebAuthn) as a step-up factor. The challenge lives on the session row, tagged
// with its purpose, and the first verification spends it, whatever the outcome.
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { recordAudit } from './identity.audit.js';
import type { IdentityDeps } from './identity.deps.js';
import type { RequestContext } from './identity.principal.js';
import {
  assertMayAddFactor,
  elevateSession,
  recordStepUpAttempt,
  sessionPrincipalOf,
} from './identity.stepup.js';
import type { Passkey } from './identity.stepup.schemas.js';

const RP_NAME = 'Pitwall';
/** A registration challenge cannot be spent on a step-up, nor the other way round. */
type ChallengePurpose = 'registration' | 'authentication';

function relyingParty(deps: IdentityDeps): { rpID: string; origin: string } {
  const url = new URL(deps.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

async function storeChallenge(db: Executor, sessionId: string, purpose: ChallengePurpose, challenge: string) {
  // A challenge is a nonce, not a change anyone needs to audit.
  await db
    .updateTable('sessions')
    .set({ webauthn_challenge: `${purpose}:${challenge}` })
    .where('id', '=', sessionId)
    .execute();
}

/** Takes the session's challenge off the row; null when there is none for this purpose. */
async function spendChallenge(db: Executor, sessionId: string, purpose: ChallengePurpose) {
  const stored = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('sessions')
      .select('webauthn_challenge')
      .where('id', '=', sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!row?.webauthn_challenge) return null;
    await trx.updateTable('sessions').set({ webauthn_challenge: null }).where('id', '=', sessionId).execute();
    return row.webauthn_challenge;
  });
  const prefix = `${purpose}:`;
  return stored?.startsWith(prefix) ? stored.slice(prefix.length) : null;
}

function toPasskey(row: { id: string; name: string; created_at: Date; last_used_at: Date | null }): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
  };
}

function credentialsOf(db: Executor, userId: string) {
  return db
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function passkeyRegistrationOptions(
  deps: IdentityDeps,
  context: RequestContext,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const principal = sessionPrincipalOf(context);
  await assertMayAddFactor(deps.db, principal);
  const existing = await credentialsOf(deps.db, principal.userId);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: relyingParty(deps).rpID,
    userName: principal.email,
    // The user handle is stored on the authenticator: the id, never the email.
    userID: new TextEncoder().encode(principal.userId),
    userDisplayName: principal.name,
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: row.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(deps.db, principal.sessionId, 'registration', options.challenge);
  return options;
}

export async function registerPasskey(
  deps: IdentityDeps,
  context: RequestContext,
  input: { response: RegistrationResponseJSON; name: string },
): Promise<Passkey> {
  const principal = sessionPrincipalOf(context);
  const expectedChallenge = await spendChallenge(deps.db, principal.sessionId, 'registration');
  if (!expectedChallenge) throw errors.invalid('passkey_invalid');
  const { rpID, origin } = relyingParty(deps);
  const verification = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) throw errors.invalid('passkey_invalid');
  const { credential } = verification.registrationInfo;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webauthn_credentials')
      .values({
        id: credential.id,
        user_id: principal.userId,
        name: input.name,
        public_key: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw errors.conflict('passkey_already_registered');
    const passkey = toPasskey(row);
    await recordAudit(trx, context, {
      action: 'passkey.registered',
      entityType: 'user',
      entityId: principal.userId,
      after: { id: passkey.id, name: passkey.name },
    });
    return passkey;
  });
}

export async function listPasskeys(db: Executor, context: RequestContext): Promise<Passkey[]> {
  return (await credentialsOf(db, sessionPrincipalOf(context).userId)).map(toPasskey);
}

export async function removePasskey(db: Executor, context: RequestContext, id: string): Promise<void> {
  const principal = sessionPrincipalOf(context);
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('webauthn_credentials')
      .where('id', '=', id)
      .where('user_id', '=', principal.userId)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!removed) throw errors.notFound('passkey');
    await recordAudit(trx, context, {
      action: 'passkey.removed',
      entityType: 'user',
      entityId: principal.userId,
      before: removed,
    });
  });
}

export async function passkeyStepUpOptions(
  deps: IdentityDeps,
  context: RequestContext,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const principal = sessionPrincipalOf(context);
  const existing = await credentialsOf(deps.db, principal.userId);
  if (existing.length === 0) throw errors.invalid('passkey_none');
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps).rpID,
    allowCredentials: existing.map((row) => ({ id: row.id, transports: row.transports })),
    userVerification: 'preferred',
  });
  await storeChallenge(deps.db, principal.sessionId, 'authentication', options.challenge);
  return options;
}

export async function stepUpWithPasskey(
  deps: IdentityDeps,
  context: RequestContext,
  response: AuthenticationResponseJSON,
): Promise<Date> {
  const principal = sessionPrincipalOf(context);
  const expectedChallenge = await spendChallenge(deps.db, principal.sessionId, 'authentication');
  const stored = await deps.db
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('id', '=', response.id)
    .where('user_id', '=', principal.userId)
    .executeTakeFirst();
  const { rpID, origin } = relyingParty(deps);
  const verification =
    expectedChallenge && stored
      ? await verifyAuthenticationResponse({
          response,
          expectedChallenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: stored.id,
            publicKey: new Uint8Array(stored.public_key),
            counter: Number(stored.counter),
            transports: stored.transports,
          },
          requireUserVerification: false,
        }).catch(() => null)
      : null;
  if (!stored || !verification?.verified) {
    await deps.db
      .transaction()
      .execute((trx) => recordStepUpAttempt(trx, context, principal.userId, 'passkey', false));
    throw errors.invalid('passkey_invalid');
  }
  return deps.db.transaction().execute(async (trx) => {
    // The signature counter only moves forward (the library refuses a step back).
    await trx
      .updateTable('webauthn_credentials')
      .set({ counter: verification.authenticationInfo.newCounter, last_used_at: sql`now()` })
      .where('id', '=', stored.id)
      .execute();
    await recordStepUpAttempt(trx, context, principal.userId, 'passkey', true);
    return elevateSession(trx, deps, context, principal, 'passkey');
  });
}
