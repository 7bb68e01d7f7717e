import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/database.js';
import { AppError, errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { translator } from '../../platform/i18n.js';
import { permissionsOf, type RequestContext, requirePrincipal, staffForMarket } from '../identity/index.js';
import { openCase } from './cases.detail.js';
import { announcePresence } from './cases.inbound.js';
import { addMessage, createCaseAsCustomer, createCaseAsStaff, logCall } from './cases.messages.js';
import { inboxCounts, listInbox } from './cases.queries.js';
import {
  AddMessageBody,
  BulkBody,
  CaseDetail,
  CaseRefParams,
  CustomerCreateCaseBody,
  InboxPage,
  InboxQuery,
  LogCallBody,
  MessageView,
  RefBody,
  StaffCreateCaseBody,
  UpdateCaseBody,
} from './cases.schemas.js';
import { bulkUpdate, closeCase, linkCases, mergeCase, setFollowing, updateCase } from './cases.service.js';

const read = { allow: ['staff', 'token', 'customer'], permission: 'cases:read' } as const;
const work = { allow: ['staff', 'token'], permission: 'cases:write' } as const;
const workOrOwn = { allow: ['staff', 'token', 'customer'], permission: 'cases:write' } as const;

export function casesRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    const detailOf = async (request: { context: RequestContext }, ref: string) => {
      const principal = request.context.principal;
      if (!principal) throw errors.unauthenticated();
      return openCase(db, principal, ref);
    };

    app.get(
      '/',
      {
        config: { rule: read },
        schema: {
          tags: ['cases'],
          summary: 'The inbox: cases in a view, filtered and sorted (customers: their own cases)',
          querystring: InboxQuery,
          response: {
            200: InboxPage,
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => listInbox(db, requirePrincipal(request), request.query),
    );

    app.get(
      '/counts',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'Number of cases in each inbox view',
          response: { 200: Type.Record(Type.String(), Type.Integer()), ...errorResponses(401, 403) },
        },
      },
      async (request) => inboxCounts(db, requirePrincipal(request)),
    );

    app.get(
      '/teams',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'Teams (queues)',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({ id: Type.String(), name: Type.String(), markets: Type.Array(Type.String()) }),
              ),
            }),
            ...errorResponses(401, 403),
          },
        },
      },
      async () => ({
        items: await db.selectFrom('teams').select(['id', 'name', 'markets']).orderBy('name').execute(),
      }),
    );

    app.get(
      '/assignees',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'Staff who may be assigned cases of a market',
          querystring: Type.Object(
            { market: Type.String({ pattern: '^[A-Z]{2}$' }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const staff = await staffForMarket(db, request.query.market);
        return {
          items: staff
            .filter((member) => permissionsOf(member.roles).has('cases:write'))
            .map((member) => ({ id: member.id, name: member.name })),
        };
      },
    );

    app.get(
      '/:ref',
      {
        config: { rule: read },
        schema: {
          tags: ['cases'],
          summary: 'A case with its timeline (customers never see internal entries)',
          params: CaseRefParams,
          response: { 200: CaseDetail, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => detailOf(request, request.params.ref),
    );

    app.post(
      '/',
      {
        config: { rule: workOrOwn },
        schema: {
          tags: ['cases'],
          summary: 'Open a case (staff for a customer, or an owner in the portal)',
          body: Type.Union([StaffCreateCaseBody, CustomerCreateCaseBody]),
          response: { 201: CaseDetail, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const body = request.body;
        let id: string;
        if (principal.kind === 'customer') {
          if ('customerId' in body) throw errors.forbidden();
          id = await createCaseAsCustomer(db, request.context, body);
        } else {
          if (!('customerId' in body)) throw errors.invalid('customer_required');
          id = await createCaseAsStaff(db, request.context, body);
        }
        return reply.status(201).send(await detailOf(request, id));
      },
    );

    app.patch(
      '/:ref',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Change status, priority, assignee, team, tags, subject or vehicle',
          params: CaseRefParams,
          body: UpdateCaseBody,
          response: { 200: CaseDetail, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        await updateCase(db, request.context, request.params.ref, request.body);
        return detailOf(request, request.params.ref);
      },
    );

    app.post(
      '/:ref/messages',
      {
        config: { rule: workOrOwn },
        schema: {
          tags: ['cases'],
          summary:
            'Reply or add an internal note (customers: reply); a reply to a closed case opens a follow-up',
          params: CaseRefParams,
          body: AddMessageBody,
          response: { 201: MessageView, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const result = await addMessage(db, request.context, request.params.ref, request.body);
        if (result.followUpCaseNumber) reply.header('x-follow-up-case', result.followUpCaseNumber);
        return reply.status(201).send(result.message);
      },
    );

    app.post(
      '/:ref/calls',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Log a phone call (direction, duration, outcome, notes)',
          params: CaseRefParams,
          body: LogCallBody,
          response: { 201: MessageView, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await logCall(db, request.context, request.params.ref, request.body)),
    );

    app.post(
      '/:ref/close',
      {
        config: { rule: workOrOwn },
        schema: {
          tags: ['cases'],
          summary: 'Close the case (final)',
          params: CaseRefParams,
          response: { 200: CaseDetail, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        await closeCase(db, request.context, request.params.ref);
        return detailOf(request, request.params.ref);
      },
    );

    for (const follow of [true, false]) {
      const route = {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } as const },
        schema: {
          tags: ['cases'],
          summary: follow ? 'Follow the case' : 'Stop following the case',
          params: CaseRefParams,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      };
      const handler = async (request: FastifyRequest<{ Params: { ref: string } }>, reply: FastifyReply) => {
        const principal = requirePrincipal(request);
        if (principal.kind !== 'staff') throw errors.forbidden();
        await setFollowing(db, request.context, request.params.ref, principal.userId, follow);
        return reply.status(204).send(null);
      };
      if (follow) app.post('/:ref/follow', route, handler);
      else app.delete('/:ref/follow', route, handler);
    }

    app.post(
      '/:ref/followers',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Add a colleague as follower',
          params: CaseRefParams,
          body: Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        await setFollowing(db, request.context, request.params.ref, request.body.userId, true);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/:ref/links',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Link another case',
          params: CaseRefParams,
          body: RefBody,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        await linkCases(db, request.context, request.params.ref, request.body.ref, true);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/:ref/links/:linkedId',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Remove a link',
          params: Type.Object({
            ref: Type.String({ maxLength: 40 }),
            linkedId: Type.String({ format: 'uuid' }),
          }),
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await linkCases(db, request.context, request.params.ref, request.params.linkedId, false);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/:ref/merge',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Merge this case into another of the same customer; its number then redirects',
          params: CaseRefParams,
          body: Type.Object(
            { into: Type.String({ minLength: 1, maxLength: 40 }) },
            { additionalProperties: false },
          ),
          response: { 200: CaseDetail, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const targetId = await mergeCase(db, request.context, request.params.ref, request.body.into);
        return detailOf(request, targetId);
      },
    );

    app.post(
      '/bulk',
      {
        config: { rule: work },
        schema: {
          tags: ['cases'],
          summary: 'Assign, set status or tag many cases; each succeeds or fails on its own',
          body: BulkBody,
          response: {
            200: Type.Object({
              updated: Type.Array(Type.String()),
              failed: Type.Array(
                Type.Object({ id: Type.String(), code: Type.String(), message: Type.String() }),
              ),
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const result = await bulkUpdate(db, request.context, request.body);
        const t = translator(request.language);
        return {
          updated: result.updated,
          failed: result.failed.map(({ id, error }) => {
            if (error instanceof AppError)
              return {
                id,
                code: error.code,
                message: t(`errors.${error.code}`, {
                  ...error.params,
                  entity: t(`entities.${String(error.params.entity ?? '')}`, { defaultValue: '' }),
                }),
              };
            request.log.error({ err: error, caseId: id }, 'bulk update failed');
            return {
              id,
              code: 'internal_error',
              message: t('errors.internal_error', { requestId: request.id }),
            };
          }),
        };
      },
    );

    app.post(
      '/:ref/presence',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'Tell colleagues you are viewing or typing on this case (live, not stored)',
          params: CaseRefParams,
          body: Type.Object(
            { state: Type.Union([Type.Literal('viewing'), Type.Literal('typing'), Type.Literal('left')]) },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await announcePresence(db, request.context, request.params.ref, request.body.state);
        return reply.status(204).send(null);
      },
    );
  };
}
