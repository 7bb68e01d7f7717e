// Request and response shapes of step-up: TOTP enrolment, recovery codes and passkeys.
// The WebAuthn shapes follow @simplewebauthn's JSON types, which the browser library produces.
import { type Static, Type } from 'typebox';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Base64Url = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*={0,2}$', maxLength });
/** Objects the browser or the WebAuthn library may extend: extra fields pass through. */
const Open = { additionalProperties: true } as const;

export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });

export const TotpEnrolment = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() });

export const TotpConfirmBody = Type.Object({ code: TotpCode }, { additionalProperties: false });

export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });

/** Exactly one of an authenticator code or a recovery code. */
export const TotpStepUpBody = Type.Union([
  Type.Object({ code: TotpCode }, { additionalProperties: false }),
  Type.Object(
    { recoveryCode: Type.String({ minLength: 8, maxLength: 40 }) },
    { additionalProperties: false },
  ),
]);

export const Elevated = Type.Object({ elevatedUntil: DateTime });

export const Passkey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: DateTime,
  lastUsedAt: Nullable(DateTime),
});
export type Passkey = Static<typeof Passkey>;

export const PasskeyParams = Type.Object({ id: Base64Url(1024) });

const CredentialDescriptor = Type.Object(
  { id: Type.String(), type: Type.String(), transports: Type.Optional(Type.Array(Type.String())) },
  Open,
);
const Extensions = Type.Object({}, Open);
const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]);

export const RegistrationOptions = Type.Object(
  {
    rp: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }, Open),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }, Open),
    challenge: Type.String(),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.String() }, Open)),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(CredentialDescriptor)),
    authenticatorSelection: Type.Optional(Type.Object({}, Open)),
    hints: Type.Optional(Type.Array(Type.String())),
    attestation: Type.Optional(Type.String()),
    attestationFormats: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  { ...Open, description: 'For startRegistration({ optionsJSON }) of @simplewebauthn/browser' },
);

export const AuthenticationOptions = Type.Object(
  {
    challenge: Type.String(),
    timeout: Type.Optional(Type.Integer()),
    rpId: Type.Optional(Type.String()),
    allowCredentials: Type.Optional(Type.Array(CredentialDescriptor)),
    userVerification: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  { ...Open, description: 'For startAuthentication({ optionsJSON }) of @simplewebauthn/browser' },
);

const RegistrationResponse = Type.Object(
  {
    id: Base64Url(1024),
    rawId: Base64Url(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64Url(8192),
        attestationObject: Base64Url(65536),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
      },
      Open,
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
  },
  Open,
);

const AuthenticationResponse = Type.Object(
  {
    id: Base64Url(1024),
    rawId: Base64Url(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64Url(8192),
        authenticatorData: Base64Url(8192),
        signature: Base64Url(2048),
        userHandle: Type.Optional(Base64Url(1024)),
      },
      Open,
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
  },
  Open,
);

export const PasskeyRegistrationBody = Type.Object(
  { response: RegistrationResponse, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const PasskeyStepUpBody = Type.Object(
  { response: AuthenticationResponse },
  { additionalProperties: false },
);
