import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityDeps } from './identity.deps.js';

export function apiTokenRoutes(_deps: IdentityDeps): FastifyPluginAsyncTypebox {
  return async () => {};
}
