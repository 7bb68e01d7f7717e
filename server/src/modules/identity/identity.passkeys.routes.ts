import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http.js';
import type { IdentityDeps } from './identity.deps.js';
import {
  listPasskeys,
  passkeyRegistrationOptions,
  passkeyStepUpOptions,
  registerPasskey,
  removePasskey,
  stepUpWithPasskey,
} from './identity.passkeys.js';
import {
  AuthenticationOptions,
  Elevated,
  Passkey,
  PasskeyParams,
  PasskeyRegistrationBody,
  PasskeyStepUpBody,
  RegistrationOptions,
} from './identity.stepup.schemas.js';

/** Registered inside stepUpRoutes, so at /api. */
export function passkeyRoutes(deps: IdentityDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/me/passkeys/registration-options',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'WebAuthn creation options for a new passkey (the challenge is kept on the session)',
          description: 'Needs a step-up when the account already has a passkey or an authenticator app.',
          response: { 200: RegistrationOptions, ...errorResponses(401, 403) },
        },
      },
      async (request) => passkeyRegistrationOptions(deps, request.context),
    );

    app.post(
      '/me/passkeys/registration',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: "Register a passkey with the browser's answer to the creation options",
          body: PasskeyRegistrationBody,
          response: { 200: Passkey, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request) =>
        registerPasskey(deps, request.context, {
          // The schema checks the fields the verification reads; the library checks the rest.
          response: request.body.response as RegistrationResponseJSON,
          name: request.body.name,
        }),
    );

    app.get(
      '/me/passkeys',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: "The signed-in user's passkeys",
          response: { 200: Type.Object({ items: Type.Array(Passkey) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => ({ items: await listPasskeys(deps.db, request.context) }),
    );

    app.delete(
      '/me/passkeys/:id',
      {
        config: { rule: { allow: ['staff', 'customer'], stepUp: true } },
        schema: {
          tags: ['identity'],
          summary: 'Remove one of your passkeys (needs a step-up)',
          params: PasskeyParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await removePasskey(deps.db, request.context, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/step-up/passkey/options',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'WebAuthn request options for a step-up with one of your passkeys',
          response: { 200: AuthenticationOptions, ...errorResponses(401, 403, 422) },
        },
      },
      async (request) => passkeyStepUpOptions(deps, request.context),
    );

    app.post(
      '/auth/step-up/passkey',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: "Elevate the session with the browser's answer to the request options",
          body: PasskeyStepUpBody,
          response: { 200: Elevated, ...errorResponses(400, 401, 403, 422) },
        },
      },
      async (request) => {
        const response = request.body.response as AuthenticationResponseJSON;
        const elevatedUntil = await stepUpWithPasskey(deps, request.context, response);
        return { elevatedUntil: elevatedUntil.toISOString() };
      },
    );
  };
}
