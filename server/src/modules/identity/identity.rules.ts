// Every API route declares who may call it, next to the route (`config.rule`). Routes
// without a rule refuse to register, and a test walks the route table to prove it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { type Language, languageFromHeader } from '../../platform/i18n.js';
import type { Permission } from './identity.permissions.js';
import { isElevated, type Principal, type RequestContext } from './identity.principal.js';
import { forgetSession, type SessionCache } from './identity.session-cache.js';
import { principalFromApiToken, principalFromSession, SESSION_COOKIE } from './identity.sessions.js';

export type PrincipalKind = Principal['kind'];

export type RouteRule =
  /** Anyone, signed in or not; say why it is public. */
  | { public: string }
  | {
      /** Which kinds of principal may call; customers are then limited to their own data by the service. */
      allow: readonly PrincipalKind[];
      /** Staff and tokens need this permission (customers have none; they pass on `allow`). */
      permission?: Permission;
      /** The session must have passed a step-up (TOTP or passkey) within the last minutes. */
      stepUp?: boolean;
      /** Skip the CSRF check (only for routes that create the session). */
      noCsrf?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    rule?: RouteRule;
  }
  interface FastifyInstance {
    /** Every route with its rule, for the authorisation tests and docs. */
    routeTable: RouteTableEntry[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    language: Language;
    context: RequestContext;
  }
}

export interface RouteTableEntry {
  method: string;
  url: string;
  rule: RouteRule | undefined;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes outside /api (the web app's files, the docs UI's assets) need no rule. */
export function needsRule(url: string): boolean {
  return url.startsWith('/api/') && !url.startsWith('/api/docs');
}

export function ruleOf(request: FastifyRequest): RouteRule | undefined {
  return request.routeOptions.config?.rule;
}

export function installRouteRules(app: FastifyInstance, db: Db, sessions: SessionCache | null): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('language', 'en');
  app.decorateRequest('context', null as unknown as RequestContext);

  app.decorate('routeTable', [] as RouteTableEntry[]);
  app.addHook('onRoute', (route) => {
    if (needsRule(route.url) && !route.config?.rule) {
      throw new Error(`Route ${route.method} ${route.url} declares no authorisation rule (config.rule)`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, rule: route.config?.rule });
    }
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    request.principal = await resolvePrincipal(db, sessions, request);
    const fromUser =
      request.principal && request.principal.kind !== 'token' ? request.principal.language : null;
    request.language = fromUser ?? languageFromHeader(request.headers['accept-language']) ?? 'en';
    request.context = {
      principal: request.principal,
      requestId: request.id,
      ip: request.ip ?? null,
      language: request.language,
    };
    const rule = ruleOf(request);
    if (!rule || 'public' in rule) return;
    enforce(rule, request);
  });

  // A state-changing request may have changed the caller's own session or account (logout,
  // step-up, language): the next request reads it afresh. Other processes hear of it over
  // NOTIFY (identity.session-cache.ts).
  app.addHook('onSend', async (request) => {
    const principal = request.principal;
    if (principal && principal.kind !== 'token' && unsafeMethods.has(request.method)) {
      forgetSession(principal.sessionId);
    }
  });
}

async function resolvePrincipal(
  db: Db,
  sessions: SessionCache | null,
  request: FastifyRequest,
): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return principalFromApiToken(db, authorization.slice(7).trim());
  const token = request.cookies?.[SESSION_COOKIE];
  return token ? principalFromSession(db, token, sessions) : null;
}

function enforce(rule: Exclude<RouteRule, { public: string }>, request: FastifyRequest): void {
  const principal = request.principal;
  if (!principal) throw errors.unauthenticated();
  if (!rule.allow.includes(principal.kind)) throw errors.forbidden();
  if (rule.permission && principal.kind !== 'customer' && !principal.permissions.has(rule.permission)) {
    throw errors.forbidden();
  }
  // Cookie sessions must echo their CSRF token on every state-changing request.
  if (principal.kind !== 'token' && unsafeMethods.has(request.method) && !rule.noCsrf) {
    if (request.headers['x-csrf-token'] !== principal.csrfToken) throw errors.csrf();
  }
  if (rule.stepUp && !isElevated(principal)) throw errors.stepUpRequired();
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.unauthenticated();
  return request.principal;
}
