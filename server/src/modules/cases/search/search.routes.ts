import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../../platform/database.js';
import { errorResponses } from '../../../platform/http.js';
import { requirePrincipal } from '../../identity/index.js';
import { searchCases } from './search.js';
import { CaseSearchQuery, CaseSearchResult } from './search.schemas.js';

/** Registered under /api/cases. */
export function caseSearchRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/search',
      {
        config: { rule: { allow: ['staff', 'token'], permission: 'cases:read' } },
        schema: {
          tags: ['cases'],
          summary:
            'Search cases of your markets by words in messages and subjects, case number, VIN or email',
          querystring: CaseSearchQuery,
          response: { 200: CaseSearchResult, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => searchCases(db, requirePrincipal(request), request.query),
    );
  };
}
