import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { requirePrincipal } from '../../identity/index.js';
import { createPolicy, deletePolicy, listPolicies, updatePolicy } from './sla.policies.js';
import { CreateSlaPolicyBody, SlaPolicy, SlaPolicyQuery, UpdateSlaPolicyBody } from './sla.schemas.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Admin routes for SLA policies; registered under the prefix /api/cases. */
export function slaRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/sla-policies',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'cases:read' } },
        schema: {
          tags: ['sla'],
          summary: 'SLA policies of your markets',
          querystring: SlaPolicyQuery,
          response: { 200: Type.Object({ items: Type.Array(SlaPolicy) }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => ({ items: await listPolicies(db, requirePrincipal(request), request.query) }),
    );

    app.post(
      '/sla-policies',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'sla:manage' } },
        schema: {
          tags: ['sla'],
          summary: 'Create an SLA policy for a market (optionally for one priority and/or channel)',
          body: CreateSlaPolicyBody,
          response: { 201: SlaPolicy, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) => reply.status(201).send(await createPolicy(db, request.context, request.body)),
    );

    app.patch(
      '/sla-policies/:id',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'sla:manage' } },
        schema: {
          tags: ['sla'],
          summary: 'Change an SLA policy; running timers pick it up when next recalculated',
          params: IdParams,
          body: UpdateSlaPolicyBody,
          response: { 200: SlaPolicy, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => updatePolicy(db, request.context, request.params.id, request.body),
    );

    app.delete(
      '/sla-policies/:id',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'sla:manage' } },
        schema: {
          tags: ['sla'],
          summary: 'Delete an SLA policy',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await deletePolicy(db, request.context, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
