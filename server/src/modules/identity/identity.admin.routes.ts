import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http.js';
import { searchAudit } from './identity.audit.js';
import type { IdentityDeps } from './identity.deps.js';
import {
  AuditItem,
  AuditQuery,
  CreateUserBody,
  Market,
  RoleSchema,
  UpdateUserBody,
  User,
} from './identity.schemas.js';
import { createStaffUser, listMarkets, listUsers, updateStaffUser } from './identity.users.js';

export function identityAdminRoutes(deps: IdentityDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  return async (app) => {
    app.get(
      '/markets',
      {
        config: { rule: { allow: ['staff', 'token'] } },
        schema: {
          tags: ['identity'],
          summary: 'Markets of the brand',
          response: { 200: Type.Object({ items: Type.Array(Market) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => ({ items: await listMarkets(db, request.language) }),
    );

    app.get(
      '/users',
      {
        config: { rule: { allow: ['staff'], permission: 'users:read' } },
        schema: {
          tags: ['identity'],
          summary: 'Users (staff and portal accounts)',
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ maxLength: 200 })),
              role: Type.Optional(RoleSchema),
              kind: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('customer')])),
              limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
              offset: Type.Integer({ minimum: 0, default: 0 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(User), total: Type.Integer() }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => listUsers(db, request.query),
    );

    app.post(
      '/users',
      {
        config: { rule: { allow: ['staff'], permission: 'users:manage', stepUp: true } },
        schema: {
          tags: ['identity'],
          summary: 'Create a staff user (needs a step-up)',
          body: CreateUserBody,
          response: { 201: User, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createStaffUser(db, request.context, request.body)),
    );

    app.patch(
      '/users/:id',
      {
        config: { rule: { allow: ['staff'], permission: 'users:manage', stepUp: true } },
        schema: {
          tags: ['identity'],
          summary: "Change a staff user's name, roles, markets or disable them (needs a step-up)",
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          body: UpdateUserBody,
          response: { 200: User, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => updateStaffUser(db, request.context, request.params.id, request.body),
    );

    app.get(
      '/audit',
      {
        config: { rule: { allow: ['staff'], permission: 'audit:read' } },
        schema: {
          tags: ['identity'],
          summary: 'Search the append-only audit log, newest first',
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              items: Type.Array(AuditItem),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const page = await searchAudit(db, request.query);
        return {
          nextBefore: page.nextBefore,
          items: page.items.map((row) => ({
            id: row.id,
            at: row.at.toISOString(),
            actorId: row.actor_id,
            actorKind: row.actor_kind,
            actorLabel: row.actor_label,
            action: row.action,
            entityType: row.entity_type,
            entityId: row.entity_id,
            before: row.before,
            after: row.after,
            requestId: row.request_id,
            ip: row.ip,
          })),
        };
      },
    );
  };
}
