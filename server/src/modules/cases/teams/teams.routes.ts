// Team administration, registered under /api/cases next to the team list agents read
// (GET /teams lives with the inbox routes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { requirePrincipal } from '../../identity/index.js';
import { CreateTeamBody, TeamDetail, TeamMembersBody, TeamParams, UpdateTeamBody } from './teams.schemas.js';
import { createTeam, setTeamMembers, teamDetail, updateTeam } from './teams.service.js';

const manage = { allow: ['staff'], permission: 'users:manage' } as const;

export function teamRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/teams/:id',
      {
        config: { rule: manage },
        schema: {
          tags: ['cases'],
          summary: 'A team with its members',
          params: TeamParams,
          response: { 200: TeamDetail, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => teamDetail(db, requirePrincipal(request), request.params.id),
    );

    app.post(
      '/teams',
      {
        config: { rule: manage },
        schema: {
          tags: ['cases'],
          summary: 'Create a team for one or more markets',
          body: CreateTeamBody,
          response: { 201: TeamDetail, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) => reply.status(201).send(await createTeam(db, request.context, request.body)),
    );

    app.patch(
      '/teams/:id',
      {
        config: { rule: manage },
        schema: {
          tags: ['cases'],
          summary: 'Rename a team or change its markets (every member must still cover one of them)',
          params: TeamParams,
          body: UpdateTeamBody,
          response: { 200: TeamDetail, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => updateTeam(db, request.context, request.params.id, request.body),
    );

    app.put(
      '/teams/:id/members',
      {
        config: { rule: manage },
        schema: {
          tags: ['cases'],
          summary: "Replace the members: active staff who each cover one of the team's markets",
          params: TeamParams,
          body: TeamMembersBody,
          response: { 200: TeamDetail, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request) => setTeamMembers(db, request.context, request.params.id, request.body.userIds),
    );
  };
}
