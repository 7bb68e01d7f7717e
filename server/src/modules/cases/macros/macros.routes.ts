// Macro routes, registered under /api/cases: the list for agents, management for admins,
// rendering into a case and applying to it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { requirePrincipal } from '../../identity/index.js';
import { MessageView } from '../cases.schemas.js';
import {
  CaseMacroParams,
  CreateMacroBody,
  Macro,
  MacroParams,
  RenderedMacro,
  UpdateMacroBody,
} from './macros.schemas.js';
import {
  applyMacro,
  createMacro,
  deleteMacro,
  listMacros,
  renderMacroForCase,
  updateMacro,
} from './macros.service.js';

export function macroRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/macros',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: 'All macros (canned replies), by title',
          response: { 200: Type.Object({ items: Type.Array(Macro) }), ...errorResponses(401, 403) },
        },
      },
      async () => ({ items: await listMacros(db) }),
    );

    app.post(
      '/macros',
      {
        config: { rule: { allow: ['staff'], permission: 'macros:manage' } },
        schema: {
          tags: ['cases'],
          summary: 'Create a macro; placeholders must be known ones',
          body: CreateMacroBody,
          response: { 201: Macro, ...errorResponses(400, 401, 403, 422) },
        },
      },
      async (request, reply) => reply.status(201).send(await createMacro(db, request.context, request.body)),
    );

    app.patch(
      '/macros/:id',
      {
        config: { rule: { allow: ['staff'], permission: 'macros:manage' } },
        schema: {
          tags: ['cases'],
          summary: 'Change a macro',
          params: MacroParams,
          body: UpdateMacroBody,
          response: { 200: Macro, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request) => updateMacro(db, request.context, request.params.id, request.body),
    );

    app.delete(
      '/macros/:id',
      {
        config: { rule: { allow: ['staff'], permission: 'macros:manage' } },
        schema: {
          tags: ['cases'],
          summary: 'Delete a macro',
          params: MacroParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await deleteMacro(db, request.context, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/:ref/macros/:macroId/render',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary: "A macro's text for this case, in the case's language with placeholders filled",
          params: CaseMacroParams,
          response: { 200: RenderedMacro, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { body } = await renderMacroForCase(
          db,
          requirePrincipal(request),
          request.params.ref,
          request.params.macroId,
        );
        return { body };
      },
    );

    app.post(
      '/:ref/macros/:macroId/apply',
      {
        config: { rule: { allow: ['staff'], permission: 'cases:write' } },
        schema: {
          tags: ['cases'],
          summary: "Reply with the macro's text, then set its status and add its tags",
          params: CaseMacroParams,
          response: { 201: MessageView, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { message } = await applyMacro(db, request.context, request.params.ref, request.params.macroId);
        return reply.status(201).send(message);
      },
    );
  };
}
