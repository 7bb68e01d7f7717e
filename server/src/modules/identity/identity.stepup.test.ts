import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret } from '../../platform/crypto.js';
import { buildTestApp, login, type Session, TEST_SECRET_KEY, type TestApp } from '../../test/app.js';
import { auditCount, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';
import { STEP_UP_FAILURE_LIMIT } from './identity.stepup.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(() => t.close());

/** The code of the current time step plus `offset`, taken well inside the step. */
async function totpCode(secret: string, offset = 0): Promise<string> {
  // Near the end of a step the server might already be in the next one: wait it out.
  if (TOTP.remaining() < 1500) await new Promise((resolve) => setTimeout(resolve, TOTP.remaining() + 50));
  const step = TOTP.counter() + offset;
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * 30_000 + 1 });
}

async function signIn(roles: string[] = ['agent']) {
  const staff = await createStaff(t.db, { roles, markets: ['DE'] });
  return { staff, session: await login(t.app, staff.email, TEST_PASSWORD) };
}

/** Enrols and confirms an authenticator app (the confirm code is the previous step's). */
async function enrolTotp(session: Session) {
  const enrolled = await session.request('POST', '/api/me/totp/enrol');
  expect(enrolled.statusCode).toBe(200);
  const { secret } = enrolled.json() as { secret: string };
  const confirmed = await session.request('POST', '/api/me/totp/confirm', {
    code: await totpCode(secret, -1),
  });
  expect(confirmed.statusCode).toBe(200);
  return { secret, recoveryCodes: confirmed.json().recoveryCodes as string[] };
}

const stepUp = (session: Session, body: object) => session.request('POST', '/api/auth/step-up/totp', body);

describe('TOTP enrolment', () => {
  it('returns a secret and an otpauth URL for Pitwall and the email, and keeps the secret encrypted', async () => {
    const { staff, session } = await signIn();
    const first = await session.request('POST', '/api/me/totp/enrol');
    expect(first.statusCode).toBe(200);
    const { secret, otpauthUrl } = first.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Pitwall:/);
    expect(otpauthUrl).toContain(encodeURIComponent(staff.email));
    expect(otpauthUrl).toContain('issuer=Pitwall');
    const stored = await t.db
      .selectFrom('totp_credentials')
      .selectAll()
      .where('user_id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_encrypted).not.toContain(secret);
    expect(decryptSecret(TEST_SECRET_KEY, stored.secret_encrypted)).toBe(secret);
    expect(stored.confirmed_at).toBeNull();
    // Starting again replaces the unconfirmed secret.
    const second = await session.request('POST', '/api/me/totp/enrol');
    expect(second.json().secret).not.toBe(secret);
  });

  it('confirming with a code returns ten recovery codes once, stores only hashes and elevates the session', async () => {
    const { staff, session } = await signIn();
    const { secret } = (await session.request('POST', '/api/me/totp/enrol')).json();
    const wrong = await session.request('POST', '/api/me/totp/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('totp_invalid_code');
    const confirmed = await session.request('POST', '/api/me/totp/confirm', { code: await totpCode(secret) });
    expect(confirmed.statusCode).toBe(200);
    const codes: string[] = confirmed.json().recoveryCodes;
    expect(new Set(codes).size).toBe(10);
    const hashes = await t.db
      .selectFrom('recovery_codes')
      .selectAll()
      .where('user_id', '=', staff.id)
      .execute();
    expect(hashes).toHaveLength(10);
    for (const code of codes) expect(hashes.map((row) => row.code_hash)).not.toContain(code);
    const me = (await session.request('GET', '/api/me')).json();
    expect(me.stepUp.totpEnrolled).toBe(true);
    expect(me.stepUp.elevatedUntil).not.toBeNull();
    const again = await session.request('POST', '/api/me/totp/enrol');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('totp_already_enrolled');
  });

  it('confirming before enrolling answers 422 totp_not_started', async () => {
    const { session } = await signIn();
    const response = await session.request('POST', '/api/me/totp/confirm', { code: '123456' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('totp_not_started');
  });

  it('adding an authenticator app to an account that has a passkey needs a step-up', async () => {
    const { staff, session } = await signIn();
    await t.db
      .insertInto('webauthn_credentials')
      .values({
        id: `cred-${staff.id}`,
        user_id: staff.id,
        name: 'Laptop',
        public_key: Buffer.from([1]),
        counter: 0,
      })
      .execute();
    const response = await session.request('POST', '/api/me/totp/enrol');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('step_up_required');
  });

  it('never writes the secret or the recovery codes to the audit log', async () => {
    const { staff, session } = await signIn();
    const { secret, recoveryCodes } = await enrolTotp(session);
    const rows = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', staff.id).execute();
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining(['totp.enrolment_started', 'totp.confirmed', 'session.elevated']),
    );
    const text = JSON.stringify(rows);
    expect(text).not.toContain(secret);
    for (const code of recoveryCodes) expect(text).not.toContain(code);
  });
});

describe('step-up with TOTP', () => {
  it('elevates a fresh session for stepUpMinutes; the same code cannot be used twice', async () => {
    const { staff, session: enrolling } = await signIn();
    const { secret } = await enrolTotp(enrolling);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    expect((await session.request('GET', '/api/me')).json().stepUp.elevatedUntil).toBeNull();
    const code = await totpCode(secret);
    const response = await stepUp(session, { code });
    expect(response.statusCode).toBe(200);
    const minutes = (Date.parse(response.json().elevatedUntil) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
    expect((await session.request('GET', '/api/me')).json().stepUp.elevatedUntil).toBe(
      response.json().elevatedUntil,
    );
    const replay = await stepUp(session, { code });
    expect(replay.statusCode).toBe(422);
    expect(replay.json().error.code).toBe('totp_invalid_code');
    expect((await stepUp(session, { code: await totpCode(secret, 1) })).statusCode).toBe(200);
  });

  it('a recovery code works once, in any case and with or without dashes', async () => {
    const { staff, session: enrolling } = await signIn();
    const { recoveryCodes } = await enrolTotp(enrolling);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const code = recoveryCodes[3] ?? '';
    const typed = code.replaceAll('-', '').toUpperCase();
    expect((await stepUp(session, { recoveryCode: typed })).statusCode).toBe(200);
    const again = await stepUp(session, { recoveryCode: code });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('recovery_code_invalid');
    const used = await t.db
      .selectFrom('recovery_codes')
      .select('used_at')
      .where('user_id', '=', staff.id)
      .where('used_at', 'is not', null)
      .execute();
    expect(used).toHaveLength(1);
  });

  it('takes exactly one of code and recoveryCode', async () => {
    const { session } = await signIn();
    expect((await stepUp(session, { code: '123456', recoveryCode: 'abcd-efgh-jkmn-pqrs' })).statusCode).toBe(
      400,
    );
    expect((await stepUp(session, {})).statusCode).toBe(400);
  });

  it('answers 422 totp_not_enrolled without an authenticator app', async () => {
    const { session } = await signIn();
    const response = await stepUp(session, { code: '123456' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('totp_not_enrolled');
  });

  it(`after ${STEP_UP_FAILURE_LIMIT} wrong codes in ten minutes even the right code gets 429 until the window passes`, async () => {
    const { staff, session: enrolling } = await signIn();
    const { secret } = await enrolTotp(enrolling);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const failedBefore = await auditCount(t.db, 'step_up.failed');
    for (let i = 0; i < STEP_UP_FAILURE_LIMIT; i++) {
      const wrong = await stepUp(session, { recoveryCode: `wrong-code-${i}` });
      expect(wrong.statusCode).toBe(422);
    }
    expect(await auditCount(t.db, 'step_up.failed')).toBe(failedBefore + STEP_UP_FAILURE_LIMIT);
    const blocked = await stepUp(session, { code: await totpCode(secret) });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(500);
    // Counted per user: someone else is not blocked.
    const other = await signIn();
    expect((await stepUp(other.session, { code: '123456' })).json().error.code).toBe('totp_not_enrolled');
    await sql`UPDATE step_up_attempts SET at = now() - interval '11 minutes' WHERE user_id = ${staff.id}`.execute(
      t.db,
    );
    expect((await stepUp(session, { code: await totpCode(secret) })).statusCode).toBe(200);
  });

  it('removing the authenticator app needs a step-up and takes the recovery codes with it', async () => {
    const { staff, session: enrolling } = await signIn();
    const { secret } = await enrolTotp(enrolling);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const refused = await session.request('DELETE', '/api/me/totp');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('step_up_required');
    expect((await stepUp(session, { code: await totpCode(secret) })).statusCode).toBe(200);
    expect((await session.request('DELETE', '/api/me/totp')).statusCode).toBe(204);
    const left = await t.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('user_id', '=', staff.id)
      .execute();
    expect(left).toHaveLength(0);
    expect((await session.request('GET', '/api/me')).json().stepUp.totpEnrolled).toBe(false);
    expect(await auditCount(t.db, 'totp.removed')).toBeGreaterThanOrEqual(1);
  });
});

describe('a full step-up round trip', () => {
  it('an admin gets 403 step_up_required creating a user, passes a TOTP step-up, then succeeds', async () => {
    const { staff, session: enrolling } = await signIn(['admin']);
    const { secret } = await enrolTotp(enrolling);
    const admin = await login(t.app, staff.email, TEST_PASSWORD);
    const newUser = {
      email: `new-agent-${Date.now()}@staff.test`,
      name: 'New Agent',
      roles: ['agent'],
      markets: ['DE'],
      language: 'de',
      password: 'a-long-enough-password',
    };
    const refused = await admin.request('POST', '/api/identity/users', newUser);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('step_up_required');
    const elevated = await stepUp(admin, { code: await totpCode(secret) });
    expect(elevated.statusCode).toBe(200);
    const created = await admin.request('POST', '/api/identity/users', newUser);
    expect(created.statusCode).toBe(201);
    expect(created.json().email).toBe(newUser.email);
  });
});
