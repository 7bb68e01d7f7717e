import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../../test/app.js';
import { auditCount, createStaff, seedMarkets, TEST_PASSWORD } from '../../test/factories.js';

const ORIGIN = 'http://localhost:3000'; // the test app's publicUrl
const RP_ID = 'localhost';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(() => t.close());

// --- A software authenticator: an ES256 key pair that answers like a browser would. ---

type CborValue = number | string | Uint8Array | Map<CborValue, CborValue>;

/** Just enough CBOR (RFC 8949) for an attestation object and a COSE key. */
function cbor(value: CborValue): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    throw new Error('value too large for this test encoder');
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string')
    return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Map) {
    const entries = [...value].flatMap(([key, inner]) => [cbor(key), cbor(inner)]);
    return Buffer.concat([head(5, value.size), ...entries]);
  }
  return Buffer.concat([head(2, value.length), value]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

class SoftAuthenticator {
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly credentialId = randomBytes(16);
  private counter = 0;

  get id(): string {
    return b64url(this.credentialId);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: ORIGIN, crossOrigin: false }));
  }

  private authData(flags: number, attested?: Buffer): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(RP_ID), Buffer.from([flags]), counter, ...(attested ? [attested] : [])]);
  }

  /** What navigator.credentials.create() gives the browser, as @simplewebauthn/browser sends it. */
  register(challenge: string) {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const coseKey = cbor(
      new Map<CborValue, CborValue>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, coseKey]);
    const attestationObject = cbor(
      new Map<CborValue, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authData(UP | UV | AT, attested)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', challenge)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** What navigator.credentials.get() gives the browser: a signature over authData and the client data. */
  assert(challenge: string) {
    this.counter++;
    const clientDataJSON = this.clientData('webauthn.get', challenge);
    const authenticatorData = this.authData(UP | UV);
    const signature = sign(
      'sha256',
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      this.keys.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
    };
  }
}

// --- Helpers driving the HTTP routes. ---

async function signIn() {
  const staff = await createStaff(t.db, { roles: ['agent'], markets: ['DE'] });
  return { staff, session: await login(t.app, staff.email, TEST_PASSWORD) };
}

async function registrationChallenge(session: Session): Promise<string> {
  const response = await session.request('POST', '/api/me/passkeys/registration-options');
  expect(response.statusCode).toBe(200);
  return response.json().challenge;
}

async function registerPasskey(session: Session, authenticator: SoftAuthenticator, name = 'Laptop') {
  const challenge = await registrationChallenge(session);
  const body = { response: authenticator.register(challenge), name };
  return session.request('POST', '/api/me/passkeys/registration', body);
}

async function stepUpWithPasskey(session: Session, authenticator: SoftAuthenticator, challenge?: string) {
  const options = await session.request('POST', '/api/auth/step-up/passkey/options');
  expect(options.statusCode).toBe(200);
  const response = authenticator.assert(challenge ?? options.json().challenge);
  return session.request('POST', '/api/auth/step-up/passkey', { response });
}

const sessionChallenge = async (userId: string) =>
  (
    await t.db.selectFrom('sessions').select('webauthn_challenge').where('user_id', '=', userId).execute()
  ).map((row) => row.webauthn_challenge);

describe('passkey registration', () => {
  it('registers a passkey from creation options bound to this site, and lists it', async () => {
    const { staff, session } = await signIn();
    const options = await session.request('POST', '/api/me/passkeys/registration-options');
    expect(options.json()).toMatchObject({
      rp: { id: RP_ID, name: 'Pitwall' },
      user: { name: staff.email },
      authenticatorSelection: { userVerification: 'preferred' },
      attestation: 'none',
    });
    expect(await sessionChallenge(staff.id)).toEqual([`registration:${options.json().challenge}`]);
    const authenticator = new SoftAuthenticator();
    const body = { response: authenticator.register(options.json().challenge), name: 'Work laptop' };
    const registered = await session.request('POST', '/api/me/passkeys/registration', body);
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ id: authenticator.id, name: 'Work laptop' });
    expect(await sessionChallenge(staff.id)).toEqual([null]);
    const list = await session.request('GET', '/api/me/passkeys');
    expect(list.json().items).toEqual([
      { id: authenticator.id, name: 'Work laptop', createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect((await session.request('GET', '/api/me')).json().stepUp.passkeyCount).toBe(1);
    expect(await auditCount(t.db, 'passkey.registered')).toBeGreaterThanOrEqual(1);
  });

  it('refuses an answer to another challenge, and a challenge is spent by the first try', async () => {
    const { session } = await signIn();
    const authenticator = new SoftAuthenticator();
    const challenge = await registrationChallenge(session);
    const wrong = { response: authenticator.register(b64url(randomBytes(32))), name: 'Phone' };
    const refused = await session.request('POST', '/api/me/passkeys/registration', wrong);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('passkey_invalid');
    // The right answer comes too late: the challenge went with the failed attempt.
    const late = { response: authenticator.register(challenge), name: 'Phone' };
    expect((await session.request('POST', '/api/me/passkeys/registration', late)).statusCode).toBe(422);
    expect((await registerPasskey(session, authenticator)).statusCode).toBe(200);
  });

  it('a second passkey needs a step-up, and its options exclude the first', async () => {
    const { staff, session: first } = await signIn();
    const laptop = new SoftAuthenticator();
    expect((await registerPasskey(first, laptop)).statusCode).toBe(200);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const refused = await session.request('POST', '/api/me/passkeys/registration-options');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('step_up_required');
    expect((await stepUpWithPasskey(session, laptop)).statusCode).toBe(200);
    const options = await session.request('POST', '/api/me/passkeys/registration-options');
    expect(options.json().excludeCredentials).toEqual([expect.objectContaining({ id: laptop.id })]);
  });
});

describe('step-up with a passkey', () => {
  it('verifies the signature, moves the counter forward and elevates the session', async () => {
    const { staff, session: enrolling } = await signIn();
    const authenticator = new SoftAuthenticator();
    await registerPasskey(enrolling, authenticator);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const options = await session.request('POST', '/api/auth/step-up/passkey/options');
    expect(options.json()).toMatchObject({
      rpId: RP_ID,
      userVerification: 'preferred',
      allowCredentials: [expect.objectContaining({ id: authenticator.id })],
    });
    const assertion = authenticator.assert(options.json().challenge);
    const elevated = await session.request('POST', '/api/auth/step-up/passkey', { response: assertion });
    expect(elevated.statusCode).toBe(200);
    expect(Date.parse(elevated.json().elevatedUntil)).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((await session.request('GET', '/api/me')).json().stepUp.elevatedUntil).not.toBeNull();
    const stored = await t.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('id', '=', authenticator.id)
      .executeTakeFirstOrThrow();
    expect(stored.counter).toBe('1');
    expect(stored.last_used_at).not.toBeNull();
    // Replaying the same signed answer fails: its challenge is spent.
    const replay = await session.request('POST', '/api/auth/step-up/passkey', { response: assertion });
    expect(replay.statusCode).toBe(422);
    expect(replay.json().error.code).toBe('passkey_invalid');
  });

  it('refuses an assertion signed over the wrong challenge and leaves the session as it was', async () => {
    const { staff, session: enrolling } = await signIn();
    const authenticator = new SoftAuthenticator();
    await registerPasskey(enrolling, authenticator);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const refused = await stepUpWithPasskey(session, authenticator, b64url(randomBytes(32)));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('passkey_invalid');
    expect((await session.request('GET', '/api/me')).json().stepUp.elevatedUntil).toBeNull();
    expect((await stepUpWithPasskey(session, authenticator)).statusCode).toBe(200);
  });

  it('a registration challenge cannot be spent on a step-up', async () => {
    const { staff, session: enrolling } = await signIn();
    const authenticator = new SoftAuthenticator();
    await registerPasskey(enrolling, authenticator);
    const session = await login(t.app, staff.email, TEST_PASSWORD);
    expect((await stepUpWithPasskey(session, authenticator)).statusCode).toBe(200);
    const challenge = await registrationChallenge(session);
    const response = authenticator.assert(challenge);
    const refused = await session.request('POST', '/api/auth/step-up/passkey', { response });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('passkey_invalid');
  });

  it('answers 422 passkey_none when the account has no passkey', async () => {
    const { session } = await signIn();
    const response = await session.request('POST', '/api/auth/step-up/passkey/options');
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('passkey_none');
  });
});

describe('removing a passkey', () => {
  it("needs a step-up, cannot touch someone else's passkey, and is audited", async () => {
    const { staff, session: enrolling } = await signIn();
    const authenticator = new SoftAuthenticator();
    await registerPasskey(enrolling, authenticator);
    const other = await signIn();
    const otherKey = new SoftAuthenticator();
    await registerPasskey(other.session, otherKey);

    const session = await login(t.app, staff.email, TEST_PASSWORD);
    const refused = await session.request('DELETE', `/api/me/passkeys/${authenticator.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('step_up_required');
    expect((await stepUpWithPasskey(session, authenticator)).statusCode).toBe(200);
    const foreign = await session.request('DELETE', `/api/me/passkeys/${otherKey.id}`);
    expect(foreign.statusCode).toBe(404);
    const before = await auditCount(t.db, 'passkey.removed');
    expect((await session.request('DELETE', `/api/me/passkeys/${authenticator.id}`)).statusCode).toBe(204);
    expect((await session.request('GET', '/api/me/passkeys')).json().items).toEqual([]);
    expect(await auditCount(t.db, 'passkey.removed')).toBe(before + 1);
  });
});
