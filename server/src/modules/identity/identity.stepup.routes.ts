import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http.js';
import type { IdentityDeps } from './identity.deps.js';
import { passkeyRoutes } from './identity.passkeys.routes.js';
import {
  Elevated,
  RecoveryCodes,
  TotpConfirmBody,
  TotpEnrolment,
  TotpStepUpBody,
} from './identity.stepup.schemas.js';
import { confirmTotpEnrolment, removeTotp, startTotpEnrolment, stepUpWithTotp } from './identity.totp.js';

/** Registered at /api: the factors under /api/me/…, the step-up itself under /api/auth/step-up/…. */
export function stepUpRoutes(deps: IdentityDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/me/totp/enrol',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'Start (or restart) setting up an authenticator app; confirm with a code',
          description: 'Needs a step-up when the account already has a passkey.',
          response: { 200: TotpEnrolment, ...errorResponses(401, 403, 409) },
        },
      },
      async (request) => startTotpEnrolment(deps, request.context),
    );

    app.post(
      '/me/totp/confirm',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'Confirm the authenticator app with a code; returns recovery codes once',
          description: 'Also elevates the session.',
          body: TotpConfirmBody,
          response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request) => {
        const { recoveryCodes } = await confirmTotpEnrolment(deps, request.context, request.body.code);
        return { recoveryCodes };
      },
    );

    app.delete(
      '/me/totp',
      {
        config: { rule: { allow: ['staff', 'customer'], stepUp: true } },
        schema: {
          tags: ['identity'],
          summary: 'Remove the authenticator app and its recovery codes (needs a step-up)',
          response: { 204: Type.Null(), ...errorResponses(401, 403, 422) },
        },
      },
      async (request, reply) => {
        await removeTotp(deps.db, request.context);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/step-up/totp',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'Elevate the session with an authenticator code or a single-use recovery code',
          body: TotpStepUpBody,
          response: { 200: Elevated, ...errorResponses(400, 401, 403, 422, 429) },
        },
      },
      async (request) => {
        const elevatedUntil = await stepUpWithTotp(deps, request.context, request.body);
        return { elevatedUntil: elevatedUntil.toISOString() };
      },
    );

    await app.register(passkeyRoutes(deps));
  };
}
