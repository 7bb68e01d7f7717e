// Admin routes for inbound mail that did not become a case message. Registered under /api/channels.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { recordAudit } from '../../identity/index.js';
import { listQuarantine, quarantinedMail, rawMail, reprocessMail } from './email-in.quarantine.js';
import { explainReason } from './email-in.reasons.js';

const rule = { allow: ['staff', 'token'], permission: 'email:manage' } as const;
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Status = Type.Union([
  Type.Literal('quarantined'),
  Type.Literal('ignored'),
  Type.Literal('processed'),
  Type.Literal('received'),
]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Summary = Type.Object({
  id: Type.String(),
  mailbox: Type.String(),
  source: Type.Union([Type.Literal('smtp'), Type.Literal('imap')]),
  status: Status,
  reason: Nullable(Type.String()),
  /** The reason explained in the caller's language (the stored reason when it is not one of ours). */
  reasonText: Nullable(Type.String()),
  size: Type.Integer(),
  messageId: Nullable(Type.String()),
  receivedAt: Type.String({ format: 'date-time' }),
});
const Detail = Type.Intersect([
  Summary,
  Type.Object({
    headers: Type.Array(Type.Object({ name: Type.String(), value: Type.String() })),
    envelope: Type.Unknown(),
    downloadUrl: Type.String(),
  }),
]);

function sendEml(reply: FastifyReply, id: string, raw: Buffer) {
  return reply
    .header('content-type', 'message/rfc822')
    .header('content-disposition', `attachment; filename="${id}.eml"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(raw);
}

export function emailInRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/quarantine',
      {
        config: { rule },
        schema: {
          tags: ['channels'],
          summary:
            'Inbound mail that could not be processed (or, with ?status=, that was ignored), newest first',
          querystring: Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Summary) }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => ({
        items: (await listQuarantine(db, { status: request.query.status })).map((mail) => ({
          ...mail,
          reasonText: explainReason(mail.reason, request.language),
        })),
      }),
    );

    app.get(
      '/quarantine/:id',
      {
        config: { rule },
        schema: {
          tags: ['channels'],
          summary: 'One inbound mail: its headers, the reason, its size and where to download it',
          params: IdParams,
          response: { 200: Detail, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const mail = await quarantinedMail(db, request.params.id);
        return { ...mail, reasonText: explainReason(mail.reason, request.language) };
      },
    );

    app.get(
      '/quarantine/:id/raw',
      {
        config: { rule },
        schema: {
          tags: ['channels'],
          summary: 'The raw mail as received (.eml); the download is audited',
          params: IdParams,
          response: { 200: Type.String({ format: 'binary' }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const raw = await rawMail(db, request.params.id);
        await recordAudit(db, request.context, {
          action: 'inbound_email.downloaded',
          entityType: 'inbound_email',
          entityId: request.params.id,
        });
        return sendEml(reply, request.params.id, raw);
      },
    );

    app.post(
      '/quarantine/:id/reprocess',
      {
        config: { rule },
        schema: {
          tags: ['channels'],
          summary: 'Process a quarantined or ignored mail again (after a fix); audited',
          params: IdParams,
          response: {
            202: Type.Object({ id: Type.String(), status: Status }),
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        await reprocessMail(db, request.context, request.params.id);
        return reply.status(202).send({ id: request.params.id, status: 'received' as const });
      },
    );
  };
}
