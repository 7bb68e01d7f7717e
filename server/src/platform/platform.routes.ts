// Platform routes: health, live updates (SSE) and the admin's view of the job queue.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { recordAudit } from '../modules/identity/index.js';
import type { Db } from './database.js';
import { errors } from './errors.js';
import { errorResponses } from './http.js';
import { type JobWorker, listJobs, retryJob } from './jobs.js';
import { type LiveHub, mayReceive } from './live.js';

export interface PlatformRouteDeps {
  db: Db;
  live: LiveHub;
  worker: () => JobWorker | null;
  broker: () => { isConnected(): boolean } | null;
}

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('down'), Type.Literal('disabled')]),
  detail: Type.Optional(Type.String()),
});
const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  checks: Type.Object({ database: Check, jobQueue: Check, broker: Check, live: Check }),
});

export function platformRoutes(deps: PlatformRouteDeps): FastifyPluginAsyncTypebox {
  const { db, live } = deps;
  return async (app) => {
    app.get(
      '/health',
      {
        config: { rule: { public: 'load balancers and monitoring probe it' } },
        schema: {
          tags: ['platform'],
          summary: 'Database, job queue, MQTT broker and live-update listener',
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        let database: { status: 'ok' | 'down'; detail?: string } = { status: 'ok' };
        let jobQueue: { status: 'ok' | 'down' | 'disabled'; detail?: string };
        try {
          await sql`SELECT 1`.execute(db);
        } catch (error) {
          database = { status: 'down', detail: String(error) };
        }
        const worker = deps.worker();
        try {
          const pending = await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE attempts < max_attempts`.execute(db);
          const backlog = `${pending.rows[0]?.n ?? 0} jobs waiting`;
          jobQueue = !worker
            ? { status: 'disabled', detail: `no worker in this process; ${backlog}` }
            : worker.isRunning()
              ? { status: 'ok', detail: backlog }
              : { status: 'down', detail: 'worker stopped' };
        } catch (error) {
          jobQueue = { status: 'down', detail: String(error) };
        }
        const brokerConnection = deps.broker();
        const broker = !brokerConnection
          ? { status: 'disabled' as const }
          : brokerConnection.isConnected()
            ? { status: 'ok' as const }
            : { status: 'down' as const };
        const liveCheck = live.isListening() ? { status: 'ok' as const } : { status: 'down' as const };
        const healthy =
          database.status === 'ok' &&
          jobQueue.status !== 'down' &&
          broker.status !== 'down' &&
          liveCheck.status === 'ok';
        return reply.status(healthy ? 200 : 503).send({
          status: healthy ? 'ok' : 'degraded',
          checks: { database, jobQueue, broker, live: liveCheck },
        });
      },
    );

    app.get(
      '/live',
      {
        config: { rule: { allow: ['staff', 'customer'] } },
        schema: {
          tags: ['platform'],
          summary: 'Server-sent events: changes you may see, as they happen',
          response: { 200: Type.String(), ...errorResponses(401) },
        },
      },
      (request, reply) => {
        const principal = request.principal;
        if (!principal) throw errors.unauthenticated();
        const viewer =
          principal.kind === 'customer'
            ? { kind: principal.kind, userId: principal.userId, customerId: principal.customerId }
            : {
                kind: principal.kind,
                userId: principal.kind === 'staff' ? principal.userId : undefined,
                allMarkets: principal.allMarkets,
                markets: principal.markets,
              };
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write(`event: ready\ndata: {}\n\n`);
        const unsubscribe = live.subscribe((notice) => {
          if (!mayReceive(viewer, notice.audience)) return;
          const { audience: _hidden, ...visible } = notice;
          raw.write(`event: ${notice.type}\ndata: ${JSON.stringify(visible)}\n\n`);
        });
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );

    const JobItem = Type.Object({
      id: Type.String(),
      task: Type.String(),
      attempts: Type.Integer(),
      maxAttempts: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      runAt: Type.String({ format: 'date-time' }),
      createdAt: Type.String({ format: 'date-time' }),
      payload: Type.Unknown(),
    });

    app.get(
      '/admin/jobs',
      {
        config: { rule: { allow: ['staff'], permission: 'jobs:manage' } },
        schema: {
          tags: ['platform'],
          summary: 'Jobs that failed every attempt, are retrying, or are pending',
          querystring: Type.Object(
            {
              state: Type.Union([Type.Literal('failed'), Type.Literal('retrying'), Type.Literal('pending')], {
                default: 'failed',
              }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(JobItem) }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const jobs = await listJobs(db, request.query.state);
        return {
          items: jobs.map((job) => ({
            ...job,
            runAt: job.runAt.toISOString(),
            createdAt: job.createdAt.toISOString(),
          })),
        };
      },
    );

    app.post(
      '/admin/jobs/:id/retry',
      {
        config: { rule: { allow: ['staff'], permission: 'jobs:manage' } },
        schema: {
          tags: ['platform'],
          summary: 'Run a failed job again with fresh attempts',
          params: Type.Object({ id: Type.String({ pattern: '^[0-9]+$' }) }),
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await db.transaction().execute(async (trx) => {
          if (!(await retryJob(trx, request.params.id))) throw errors.notFound('job');
          await recordAudit(trx, request.context, {
            action: 'job.retried',
            entityType: 'job',
            entityId: request.params.id,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
}
