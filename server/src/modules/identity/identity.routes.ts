import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { confirmPasswordReset, login, logout, requestPasswordReset } from './identity.auth.js';
import type { IdentityDeps } from './identity.deps.js';
import type { CustomerPrincipal, StaffPrincipal } from './identity.principal.js';
import { Email, LanguageSchema, LoginBody, Me } from './identity.schemas.js';
import { principalFromSession, SESSION_COOKIE } from './identity.sessions.js';
import { describeMe, setLanguage } from './identity.users.js';

function sessionPrincipal(request: FastifyRequest): StaffPrincipal | CustomerPrincipal {
  const principal = request.principal;
  if (!principal || principal.kind === 'token') throw errors.unauthenticated();
  return principal;
}

export function authRoutes(deps: IdentityDeps): FastifyPluginAsyncTypebox {
  const secure = deps.publicUrl.startsWith('https:');
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { rule: { public: 'signing in creates the session' } },
        schema: {
          tags: ['identity'],
          summary: 'Sign in with email and password; sets the HttpOnly session cookie',
          body: LoginBody,
          response: { 200: Type.Object({ user: Me }), ...errorResponses(400, 401, 423, 429) },
        },
      },
      async (request, reply) => {
        const session = await login(deps, request.context, {
          email: request.body.email,
          password: request.body.password,
          userAgent: request.headers['user-agent'] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, session.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure,
          expires: session.expiresAt,
        });
        const principal = await principalFromSession(deps.db, session.token);
        if (!principal || principal.kind === 'token') throw errors.unauthenticated();
        return { user: await describeMe(deps.db, principal) };
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'End the current session',
          response: { 204: Type.Null(), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        const principal = sessionPrincipal(request);
        await logout(deps.db, request.context, principal.sessionId, principal.userId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/password-reset/request',
      {
        config: { rule: { public: 'people who cannot sign in ask for a reset link' } },
        schema: {
          tags: ['identity'],
          summary: 'Email a single-use password reset link (same answer whether or not the address exists)',
          body: Type.Object({ email: Email }, { additionalProperties: false }),
          response: { 202: Type.Null(), ...errorResponses(400) },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(deps, request.context, request.body.email);
        return reply.status(202).send(null);
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        config: { rule: { public: 'the emailed token is the credential' } },
        schema: {
          tags: ['identity'],
          summary: 'Set a new password with the emailed token; ends all sessions of the account',
          body: Type.Object(
            {
              token: Type.String({ minLength: 10, maxLength: 200 }),
              password: Type.String({ minLength: 1, maxLength: 1000 }),
            },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), ...errorResponses(400, 422) },
        },
      },
      async (request, reply) => {
        await confirmPasswordReset(deps, request.context, request.body.token, request.body.password);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: 'The signed-in user',
          response: { 200: Me, ...errorResponses(401, 403) },
        },
      },
      async (request) => describeMe(deps.db, sessionPrincipal(request)),
    );

    app.patch(
      '/me',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['identity'],
          summary: "Change the signed-in user's preferences",
          body: Type.Object({ language: LanguageSchema }, { additionalProperties: false }),
          response: { 200: Me, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const principal = sessionPrincipal(request);
        await setLanguage(deps.db, request.context, principal.userId, request.body.language);
        return describeMe(deps.db, { ...principal, language: request.body.language });
      },
    );
  };
}
