import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db, Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import type { Principal } from '../identity/index.js';
import { deliveriesOfCase, listOutbox, outboxMessage } from './channels.outbox.js';
import { DeliveriesQuery, Delivery, OutboxMessage, OutboxQuery, OutboxSummary } from './channels.schemas.js';

export interface ChannelsRouteDeps {
  /** The cases module's visibility rule (app.ts passes `findVisibleCase`): the case or a 404. */
  findVisibleCase: (db: Executor, principal: Principal, ref: string) => Promise<{ id: string }>;
}

export function channelsRoutes(db: Db, deps: ChannelsRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/outbox',
      {
        config: { rule: { allow: ['staff'], permission: 'outbox:read' } },
        schema: {
          tags: ['channels'],
          summary: 'Outgoing mail, newest first, by status, recipient or case',
          querystring: OutboxQuery,
          response: {
            200: Type.Object({ items: Type.Array(OutboxSummary) }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => ({ items: await listOutbox(db, request.query) }),
    );

    app.get(
      '/outbox/:id',
      {
        config: { rule: { allow: ['staff'], permission: 'outbox:read' } },
        schema: {
          tags: ['channels'],
          summary: 'One outgoing mail: headers, text and HTML parts, attachments, delivery state',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: OutboxMessage, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const message = await outboxMessage(db, request.params.id);
        if (!message) throw errors.notFound('message');
        return message;
      },
    );

    app.get(
      '/deliveries',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } },
        schema: {
          tags: ['channels'],
          summary: "Delivery state of the mails that carried a case's messages (for the case page)",
          querystring: DeliveriesQuery,
          response: {
            200: Type.Object({ items: Type.Array(Delivery) }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        if (!request.principal) throw errors.unauthenticated();
        const found = await deps.findVisibleCase(db, request.principal, request.query.caseId);
        return { items: await deliveriesOfCase(db, found.id) };
      },
    );
  };
}
