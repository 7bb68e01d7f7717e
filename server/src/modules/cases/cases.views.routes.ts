import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { requirePrincipal } from '../identity/index.js';
import { deleteView, listSavedViews, saveView } from './cases.views.js';

const SavedView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  filters: Type.Record(Type.String(), Type.Unknown()),
});
const rule = { allow: ['staff'], permission: 'cases:read' } as const;

function staffUserId(request: Parameters<typeof requirePrincipal>[0]): string {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'staff') throw errors.forbidden();
  return principal.userId;
}

export function savedViewRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/views',
      {
        config: { rule },
        schema: {
          tags: ['cases'],
          summary: 'Your saved inbox views',
          response: { 200: Type.Object({ items: Type.Array(SavedView) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => ({
        items: await listSavedViews(db, staffUserId(request)),
      }),
    );
    app.post(
      '/views',
      {
        config: { rule },
        schema: {
          tags: ['cases'],
          summary: 'Save the current inbox filters under a name (replaces a view of the same name)',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 80 }),
              filters: Type.Record(Type.String(), Type.Unknown()),
            },
            { additionalProperties: false },
          ),
          response: { 201: SavedView, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await saveView(db, request.context, staffUserId(request), request.body)),
    );
    app.delete(
      '/views/:id',
      {
        config: { rule },
        schema: {
          tags: ['cases'],
          summary: 'Delete one of your saved views',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await deleteView(db, request.context, staffUserId(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
