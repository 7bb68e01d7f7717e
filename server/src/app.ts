// Builds the HTTP application from its parts. Everything a process shares with other
// processes lives in PostgreSQL or the MQTT broker; this object holds only handles.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { attachmentRoutes } from './modules/cases/attachments/index.js';
import { casesRoutes, findVisibleCase, savedViewRoutes } from './modules/cases/index.js';
import { macroRoutes } from './modules/cases/macros/index.js';
import { notificationRoutes } from './modules/cases/notifications/index.js';
import { caseSearchRoutes } from './modules/cases/search/index.js';
import { slaRoutes } from './modules/cases/sla/index.js';
import { teamRoutes } from './modules/cases/teams/index.js';
import { channelsRoutes, emailInRoutes, type MailSettings, mailboxRoutes } from './modules/channels/index.js';
import { customersRoutes } from './modules/customers/index.js';
import { stepUpRoutes } from './modules/identity/identity.stepup.routes.js';
import { apiTokenRoutes } from './modules/identity/identity.tokens.routes.js';
import {
  authRoutes,
  type IdentityDeps,
  identityAdminRoutes,
  installRouteRules,
  startSessionCache,
  stopSessionCache,
} from './modules/identity/index.js';
import type { Db } from './platform/database.js';
import { installErrorHandling } from './platform/http.js';
import type { JobWorker } from './platform/jobs.js';
import type { LiveHub } from './platform/live.js';
import { platformRoutes } from './platform/platform.routes.js';

export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  db: Db;
  log: Logger;
  live: LiveHub;
  publicUrl: string;
  sessionTtlHours: number;
  stepUpMinutes: number;
  secretKey: string;
  mail: MailSettings;
  webDistDir: string | null;
  worker?: () => JobWorker | null;
  broker?: () => { isConnected(): boolean } | null;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: true,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandling(app, BODY_LIMIT);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pitwall API',
        version: '0.1.0',
        description: 'Customer care and after-sales for car brands.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'pw_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // Sessions are cached per process and evicted over LISTEN/NOTIFY (identity.session-cache.ts).
  const sessionCache = await startSessionCache(options.live);
  app.addHook('onClose', async () => stopSessionCache(sessionCache));
  installRouteRules(app, options.db, sessionCache);

  const identity: IdentityDeps = {
    db: options.db,
    publicUrl: options.publicUrl,
    sessionTtlHours: options.sessionTtlHours,
    stepUpMinutes: options.stepUpMinutes,
    secretKey: options.secretKey,
    mail: options.mail,
  };
  await app.register(
    platformRoutes({
      db: options.db,
      live: options.live,
      worker: options.worker ?? (() => null),
      broker: options.broker ?? (() => null),
    }),
    { prefix: '/api' },
  );
  await app.register(authRoutes(identity), { prefix: '/api' });
  await app.register(stepUpRoutes(identity), { prefix: '/api' });
  await app.register(identityAdminRoutes(identity), { prefix: '/api/identity' });
  await app.register(apiTokenRoutes(identity), { prefix: '/api/identity' });
  await app.register(customersRoutes(options.db), { prefix: '/api/customers' });
  await app.register(channelsRoutes(options.db, { findVisibleCase }), { prefix: '/api/channels' });
  await app.register(emailInRoutes(options.db), { prefix: '/api/channels' });
  await app.register(mailboxRoutes({ db: options.db, secretKey: options.secretKey }), {
    prefix: '/api/channels',
  });
  await app.register(casesRoutes(options.db), { prefix: '/api/cases' });
  await app.register(savedViewRoutes(options.db), { prefix: '/api/cases' });
  await app.register(slaRoutes(options.db), { prefix: '/api/cases' });
  await app.register(teamRoutes(options.db), { prefix: '/api/cases' });
  await app.register(attachmentRoutes(options.db), { prefix: '/api/cases' });
  await app.register(macroRoutes(options.db), { prefix: '/api/cases' });
  await app.register(notificationRoutes(options.db), { prefix: '/api/cases' });
  await app.register(caseSearchRoutes(options.db), { prefix: '/api/cases' });

  if (options.webDistDir && existsSync(options.webDistDir)) {
    await app.register(fastifyStatic, { root: options.webDistDir, wildcard: false, index: ['index.html'] });
    // The web app routes in the browser: any non-API path gets index.html.
    app.get('/*', { config: {}, schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }
  return app;
}
