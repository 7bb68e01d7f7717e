import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';

const OutboxSummary = Type.Object({
  id: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  template: Type.String(),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const OutboxMessage = Type.Object({
  id: Type.String(),
  to: Type.String(),
  from: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  html: Type.Union([Type.String(), Type.Null()]),
  template: Type.String(),
  status: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export function channelsRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/outbox',
      {
        config: { rule: { allow: ['staff'], permission: 'outbox:read' } },
        schema: {
          tags: ['channels'],
          summary: 'Outgoing mail, newest first (the in-app outbox when no SMTP is configured)',
          querystring: Type.Object(
            { to: Type.Optional(Type.String({ maxLength: 320 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(OutboxSummary) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        let query = db.selectFrom('outbox_messages').selectAll().orderBy('created_at', 'desc').limit(200);
        if (request.query.to) query = query.where('to_address', '=', request.query.to);
        const rows = await query.execute();
        return {
          items: rows.map((row) => ({
            id: row.id,
            to: row.to_address,
            subject: row.subject,
            template: row.template,
            status: row.status,
            createdAt: row.created_at.toISOString(),
          })),
        };
      },
    );

    app.get(
      '/outbox/:id',
      {
        config: { rule: { allow: ['staff'], permission: 'outbox:read' } },
        schema: {
          tags: ['channels'],
          summary: 'One outgoing mail with its text and HTML parts',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: OutboxMessage, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const row = await db
          .selectFrom('outbox_messages')
          .selectAll()
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (!row) throw errors.notFound('message');
        return {
          id: row.id,
          to: row.to_address,
          from: row.from_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          template: row.template,
          status: row.status,
          lastError: row.last_error,
          createdAt: row.created_at.toISOString(),
        };
      },
    );
  };
}
