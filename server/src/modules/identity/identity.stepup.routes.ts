import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdentityDeps } from './identity.deps.js';

// Placeholder until TOTP and passkey routes land (being written now).
export function stepUpRoutes(_deps: IdentityDeps): FastifyPluginAsyncTypebox {
  return async () => {};
}
