// Notification routes, registered under /api/cases: each person sees and marks only their own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { errorResponses } from '../../../platform/http.js';
import { requirePrincipal } from '../../identity/index.js';
import { listNotifications, markAllRead, markRead } from './notifications.service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Notification = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  caseId: Nullable(Type.String()),
  caseNumber: Nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  readAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const rule = { allow: ['staff', 'customer'] } as const;

function ownUserId(request: FastifyRequest): string {
  const principal = requirePrincipal(request);
  if (principal.kind === 'token') throw errors.forbidden();
  return principal.userId;
}

export function notificationRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/notifications',
      {
        config: { rule },
        schema: {
          tags: ['cases'],
          summary: 'Your notifications, newest first, and how many are unread',
          querystring: Type.Object(
            { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(Notification), unread: Type.Integer() }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => listNotifications(db, ownUserId(request), request.query.limit),
    );

    app.post(
      '/notifications/:id/read',
      {
        config: { rule },
        schema: {
          tags: ['cases'],
          summary: 'Mark one of your notifications read',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await markRead(db, ownUserId(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/notifications/read-all',
      {
        config: { rule },
        schema: {
          tags: ['cases'],
          summary: 'Mark all your notifications read',
          response: { 204: Type.Null(), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        await markAllRead(db, ownUserId(request));
        return reply.status(204).send(null);
      },
    );
  };
}
