import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http.js';
import type { IdentityDeps } from './identity.deps.js';
import { ApiToken, CreateApiTokenBody, CreatedApiToken } from './identity.schemas.js';
import { createApiToken, listApiTokens, revokeApiToken } from './identity.tokens.js';

/** Registered at /api/identity. Tokens themselves can never manage tokens. */
export function apiTokenRoutes(deps: IdentityDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  return async (app) => {
    app.get(
      '/api-tokens',
      {
        config: { rule: { allow: ['staff'], permission: 'tokens:manage' } },
        schema: {
          tags: ['identity'],
          summary: 'API tokens for integrations, newest first (never their secrets)',
          response: { 200: Type.Object({ items: Type.Array(ApiToken) }), ...errorResponses(401, 403) },
        },
      },
      async () => ({ items: await listApiTokens(db) }),
    );

    app.post(
      '/api-tokens',
      {
        config: { rule: { allow: ['staff'], permission: 'tokens:manage', stepUp: true } },
        schema: {
          tags: ['identity'],
          summary:
            'Create an API token with some of your permissions; the secret is shown once (needs a step-up)',
          body: CreateApiTokenBody,
          response: { 201: CreatedApiToken, ...errorResponses(400, 401, 403, 422) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createApiToken(db, request.context, request.body)),
    );

    app.delete(
      '/api-tokens/:id',
      {
        config: { rule: { allow: ['staff'], permission: 'tokens:manage' } },
        schema: {
          tags: ['identity'],
          summary: 'Revoke an API token; it stops working at once',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await revokeApiToken(db, request.context, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
